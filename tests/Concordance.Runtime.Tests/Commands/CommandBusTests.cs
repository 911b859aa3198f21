using System.Text;
using Concordance.Storage;
using Concordance.Storage.InMemory;
using Xunit;

namespace Concordance.Runtime.Tests.Commands;

public sealed class CommandBusTests : IAsyncLifetime
{
    private readonly InMemoryStore _store = new();
    private CommandBus _bus = null!;

    private static readonly StreamId Alice = new(AccountAggregate.AggregateName, "alice");

    public Task InitializeAsync()
    {
        _bus = Buses.Create(_store);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    private async Task<List<StoredEvent>> Stream(StreamId stream)
    {
        var list = new List<StoredEvent>();
        await foreach (var e in _store.Events.ReadStreamAsync(stream, 1)) list.Add(e);
        return list;
    }

    [Fact]
    public async Task Given_an_open_account_when_depositing_then_the_command_is_accepted_with_its_event_and_the_new_version()
    {
        await _bus.SendAsync(new Open("alice", 0m));

        var result = await _bus.SendAsync(new Deposit("alice", 25m), new CommandMetadata { CommandId = "cmd-7", CorrelationId = "corr-1" });

        Assert.True(result.IsAccepted);
        Assert.Equal(2, result.Version);
        Assert.Equal([new Deposited("alice", 25m, "deposit")], result.Events);
        var stored = (await Stream(Alice))[1];
        Assert.Equal("cmd-7-0", stored.Id);
        Assert.Equal("Tests.Deposited", stored.Type);
        Assert.Equal(2, stored.SchemaVersion);
        Assert.Equal("/tests/bank", stored.Source);
        Assert.Equal(Buses.Now, stored.Time);
        Assert.Equal("alice", stored.Subject);
        Assert.Equal("corr-1", stored.CorrelationId);
        Assert.Equal("cmd-7", stored.CausationId);
        Assert.Equal("""{"account":"alice","amount":25,"note":"deposit"}""", Encoding.UTF8.GetString(stored.Data.Span));
    }

    [Fact]
    public async Task Given_a_balance_of_10_when_withdrawing_50_then_the_command_is_rejected_and_nothing_is_appended()
    {
        await _bus.SendAsync(new Open("alice", 0m));
        await _bus.SendAsync(new Deposit("alice", 10m));

        var result = await _bus.SendAsync(new Withdraw("alice", 50m));

        Assert.False(result.IsAccepted);
        Assert.Equal("insufficient funds", result.RejectionReason);
        Assert.Equal(2, result.Version);
        Assert.Empty(result.Events);
        Assert.Equal(2, (await Stream(Alice)).Count);
    }

    [Fact]
    public async Task Given_an_accepted_command_when_its_id_is_sent_again_even_to_a_fresh_bus_then_the_first_outcome_returns_and_nothing_is_applied_twice()
    {
        await _bus.SendAsync(new Open("alice", 0m));
        var first = await _bus.SendAsync(new Deposit("alice", 5m), new CommandMetadata { CommandId = "dep-1" });

        var again = await _bus.SendAsync(new Deposit("alice", 5m), new CommandMetadata { CommandId = "dep-1" });
        await using var fresh = Buses.Create(_store);
        var fromFresh = await fresh.SendAsync(new Deposit("alice", 5m), new CommandMetadata { CommandId = "dep-1" });

        foreach (var repeat in new[] { again, fromFresh })
        {
            Assert.True(repeat.IsAccepted);
            Assert.Equal(first.Version, repeat.Version);
            Assert.Equal(first.Events, repeat.Events);
        }
        Assert.Equal(2, (await Stream(Alice)).Count);
    }

    [Fact]
    public async Task Given_a_rejected_command_when_its_id_is_sent_again_after_the_state_changed_then_it_is_still_rejected()
    {
        await _bus.SendAsync(new Open("alice", 0m));
        var first = await _bus.SendAsync(new Withdraw("alice", 30m), new CommandMetadata { CommandId = "w-1" });
        await _bus.SendAsync(new Deposit("alice", 100m));

        var again = await _bus.SendAsync(new Withdraw("alice", 30m), new CommandMetadata { CommandId = "w-1" });

        Assert.False(first.IsAccepted);
        Assert.False(again.IsAccepted);
        Assert.Equal("insufficient funds", again.RejectionReason);
        Assert.Equal(1, again.Version);
        Assert.DoesNotContain(await Stream(Alice), e => e.Type == "Tests.Withdrawn");
    }

    [Fact]
    public async Task Given_another_process_wrote_to_the_stream_when_a_cached_bus_sends_then_it_reloads_redecides_and_succeeds()
    {
        await _bus.SendAsync(new Open("alice", 0m));
        await _bus.SendAsync(new Deposit("alice", 10m));
        await using var other = Buses.Create(_store);
        await other.SendAsync(new Withdraw("alice", 10m));

        // _bus still caches balance 10 at version 2: its decision to accept is stale and must be redone.
        var result = await _bus.SendAsync(new Withdraw("alice", 10m));
        var deposit = await _bus.SendAsync(new Deposit("alice", 1m));

        Assert.False(result.IsAccepted);
        Assert.Equal("insufficient funds", result.RejectionReason);
        Assert.Equal(3, result.Version);
        Assert.True(deposit.IsAccepted);
        Assert.Equal(4, deposit.Version);
    }

    [Fact]
    public async Task Given_a_stream_that_always_conflicts_when_sending_then_the_retries_are_bounded_and_the_send_fails()
    {
        var observed = new ObservedStore(new InMemoryStore()) { AlwaysConflict = true };
        await using var bus = Buses.Create(observed, o => o.MaxConflictRetries = 3);

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => bus.SendAsync(new Open("alice", 0m)));

        Assert.Contains("4 times", error.Message);
        Assert.Equal(4, observed.BatchSizes.Count);
    }

    [Fact]
    public async Task Given_a_command_without_an_id_and_one_with_when_sent_then_only_the_given_id_is_looked_up_once_and_each_append_says_where_its_id_came_from()
    {
        var observed = new ObservedStore(_store);
        await using var bus = Buses.Create(observed);

        await bus.SendAsync(new Open("alice", 0m));
        await bus.SendAsync(new Withdraw("alice", 5m), new CommandMetadata { CommandId = "given-1" });

        Assert.Equal(["given-1"], observed.CommandLookups);
        Assert.Equal(2, observed.Requests.Count);
        Assert.Equal([CommandIdSource.Made, CommandIdSource.GivenAndLookedUp], observed.Requests.Select(r => r.CommandIdSource));
        Assert.Equal("given-1", observed.Requests[1].CommandId);
        Assert.NotNull(observed.Requests[1].RejectionReason);
    }

    [Fact]
    public async Task Given_a_recorded_command_id_when_sent_again_then_the_bus_answers_from_the_record_without_appending()
    {
        var observed = new ObservedStore(_store);
        await using var bus = Buses.Create(observed);
        await bus.SendAsync(new Open("alice", 0m), new CommandMetadata { CommandId = "given-1" });

        var repeat = await bus.SendAsync(new Open("alice", 0m), new CommandMetadata { CommandId = "given-1" });

        Assert.True(repeat.IsAccepted);
        Assert.Equal(1, repeat.Version);
        Assert.Single(observed.Requests);
        Assert.Equal(["given-1", "given-1"], observed.CommandLookups);
    }

    [Fact]
    public async Task Given_snapshots_every_5_events_when_a_fresh_bus_loads_then_it_starts_from_the_snapshot_and_reads_only_the_tail()
    {
        var observed = new ObservedStore(_store);
        await using (var writer = Buses.Create(observed, o => o.SnapshotEvery = 5))
        {
            await writer.SendAsync(new Open("alice", 0m));
            for (var i = 0; i < 11; i++) await writer.SendAsync(new Deposit("alice", 1m));
        }
        var snapshot = await _store.Snapshots.GetAsync(Alice);
        Assert.Equal(10, snapshot!.Version);
        Assert.Equal("""{"balance":9,"minBalance":0,"operations":10}""", Encoding.UTF8.GetString(snapshot.Data.Span));

        observed.StreamReads.Clear();
        await using var fresh = Buses.Create(observed, o => o.SnapshotEvery = 5);
        var exact = await fresh.SendAsync(new Withdraw("alice", 11m));
        var overdraw = await fresh.SendAsync(new Withdraw("alice", 1m));

        Assert.Equal([(Alice, 11L)], observed.StreamReads);
        Assert.True(exact.IsAccepted);
        Assert.False(overdraw.IsAccepted);
    }

    [Fact]
    public async Task Given_a_slow_snapshot_store_when_a_command_crosses_the_interval_then_its_answer_does_not_wait_and_disposing_the_bus_does()
    {
        var observed = new ObservedStore(_store) { SnapshotGate = new TaskCompletionSource() };
        var bus = Buses.Create(observed, o => o.SnapshotEvery = 2);
        await bus.SendAsync(new Open("alice", 0m));

        var crossing = await bus.SendAsync(new Deposit("alice", 1m)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(crossing.IsAccepted);
        Assert.Null(await _store.Snapshots.GetAsync(Alice));
        var disposed = bus.DisposeAsync().AsTask();
        await Task.Delay(50);
        Assert.False(disposed.IsCompleted);
        observed.SnapshotGate.SetResult();
        await disposed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, (await _store.Snapshots.GetAsync(Alice))?.Version);
    }

    [Fact]
    public async Task Given_a_snapshot_save_that_fails_when_a_command_crosses_the_interval_then_the_command_is_still_accepted_and_the_next_load_replays()
    {
        var observed = new ObservedStore(_store) { SnapshotGate = new TaskCompletionSource() };
        observed.SnapshotGate.SetException(new IOException("disk full"));
        await using (var bus = Buses.Create(observed, o => o.SnapshotEvery = 2))
        {
            await bus.SendAsync(new Open("alice", 0m));
            Assert.True((await bus.SendAsync(new Deposit("alice", 1m))).IsAccepted);
        }

        Assert.Null(await _store.Snapshots.GetAsync(Alice));
        await using var fresh = Buses.Create(_store);
        Assert.Equal(3, (await fresh.SendAsync(new Withdraw("alice", 1m))).Version);
    }

    [Fact]
    public async Task Given_an_unreadable_snapshot_when_loading_then_the_stream_is_replayed_from_the_start()
    {
        await _bus.SendAsync(new Open("alice", 0m));
        await _bus.SendAsync(new Deposit("alice", 7m));
        await _store.Snapshots.SaveAsync(new Snapshot(Alice, 2, Encoding.UTF8.GetBytes("""{"shape":"old"}""")));

        await using var fresh = Buses.Create(_store);
        var result = await fresh.SendAsync(new Withdraw("alice", 7m));

        Assert.True(result.IsAccepted);
        Assert.Equal(3, result.Version);
    }

    [Fact]
    public async Task Given_a_v1_event_in_the_log_when_the_aggregate_loads_then_it_is_upcast_to_the_latest_version()
    {
        await _bus.SendAsync(new Open("alice", 0m));
        await _store.Events.AppendAsync([new AppendRequest(Alice, 1,
            [new NewEvent("old-1", "Tests.Deposited", 1, Encoding.UTF8.GetBytes("""{"account":"alice","amount":40}"""), Buses.Now, "/legacy", null, null)])]);

        await using var fresh = Buses.Create(_store);
        var result = await fresh.SendAsync(new Withdraw("alice", 40m));
        var serializer = new MessageSerializer(Buses.Catalog());

        Assert.True(result.IsAccepted);
        Assert.Equal(new Deposited("alice", 40m, "(v1)"), serializer.Deserialize((await Stream(Alice))[1]));
    }

    [Fact]
    public async Task Given_an_event_whose_data_does_not_match_its_type_when_loading_then_the_error_names_stream_and_position()
    {
        await _store.Events.AppendAsync([new AppendRequest(Alice, 0,
            [new NewEvent("bad-1", "Tests.Opened", 1, Encoding.UTF8.GetBytes("""{"account":"alice"}"""), Buses.Now, "/legacy", null, null)])]);
        var position = (await _store.Events.ReadAllAsync(0, 1))[0].Position;

        var error = await Assert.ThrowsAsync<CorruptEventException>(() => _bus.SendAsync(new Deposit("alice", 1m)));

        Assert.Equal(Alice, error.Stream);
        Assert.Equal(position, error.Position);
        Assert.Contains("minBalance", error.Message);
    }

    [Fact]
    public async Task Given_a_command_no_aggregate_handles_when_sending_then_it_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _bus.SendAsync(new Unhandled("alice")));
    }

    [Fact]
    public async Task Given_commands_queued_behind_a_slow_commit_when_it_finishes_then_they_are_written_as_one_batch()
    {
        var observed = new ObservedStore(new InMemoryStore()) { FirstAppendGate = new TaskCompletionSource() };
        await using var bus = Buses.Create(observed);
        var first = bus.SendAsync(new Open("first", 0m));
        Task<CommandResult>[] others;
        try
        {
            await observed.FirstAppendEntered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            others = Enumerable.Range(0, 20).Select(i => bus.SendAsync(new Open("acc-" + i, 0m))).ToArray();
            while (bus.Writer.Queued < 20) await Task.Delay(1);
        }
        finally
        {
            observed.FirstAppendGate.SetResult();
        }
        var results = await Task.WhenAll(others.Append(first));

        Assert.All(results, r => Assert.True(r.IsAccepted));
        Assert.Equal([1, 20], observed.BatchSizes);
    }

    [Fact]
    public async Task Given_a_store_that_writes_synchronously_when_senders_are_started_in_a_loop_then_the_first_does_not_hold_up_the_others_and_they_share_a_batch()
    {
        // Task.WhenAll over commands started in a loop: the first command's write must not run (fsync and all) on the
        // caller's thread before the loop can start the others, or every command would get a commit of its own.
        using var block = new ManualResetEventSlim();
        var observed = new ObservedStore(new InMemoryStore()) { FirstAppendBlocksOn = block };
        await using var bus = Buses.Create(observed);
        Task<CommandResult> first;
        Task<CommandResult>[] others;
        try
        {
            first = bus.SendAsync(new Open("first", 0m));
            Assert.False(first.IsCompleted, "The first send wrote on the caller's thread: nothing else could start meanwhile.");
            await observed.FirstAppendEntered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            others = Enumerable.Range(0, 20).Select(i => bus.SendAsync(new Open("acc-" + i, 0m))).ToArray();
            while (bus.Writer.Queued < 20) await Task.Delay(1);
        }
        finally
        {
            block.Set();
        }
        var results = await Task.WhenAll(others.Append(first));

        Assert.All(results, r => Assert.True(r.IsAccepted));
        Assert.Equal([1, 20], observed.BatchSizes);
    }

    [Fact]
    public async Task Given_a_store_that_pipelines_appends_itself_when_commands_come_during_a_slow_append_then_each_is_sent_at_once_on_its_own()
    {
        var observed = new ObservedStore(new InMemoryStore()) { FirstAppendGate = new TaskCompletionSource(), GroupsConcurrentAppends = false };
        await using var bus = Buses.Create(observed);
        var first = bus.SendAsync(new Open("first", 0m));
        try
        {
            await observed.FirstAppendEntered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            // Nothing queues behind the first append: the others are written, and answered, while it is still out.
            var others = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => bus.SendAsync(new Open("acc-" + i, 0m)))).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.All(others, r => Assert.True(r.IsAccepted));
            Assert.False(first.IsCompleted);
        }
        finally
        {
            observed.FirstAppendGate.SetResult();
        }

        Assert.True((await first).IsAccepted);
        Assert.Equal(Enumerable.Repeat(1, 21), observed.BatchSizes);
        Assert.Equal(0, bus.Writer.Queued);
    }

    [Fact]
    public async Task Given_a_cache_of_3_states_when_10_aggregates_are_used_then_at_most_3_are_kept_and_results_stay_correct()
    {
        await using var bus = Buses.Create(_store, o => o.MaxCachedStates = 3);
        for (var i = 0; i < 10; i++) await bus.SendAsync(new Open("acc-" + i, 0m));
        for (var i = 0; i < 10; i++) await bus.SendAsync(new Deposit("acc-" + i, i));

        Assert.Equal(3, bus.Cache.Count);
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await bus.SendAsync(new Withdraw("acc-" + i, i))).IsAccepted);
            Assert.False((await bus.SendAsync(new Withdraw("acc-" + i, 1m))).IsAccepted);
        }
    }

    [Fact]
    public async Task Given_one_sender_when_it_sends_a_sequence_to_one_aggregate_then_the_events_are_in_send_order()
    {
        await _bus.SendAsync(new Open("alice", 0m));
        for (var i = 1; i <= 20; i++) await _bus.SendAsync(new Deposit("alice", i));

        var amounts = (await Stream(Alice)).Skip(1).Select(e => new MessageSerializer(Buses.Catalog()).Deserialize(e)).Cast<Deposited>().Select(d => d.Amount);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (decimal)i), amounts);
    }
}
