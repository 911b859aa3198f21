using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

public sealed class GatewayTests
{
    private static async Task<List<StoredEvent>> Confirmations(Harness harness) =>
        [.. await harness.Store.Events.ReadAllAsync(0, 100, new EventFilter(new HashSet<string> { "Tests.PayoutConfirmed" }))];

    [Fact]
    public async Task Given_a_handler_failing_twice_when_the_gateway_runs_then_the_third_attempt_succeeds_after_exponential_backoff_and_the_checkpoint_moves_on()
    {
        var network = new PayoutNetwork();
        network.OnApproved = async (e, context, attempt) =>
        {
            if (attempt < 3) throw new HttpRequestException($"network down (attempt {attempt})");
            await context.EmitAsync(new PayoutConfirmed(e.PayoutId, "ref"));
        };
        var time = new RecordingTime();
        await using var harness = Harness.InMemory(gateways: [network], time: time, configure: o =>
        {
            o.MaxAttempts = 3;
            o.RetryDelay = TimeSpan.FromMilliseconds(5);
            o.RetryBackoffFactor = 3;
        });
        var approved = (await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1")))[0];

        await harness.Gateway().CatchUpAsync();

        Assert.Equal(3, network.Attempts["p1"]);
        Assert.Equal([TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(15)], time.Delays);
        Assert.Equal(approved.Position, await harness.Store.Components.GetCheckpointAsync("gateway:Tests.PayoutNetwork"));
        Assert.Empty(await harness.Store.DeadLetters.ListAsync());
        Assert.Single(await Confirmations(harness));
    }

    [Fact]
    public async Task Given_a_handler_that_emits_and_then_fails_when_it_is_retried_then_the_emitted_event_is_recorded_once_with_a_deterministic_id()
    {
        var network = new PayoutNetwork();
        network.OnApproved = async (e, context, attempt) =>
        {
            await context.EmitAsync(new PayoutConfirmed(e.PayoutId, $"ref-attempt-{attempt}"));
            if (attempt == 1) throw new TimeoutException("the acknowledgement timed out");
        };
        await using var harness = Harness.InMemory(gateways: [network]);
        var approved = (await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1")))[0];

        await harness.Gateway().CatchUpAsync();

        Assert.Equal(2, network.Attempts["p1"]);
        var confirmation = Assert.Single(await Confirmations(harness));
        Assert.Equal(GatewayRunner.EmitId(PayoutNetwork.GatewayName, approved.Id, 0), confirmation.Id);
        Assert.Equal(new StreamId(PayoutNetwork.GatewayName, "p1"), confirmation.Stream);
        Assert.Equal(approved.Id, confirmation.CausationId);
        Assert.Equal(approved.CorrelationId, confirmation.CorrelationId);
        Assert.Equal(new PayoutConfirmed("p1", "ref-attempt-1"), harness.Serializer.Deserialize(confirmation));
    }

    [Fact]
    public async Task Given_an_event_redelivered_after_a_crash_when_the_gateway_emits_again_then_nothing_is_recorded_twice()
    {
        var network = new PayoutNetwork();
        await using var harness = Harness.InMemory(gateways: [network]);
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1"));
        await harness.Gateway().CatchUpAsync();

        // The checkpoint was lost (a crash before it committed): the event is delivered again.
        await harness.Store.Components.ResetAsync("gateway:Tests.PayoutNetwork", "unused");
        harness.Gateway().Reset();
        await harness.Gateway().CatchUpAsync();

        Assert.Equal(2, network.Attempts["p1"]);
        Assert.Single(await Confirmations(harness));
    }

    [Fact]
    public async Task Given_a_handler_emitting_an_undeclared_event_then_EmitAsync_throws_InvalidOperationException_and_records_nothing()
    {
        var network = new PayoutNetwork();
        Exception? thrown = null;
        network.OnApproved = async (e, context, _) =>
        {
            try
            {
                await context.EmitAsync(new PayoutRejectedByNetwork(e.PayoutId));
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        };
        await using var harness = Harness.InMemory(gateways: [network]);
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1"));
        var head = await harness.Store.Events.GetHeadPositionAsync();

        await harness.Gateway().CatchUpAsync();

        Assert.IsType<InvalidOperationException>(thrown);
        Assert.Contains("emit", thrown!.Message);
        Assert.Equal(head, await harness.Store.Events.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Given_a_handler_sending_an_undeclared_command_then_SendAsync_throws_InvalidOperationException_and_the_command_is_not_applied()
    {
        var network = new PayoutNetwork();
        Exception? thrown = null;
        network.OnApproved = async (e, context, _) =>
        {
            try
            {
                await context.SendAsync(new Open("bob", 0m));
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        };
        await using var harness = Harness.InMemory(gateways: [network]);
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1"));

        await harness.Gateway().CatchUpAsync();

        Assert.IsType<InvalidOperationException>(thrown);
        Assert.Contains("'send'", thrown!.Message);
        Assert.Equal(0, await harness.Store.Events.GetStreamVersionAsync(Harness.Account("bob")));
    }

    [Fact]
    public async Task Given_a_handler_that_sends_a_command_and_then_fails_when_it_is_retried_then_the_command_is_applied_once()
    {
        var network = new PayoutNetwork();
        var results = new List<CommandResult>();
        network.OnApproved = async (e, context, attempt) =>
        {
            results.Add(await context.SendAsync(new Deposit("alice", 7m)));
            if (attempt == 1) throw new IOException("connection reset");
        };
        await using var harness = Harness.InMemory(gateways: [network]);
        await harness.Bus.SendAsync(new Open("alice", 0m));
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1"));

        await harness.Gateway().CatchUpAsync();

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(2, r.Version));
        Assert.Equal(2, await harness.Store.Events.GetStreamVersionAsync(Harness.Account("alice")));
    }

    /// <summary>System time, recording the due time of every timer (i.e. every backoff delay).</summary>
    private sealed class RecordingTime : TimeProvider
    {
        public List<TimeSpan> Delays { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (Delays) Delays.Add(dueTime);
            return System.CreateTimer(callback, state, dueTime, period);
        }
    }
}
