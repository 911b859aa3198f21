using Concordance.Runtime.Tests.Commands;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

public sealed class DeadLetterTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Given_a_poison_event_when_the_projector_keeps_failing_then_it_is_dead_lettered_with_the_error_and_later_events_still_flow()
    {
        var ledger = new Ledger();
        ledger.FailFor.Add("bad");
        await using var harness = Harness.Sqlite(_database, projectors: [ledger], configure: o => o.MaxAttempts = 4);
        await harness.AppendAsync(Harness.Account("good"), new Opened("good", 0m));
        var poison = (await harness.AppendAsync(Harness.Account("bad"), new Opened("bad", 0m)))[0];
        await harness.AppendAsync(Harness.Account("good"), new Deposited("good", 5m, "after the poison"));

        await harness.Projector().CatchUpAsync();

        var letter = Assert.Single(await harness.DeadLetters.ListAsync());
        Assert.Equal("projector:Tests.Ledger", letter.Component);
        Assert.Equal(poison.Position, letter.Position);
        Assert.Equal(poison.Id, letter.EventId);
        Assert.Equal("Tests.Opened", letter.EventType);
        Assert.Equal(Harness.Account("bad"), letter.Stream);
        Assert.Equal(4, letter.Attempts);
        Assert.Contains("poison: the ledger cannot project account bad", letter.Error);
        Assert.Contains("InvalidOperationException", letter.Error);
        Assert.Equal(new AccountSummary("good", 5m, 2, "after the poison"), await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "good"));
        Assert.Null(await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "bad"));
        Assert.Equal(3, await harness.Store.Components.GetCheckpointAsync("projector:Tests.Ledger"));
        Assert.Single(await harness.DeadLetters.ListAsync("projector:Tests.Ledger"));
        Assert.Empty(await harness.DeadLetters.ListAsync("projector:Other"));
    }

    [Fact]
    public async Task Given_a_dead_letter_when_retried_while_still_failing_then_it_stays_with_one_more_attempt_and_once_fixed_the_retry_applies_it_and_removes_it()
    {
        var ledger = new Ledger();
        ledger.FailFor.Add("bad");
        await using var harness = Harness.Sqlite(_database, projectors: [ledger]);
        await harness.AppendAsync(Harness.Account("bad"), new Opened("bad", 0m));
        await harness.Projector().CatchUpAsync();
        var letter = Assert.Single(await harness.DeadLetters.ListAsync());

        Assert.False(await harness.DeadLetters.RetryAsync(letter.Id));
        Assert.Equal(letter.Attempts + 1, Assert.Single(await harness.DeadLetters.ListAsync()).Attempts);

        ledger.FailFor.Clear();
        Assert.True(await harness.DeadLetters.RetryAsync(letter.Id));

        Assert.Empty(await harness.DeadLetters.ListAsync());
        Assert.Equal(new AccountSummary("bad", 0m, 1, "opened"), await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "bad"));
        Assert.Equal(1, await harness.Store.Components.GetCheckpointAsync("projector:Tests.Ledger"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => harness.DeadLetters.RetryAsync(letter.Id));
    }

    [Fact]
    public async Task Given_dead_letters_when_one_is_discarded_then_it_is_gone_without_processing_and_discarding_again_reports_false()
    {
        var ledger = new Ledger();
        ledger.FailFor.UnionWith(["x", "y"]);
        await using var harness = Harness.InMemory(projectors: [ledger]);
        await harness.AppendAsync(Harness.Account("x"), new Opened("x", 0m));
        await harness.AppendAsync(Harness.Account("y"), new Opened("y", 0m));
        await harness.Projector().CatchUpAsync();
        var letters = await harness.DeadLetters.ListAsync();
        Assert.Equal(2, letters.Count);
        var calls = ledger.Calls;

        Assert.True(await harness.DeadLetters.DiscardAsync(letters[0].Id));
        Assert.False(await harness.DeadLetters.DiscardAsync(letters[0].Id));

        Assert.Equal([letters[1].Id], (await harness.DeadLetters.ListAsync()).Select(l => l.Id));
        Assert.Equal(calls, ledger.Calls);
    }

    [Fact]
    public async Task Given_a_process_manager_failing_on_an_event_then_it_is_dead_lettered_and_a_successful_retry_enqueues_its_commands_with_the_removal()
    {
        var process = new PayoutProcess();
        await using var harness = Harness.Sqlite(_database, processes: [process]);
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "alice", 25m));
        await harness.Process().CatchUpAsync();
        process.FailFor.Add("p1");
        var approved = (await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1")))[0];
        await harness.AppendAsync(Harness.Payouts("p2"), new PayoutRequested("p2", "bob", 1m), new PayoutApproved("p2"));

        await harness.Process().CatchUpAsync();

        var letter = Assert.Single(await harness.DeadLetters.ListAsync());
        Assert.Equal("process:Tests.Payout", letter.Component);
        Assert.Equal(approved.Id, letter.EventId);
        Assert.Equal(["bob"], (await harness.Store.Outbox.GetPendingAsync(10)).Select(m => m.Data).Select(d => ((Withdraw)harness.Serializer.Deserialize("Tests.Withdraw", 1, d.Span)).Account));

        process.FailFor.Clear();
        Assert.True(await harness.DeadLetters.RetryAsync(letter.Id));

        Assert.Empty(await harness.DeadLetters.ListAsync());
        var pending = await harness.Store.Outbox.GetPendingAsync(10);
        Assert.Equal(2, pending.Count);
        Assert.Equal(ProcessManagerRunner.OutboxId(PayoutProcess.ProcessName, approved.Id, 0), pending[1].Id);
    }

    [Fact]
    public async Task Given_a_gateway_failing_on_every_attempt_then_the_event_is_dead_lettered_and_the_next_event_is_still_delivered()
    {
        var network = new PayoutNetwork();
        network.OnApproved = async (e, context, attempt) =>
        {
            if (e.PayoutId == "p1") throw new InvalidOperationException("the network refuses p1");
            await context.EmitAsync(new PayoutConfirmed(e.PayoutId, "ok"));
        };
        await using var harness = Harness.InMemory(gateways: [network]);
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1"));
        await harness.AppendAsync(Harness.Payouts("p2"), new PayoutApproved("p2"));

        await harness.Gateway().CatchUpAsync();

        Assert.Equal(3, network.Attempts["p1"]);
        Assert.Equal(1, network.Attempts["p2"]);
        var letter = Assert.Single(await harness.DeadLetters.ListAsync());
        Assert.Equal("gateway:Tests.PayoutNetwork", letter.Component);
        Assert.Contains("the network refuses p1", letter.Error);

        network.OnApproved = (e, context, _) => context.EmitAsync(new PayoutConfirmed(e.PayoutId, "late"));
        Assert.True(await harness.DeadLetters.RetryAsync(letter.Id));
        Assert.Empty(await harness.DeadLetters.ListAsync());
        Assert.Equal(4, network.Attempts["p1"]);
    }
}
