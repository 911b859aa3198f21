using System.Text;
using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using Concordance.Storage.InMemory;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

public sealed class ProcessManagerTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static async Task<string?> Instance(Harness harness, string key) =>
        await harness.Store.Components.GetDocumentAsync("process:" + PayoutProcess.ProcessName, key) is { } document ? Encoding.UTF8.GetString(document.Data.Span) : null;

    [Fact]
    public async Task Given_a_start_event_then_an_instance_starts_with_the_state_the_handler_returned_and_no_state_was_passed_in()
    {
        var process = new PayoutProcess();
        await using var harness = Harness.InMemory(processes: [process]);
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "alice", 25m));

        await harness.Process().CatchUpAsync();

        Assert.Null(Assert.Single(process.Handled).State);
        Assert.Equal("""{"ended":false,"state":{"account":"alice","amount":25,"approved":false}}""", await Instance(harness, "p1"));
        Assert.Empty(await harness.Store.Outbox.GetPendingAsync(10));
    }

    [Fact]
    public async Task Given_a_running_instance_when_it_advances_and_ends_then_each_step_sees_the_last_state_and_the_commands_reach_the_outbox()
    {
        var process = new PayoutProcess();
        await using var harness = Harness.InMemory(processes: [process]);
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "alice", 25m));
        await harness.Process().CatchUpAsync();
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1"), new PayoutSettled("p1"));

        await harness.Process().CatchUpAsync();

        Assert.Equal(new PayoutState("alice", 25m, false), process.Handled[1].State);
        Assert.Equal(new PayoutState("alice", 25m, true), process.Handled[2].State);
        Assert.Equal("""{"ended":true,"state":null}""", await Instance(harness, "p1"));
        var pending = await harness.Store.Outbox.GetPendingAsync(10);
        Assert.Equal(["Tests.Withdraw", "Tests.Deposit"], pending.Select(m => m.Type));
        Assert.Equal("""{"account":"alice","amount":25}""", Encoding.UTF8.GetString(pending[0].Data.Span));
        Assert.All(pending, m => Assert.Equal("process:Tests.Payout", m.Component));
    }

    [Fact]
    public async Task Given_events_for_unstarted_or_ended_instances_and_a_repeated_start_then_they_are_ignored_and_the_checkpoint_moves_past_them()
    {
        var process = new PayoutProcess();
        var logs = new CapturingLoggerFactory();
        await using var harness = Harness.InMemory(processes: [process], loggerFactory: logs);
        await harness.AppendAsync(Harness.Payouts("ghost"), new PayoutApproved("ghost"), new PayoutSettled("ghost"));
        var events = await harness.AppendAsync(Harness.Payouts("p1"),
            new PayoutRequested("p1", "alice", 25m), new PayoutRequested("p1", "bob", 99m), new PayoutCancelled("p1"),
            new PayoutApproved("p1"), new PayoutSettled("p1"), new PayoutRequested("p1", "carol", 1m));

        await harness.Process().CatchUpAsync();

        Assert.Equal([typeof(PayoutRequested), typeof(PayoutCancelled)], process.Handled.Select(h => h.Event.GetType()));
        Assert.Null(await Instance(harness, "ghost"));
        Assert.Equal("""{"ended":true,"state":null}""", await Instance(harness, "p1"));
        Assert.Empty(await harness.Store.Outbox.GetPendingAsync(10));
        Assert.Equal(events[^1].Position, await harness.Store.Components.GetCheckpointAsync("process:Tests.Payout"));
        Assert.Contains(logs.Entries, e => e.Message.Contains("never started") && e.Message.Contains("ghost"));
        Assert.Contains(logs.Entries, e => e.Message.Contains("has ended") && e.Message.Contains("p1"));
        Assert.Contains(logs.Entries, e => e.Message.Contains("already running"));
    }

    [Fact]
    public async Task Given_commands_from_an_event_then_their_outbox_ids_derive_from_process_event_and_index_and_carry_correlation_and_causation()
    {
        await using var harness = Harness.InMemory(processes: [new PayoutProcess()]);
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "alice", 25m));
        var approved = (await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1")))[0];

        await harness.Process().CatchUpAsync();

        var message = Assert.Single(await harness.Store.Outbox.GetPendingAsync(10));
        Assert.Equal(ProcessManagerRunner.OutboxId(PayoutProcess.ProcessName, approved.Id, 0), message.Id);
        Assert.NotEqual(ProcessManagerRunner.OutboxId(PayoutProcess.ProcessName, approved.Id, 1), message.Id);
        Assert.Equal(approved.CorrelationId, message.CorrelationId);
        Assert.Equal(approved.Id, message.CausationId);
    }

    [Fact]
    public async Task Given_dispatched_commands_when_the_process_re_runs_from_zero_and_the_dispatcher_runs_again_then_nothing_is_applied_twice()
    {
        await using var harness = Harness.Sqlite(_database, processes: [new PayoutProcess()]);
        Assert.True((await harness.Bus.SendAsync(new Open("alice", 0m))).IsAccepted);
        Assert.True((await harness.Bus.SendAsync(new Deposit("alice", 100m))).IsAccepted);
        Assert.True((await harness.Bus.SendAsync(new Open("fees", 0m))).IsAccepted);
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "alice", 25m), new PayoutApproved("p1"), new PayoutSettled("p1"));
        await harness.Process().CatchUpAsync();
        Assert.Equal((2, false), await harness.Outbox.DispatchPendingAsync());
        var alice = await harness.Store.Events.GetStreamVersionAsync(Harness.Account("alice"));
        var fees = await harness.Store.Events.GetStreamVersionAsync(Harness.Account("fees"));

        // A re-run (e.g. the checkpoint and instances lost) enqueues the same ids again: they stay dispatched.
        await harness.Store.Components.ResetAsync("process:Tests.Payout", "process:Tests.Payout");
        harness.Process().Reset();
        await harness.Process().CatchUpAsync();
        Assert.Equal((0, false), await harness.Outbox.DispatchPendingAsync());

        Assert.Equal(alice, await harness.Store.Events.GetStreamVersionAsync(Harness.Account("alice")));
        Assert.Equal(fees, await harness.Store.Events.GetStreamVersionAsync(Harness.Account("fees")));
        Assert.Equal(3, alice);
        Assert.Equal(2, fees);
    }

    [Fact]
    public async Task Given_a_command_sent_but_not_marked_dispatched_when_the_dispatcher_sends_it_again_then_the_bus_applies_it_once()
    {
        await using var harness = Harness.Sqlite(_database, processes: [new PayoutProcess()]);
        await harness.Bus.SendAsync(new Open("alice", 0m));
        await harness.Bus.SendAsync(new Deposit("alice", 100m));
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "alice", 25m), new PayoutApproved("p1"));
        await harness.Process().CatchUpAsync();
        var message = Assert.Single(await harness.Store.Outbox.GetPendingAsync(10));
        // The crash window: the command went through the bus, the dispatcher died before marking it.
        var first = await harness.Bus.SendAsync(new Withdraw("alice", 25m), new CommandMetadata { CommandId = message.Id });

        Assert.Equal((1, false), await harness.Outbox.DispatchPendingAsync());

        Assert.Equal(3, await harness.Store.Events.GetStreamVersionAsync(Harness.Account("alice")));
        Assert.Equal(3, first.Version);
        var withdrawn = await harness.Store.Events.ReadAllAsync(0, 100, new EventFilter(new HashSet<string> { "Tests.Withdrawn" }));
        var stored = Assert.Single(withdrawn);
        Assert.Equal(message.Id, stored.CausationId);
        Assert.NotNull(await harness.Store.Events.FindCommandAsync(message.Id));
    }

    [Fact]
    public async Task Given_pending_commands_when_dispatched_then_the_resulting_events_carry_the_triggering_correlation_and_a_rejection_still_counts_as_dispatched()
    {
        await using var harness = Harness.InMemory(processes: [new PayoutProcess()]);
        await harness.Bus.SendAsync(new Open("alice", 0m));
        await harness.Bus.SendAsync(new Deposit("alice", 100m));
        var requested = await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "alice", 25m), new PayoutApproved("p1"));
        var unknown = await harness.AppendAsync(Harness.Payouts("p2"), new PayoutRequested("p2", "nobody", 5m), new PayoutApproved("p2"));
        await harness.Process().CatchUpAsync();

        Assert.Equal((2, false), await harness.Outbox.DispatchPendingAsync());

        Assert.Empty(await harness.Store.Outbox.GetPendingAsync(10));
        var withdrawn = Assert.Single(await harness.Store.Events.ReadAllAsync(0, 100, new EventFilter(new HashSet<string> { "Tests.Withdrawn" })));
        Assert.Equal(requested[0].CorrelationId, withdrawn.CorrelationId);
        var rejected = await harness.Store.Events.FindCommandAsync(ProcessManagerRunner.OutboxId(PayoutProcess.ProcessName, unknown[1].Id, 0));
        Assert.Equal("no such account", rejected?.RejectionReason);
    }
    [Fact]
    public async Task Given_an_outbox_command_that_keeps_throwing_while_the_store_answers_then_it_is_set_aside_the_commands_after_it_go_on_and_it_goes_through_once_fixed()
    {
        var bus = new ThrowingBus();
        await using var harness = new Harness(new InMemoryStore(), processes: [new PayoutProcess()], wrapBus: inner => bus.Over(inner));
        foreach (var account in new[] { "poison", "alice" })
        {
            await harness.Bus.SendAsync(new Open(account, 0m));
            await harness.Bus.SendAsync(new Deposit(account, 100m));
        }
        bus.ThrowFor.Add("poison");
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "poison", 25m), new PayoutApproved("p1"));
        await harness.AppendAsync(Harness.Payouts("p2"), new PayoutRequested("p2", "alice", 10m), new PayoutApproved("p2"));
        await harness.Process().CatchUpAsync();
        var poisoned = (await harness.Store.Outbox.GetPendingAsync(10))[0];

        // Twice it holds the round back, as a store failure would; the third failure (MaxAttempts) sets it aside.
        Assert.Equal((0, true), await harness.Outbox.DispatchPendingAsync());
        Assert.Equal((0, true), await harness.Outbox.DispatchPendingAsync());
        Assert.Equal((1, false), await harness.Outbox.DispatchPendingAsync());

        Assert.Equal(2, await harness.Store.Events.GetStreamVersionAsync(Harness.Account("poison")));
        Assert.Equal(3, await harness.Store.Events.GetStreamVersionAsync(Harness.Account("alice")));
        Assert.Equal([poisoned.Id], (await harness.Store.Outbox.GetPendingAsync(10)).Select(m => m.Id));
        Assert.Equal([poisoned.Id], harness.Outbox.SetAside);
        // Set aside, it is still retried on its own (the harness's backoff is at most 20 ms), and goes through once it can.
        bus.ThrowFor.Clear();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await harness.Outbox.DispatchPendingAsync()).Dispatched == 0 && DateTime.UtcNow < deadline) await Task.Delay(5);

        Assert.Empty(await harness.Store.Outbox.GetPendingAsync(10));
        Assert.Empty(harness.Outbox.SetAside);
        Assert.Equal(3, await harness.Store.Events.GetStreamVersionAsync(Harness.Account("poison")));
    }

    [Fact]
    public async Task Given_sends_that_fail_while_the_store_does_not_answer_then_nothing_is_set_aside_and_no_command_overtakes_another()
    {
        var bus = new ThrowingBus();
        var store = new ObservedStore(new InMemoryStore());
        await using var harness = new Harness(store, processes: [new PayoutProcess()], wrapBus: inner => bus.Over(inner));
        await harness.Bus.SendAsync(new Open("alice", 0m));
        await harness.Bus.SendAsync(new Deposit("alice", 100m));
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "alice", 25m), new PayoutApproved("p1"));
        await harness.AppendAsync(Harness.Payouts("p2"), new PayoutRequested("p2", "alice", 10m), new PayoutApproved("p2"));
        await harness.Process().CatchUpAsync();
        bus.ThrowFor.Add("alice");
        store.Unreachable = true;

        for (var round = 0; round < 10; round++) Assert.Equal((0, true), await harness.Outbox.DispatchPendingAsync());

        Assert.Empty(harness.Outbox.SetAside);
        Assert.Equal(2, (await harness.Store.Outbox.GetPendingAsync(10)).Count);
        bus.ThrowFor.Clear();
        store.Unreachable = false;
        Assert.Equal((2, false), await harness.Outbox.DispatchPendingAsync());
        var withdrawals = await harness.Store.Events.ReadAllAsync(0, 100, new EventFilter(new HashSet<string> { "Tests.Withdrawn" }));
        Assert.Equal([25m, 10m], withdrawals.Select(e => ((Withdrawn)harness.Serializer.Deserialize(e)).Amount));
    }
}
