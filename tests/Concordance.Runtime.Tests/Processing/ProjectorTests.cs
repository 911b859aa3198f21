using System.Text;
using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

public sealed class ProjectorTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Given_account_events_when_the_projector_catches_up_then_each_read_model_reflects_every_event_once()
    {
        var ledger = new Ledger();
        await using var harness = Harness.InMemory(projectors: [ledger]);
        await harness.AppendAsync(Harness.Account("alice"), new Opened("alice", 0m), new Deposited("alice", 50m, "salary"), new Withdrawn("alice", 20m));
        await harness.AppendAsync(Harness.Account("bob"), new Opened("bob", 0m), new Deposited("bob", 5m, "gift"));

        var handled = await harness.Projector().CatchUpAsync();

        Assert.Equal(5, handled);
        Assert.Equal(new AccountSummary("alice", 30m, 3, "withdrawn"), await harness.ReadModels.GetAsync<AccountSummary>(Ledger.ProjectorName, "alice"));
        Assert.Equal(new AccountSummary("bob", 5m, 2, "gift"), await harness.ReadModels.GetAsync<AccountSummary>(Ledger.ProjectorName, "bob"));
        Assert.Equal(5, await harness.Store.Components.GetCheckpointAsync("projector:Tests.Ledger"));
    }

    [Fact]
    public async Task Given_a_batch_where_later_events_read_what_earlier_ones_set_then_reads_see_the_buffered_writes_and_one_commit_lands_them()
    {
        var ledger = new Ledger();
        var counting = new CountingStore(new Storage.InMemory.InMemoryStore());
        await using var harness = new Harness(counting, projectors: [ledger]);
        await harness.AppendAsync(Harness.Account("alice"), new Opened("alice", 0m), new Deposited("alice", 1m, "a"), new Deposited("alice", 2m, "b"));

        await harness.Projector().CatchUpAsync();

        Assert.Equal(1, counting.Commits);
        Assert.Equal(new AccountSummary("alice", 3m, 3, "b"), await harness.ReadModels.GetAsync<AccountSummary>(Ledger.ProjectorName, "alice"));
    }

    [Fact]
    public async Task Given_a_projector_behind_by_more_than_a_batch_when_it_catches_up_then_it_commits_catch_up_batches_until_it_is_within_a_batch_of_the_head()
    {
        var counting = new CountingStore(new Storage.InMemory.InMemoryStore());
        await using var harness = new Harness(counting, projectors: [new Ledger()], configure: o => (o.BatchSize, o.CatchUpBatchSize) = (4, 16));
        await harness.AppendAsync(Harness.Account("alice"), [new Opened("alice", 0m), .. Enumerable.Range(1, 39).Select(i => new Deposited("alice", i, $"d{i}"))]);

        Assert.Equal(40, await harness.Projector().CatchUpAsync());
        await harness.AppendAsync(Harness.Account("alice"), new Deposited("alice", 40m, "d40"), new Deposited("alice", 41m, "d41"));
        Assert.Equal(2, await harness.Projector().CatchUpAsync());

        Assert.Equal([16L, 32L, 40L, 42L], counting.Checkpoints);
        Assert.Equal(new AccountSummary("alice", 41 * 42 / 2, 42, "d41"), await harness.ReadModels.GetAsync<AccountSummary>(Ledger.ProjectorName, "alice"));
    }

    [Fact]
    public async Task Given_a_projector_far_behind_when_it_catches_up_then_it_handles_each_page_while_the_next_ones_are_read_and_commits_whole_batches()
    {
        var inner = new Storage.InMemory.InMemoryStore();
        var handledFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The third page is read only once the first event is handled: a catch-up that read a whole batch before handling any would time out here.
        var log = new RecordingEvents(inner.Events) { BeforeRead = after => after >= 8 ? handledFirst.Task.WaitAsync(TimeSpan.FromSeconds(10)) : Task.CompletedTask };
        var counting = new CountingStore(inner) { Events = log };
        var ledger = new Ledger { BeforeProject = _ => handledFirst.TrySetResult() };
        await using var harness = new Harness(counting, projectors: [ledger], configure: o => (o.BatchSize, o.CatchUpBatchSize) = (4, 32));
        await harness.AppendAsync(Harness.Account("alice"), [new Opened("alice", 0m), .. Enumerable.Range(1, 39).Select(i => new Deposited("alice", i, $"d{i}"))]);

        Assert.Equal(40, await harness.Projector().CatchUpAsync());

        // Pages of CatchUpBatchSize / 8 events, each read once, in order; then the read at the head that finds nothing.
        Assert.Equal([.. Enumerable.Range(0, 11).Select(p => (p * 4L, 4)), (40L, 4)], log.Reads);
        Assert.Equal([32L, 40L], counting.Checkpoints);
        Assert.Equal(new AccountSummary("alice", 39 * 40 / 2, 40, "d39"), await harness.ReadModels.GetAsync<AccountSummary>(Ledger.ProjectorName, "alice"));
    }

    [Fact]
    public async Task Given_a_read_that_fails_in_the_middle_of_a_catch_up_batch_then_the_batch_commits_nothing_the_failure_surfaces_as_itself_and_the_next_catch_up_lands_every_event_once()
    {
        var inner = new Storage.InMemory.InMemoryStore();
        var failures = 0;
        var log = new RecordingEvents(inner.Events)
        {
            BeforeRead = after => after == 12 && Interlocked.Increment(ref failures) == 1 ? throw new IOException("The disk went away.") : Task.CompletedTask,
        };
        var counting = new CountingStore(inner) { Events = log };
        await using var harness = new Harness(counting, projectors: [new Ledger()], configure: o => (o.BatchSize, o.CatchUpBatchSize) = (4, 16));
        await harness.AppendAsync(Harness.Account("alice"), [new Opened("alice", 0m), .. Enumerable.Range(1, 39).Select(i => new Deposited("alice", i, $"d{i}"))]);

        var error = await Assert.ThrowsAsync<IOException>(() => harness.Projector().CatchUpAsync());
        Assert.Equal("The disk went away.", error.Message);
        Assert.Empty(counting.Checkpoints);
        Assert.Null(await harness.ReadModels.GetAsync<AccountSummary>(Ledger.ProjectorName, "alice"));

        harness.Projector().Reset();
        Assert.Equal(40, await harness.Projector().CatchUpAsync());

        Assert.Equal([16L, 32L, 40L], counting.Checkpoints);
        Assert.Equal(new AccountSummary("alice", 39 * 40 / 2, 40, "d39"), await harness.ReadModels.GetAsync<AccountSummary>(Ledger.ProjectorName, "alice"));
    }

    [Fact]
    public async Task Given_a_catch_up_batch_whose_commit_the_store_refuses_for_its_size_then_its_events_are_committed_a_batch_at_a_time_and_each_lands_once()
    {
        var counting = new CountingStore(new Storage.InMemory.InMemoryStore()) { MaxDocumentsPerCommit = 5 };
        await using var harness = new Harness(counting, projectors: [new Ledger()], configure: o => (o.BatchSize, o.CatchUpBatchSize) = (4, 16));
        for (var a = 0; a < 16; a++) await harness.AppendAsync(Harness.Account($"a{a}"), new Opened($"a{a}", 0m));

        Assert.Equal(16, await harness.Projector().CatchUpAsync());

        Assert.Equal([4L, 8L, 12L, 16L], counting.Checkpoints);
        for (var a = 0; a < 16; a++)
            Assert.Equal(new AccountSummary($"a{a}", 0m, 1, "opened"), await harness.ReadModels.GetAsync<AccountSummary>(Ledger.ProjectorName, $"a{a}"));
    }

    [Fact]
    public async Task Given_an_old_event_version_in_the_log_when_projecting_then_it_arrives_upcast()
    {
        await using var harness = Harness.InMemory(projectors: [new Ledger()]);
        await harness.AppendAsync(Harness.Account("alice"), new Opened("alice", 0m));
        await harness.Store.Events.AppendAsync([new AppendRequest(Harness.Account("alice"), ExpectedVersion.Any,
            [new NewEvent("old-1", "Tests.Deposited", 1, Encoding.UTF8.GetBytes("""{"account":"alice","amount":7}"""), Buses.Now, "/old", null, null)])]);

        await harness.Projector().CatchUpAsync();

        Assert.Equal(new AccountSummary("alice", 7m, 2, "(v1)"), await harness.ReadModels.GetAsync<AccountSummary>("Tests.Ledger", "alice"));
    }

    [Fact]
    public async Task Given_events_of_other_types_then_the_projector_reads_only_its_own()
    {
        var ledger = new Ledger();
        await using var harness = Harness.InMemory(projectors: [ledger]);
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "alice", 1m), new PayoutApproved("p1"));
        await harness.AppendAsync(Harness.Account("alice"), new Opened("alice", 0m));

        Assert.Equal(1, await harness.Projector().CatchUpAsync());
        Assert.Equal(1, ledger.Calls);
        Assert.Equal(3, await harness.Store.Components.GetCheckpointAsync("projector:Tests.Ledger"));
    }

    [Fact]
    public async Task Given_a_worker_stopped_mid_batch_when_a_new_one_resumes_on_the_same_file_then_every_event_lands_exactly_once()
    {
        const int deposits = 10;
        await using (var first = Harness.Sqlite(_database, projectors: [new Ledger()], configure: o => o.BatchSize = o.CatchUpBatchSize = 4))
        {
            await first.AppendAsync(Harness.Account("alice"), [new Opened("alice", 0m), .. Enumerable.Range(1, deposits).Select(i => new Deposited("alice", i, $"d{i}"))]);
            using var stop = new CancellationTokenSource();
            var ledger = (Ledger)first.Projector().Projector;
            var seen = 0;
            // The 7th event is in the second batch (events 5-8): the worker stops there, after projecting 5 and 6 into its buffer.
            ledger.BeforeProject = _ =>
            {
                if (++seen == 7) stop.Cancel();
            };

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Projector().RunAsync(stop.Token));

            Assert.Equal(4, await first.Store.Components.GetCheckpointAsync("projector:Tests.Ledger"));
            Assert.Equal(new AccountSummary("alice", 1m + 2m + 3m, 4, "d3"), await first.ReadModels.GetAsync<AccountSummary>("Tests.Ledger", "alice"));
        }

        await using var second = Harness.Sqlite(_database, projectors: [new Ledger()], configure: o => o.BatchSize = o.CatchUpBatchSize = 4);
        await second.Projector().CatchUpAsync();

        Assert.Equal(new AccountSummary("alice", deposits * (deposits + 1) / 2, deposits + 1, "d10"), await second.ReadModels.GetAsync<AccountSummary>("Tests.Ledger", "alice"));
        Assert.Equal(deposits + 1, await second.Store.Components.GetCheckpointAsync("projector:Tests.Ledger"));
    }

    [Fact]
    public async Task Given_two_workers_of_one_projector_on_one_file_when_both_catch_up_concurrently_then_each_event_lands_once()
    {
        await using var a = Harness.Sqlite(_database, projectors: [new Ledger()], configure: o => o.BatchSize = 3);
        await using var b = Harness.Sqlite(_database, projectors: [new Ledger()], configure: o => o.BatchSize = 3);
        await a.AppendAsync(Harness.Account("alice"), [new Opened("alice", 0m), .. Enumerable.Range(1, 40).Select(i => new Deposited("alice", 1m, $"d{i}"))]);

        await Task.WhenAll(Task.Run(() => a.Projector().CatchUpAsync()), Task.Run(() => b.Projector().CatchUpAsync()));
        await a.Projector().CatchUpAsync();

        Assert.Equal(new AccountSummary("alice", 40m, 41, "d40"), await a.ReadModels.GetAsync<AccountSummary>("Tests.Ledger", "alice"));
    }

    [Fact]
    public async Task Given_a_projection_built_incrementally_when_it_is_rebuilt_from_zero_then_every_read_model_is_byte_for_byte_the_same()
    {
        await using var harness = Harness.Sqlite(_database, projectors: [new Ledger()], configure: o => o.BatchSize = 5);
        var accounts = Enumerable.Range(0, 6).Select(i => $"acct-{i}").ToArray();
        foreach (var account in accounts) await harness.AppendAsync(Harness.Account(account), new Opened(account, 0m));
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < accounts.Length; i++)
            {
                await harness.AppendAsync(Harness.Account(accounts[i]), new Deposited(accounts[i], 10m * (round + 1), $"r{round}"));
                if ((i + round) % 3 == 0) await harness.AppendAsync(Harness.Account(accounts[i]), new Withdrawn(accounts[i], 1m));
            }
            await harness.Projector().CatchUpAsync();
        }
        // acct-x ends at 0 and is deleted by the projector; rebuilt, it must be absent again.
        await harness.AppendAsync(Harness.Account("acct-x"), new Opened("acct-x", 0m), new Deposited("acct-x", 3m, "x"), new Withdrawn("acct-x", 3m));
        await harness.Projector().CatchUpAsync();
        var incremental = await Snapshot(harness, [.. accounts, "acct-x"]);
        var checkpoint = await harness.Store.Components.GetCheckpointAsync("projector:Tests.Ledger");

        await harness.Rebuilder.RebuildAsync("Ledger");

        Assert.Equal(incremental, await Snapshot(harness, [.. accounts, "acct-x"]));
        Assert.Equal(checkpoint, await harness.Store.Components.GetCheckpointAsync(harness.Projector().CheckpointName));
        Assert.Null(incremental["acct-x"]);
        Assert.Equal(6, incremental.Values.Count(v => v is not null));
    }

    private static async Task<Dictionary<string, string?>> Snapshot(Harness harness, string[] keys)
    {
        var result = new Dictionary<string, string?>();
        foreach (var key in keys)
        {
            var document = await harness.Store.Components.GetDocumentAsync(harness.Projector().Collection, key);
            result[key] = document is null ? null : Encoding.UTF8.GetString(document.Data.Span);
        }
        return result;
    }

    [Fact]
    public async Task Given_read_models_then_queries_name_the_projector_by_schema_or_short_name_and_an_unknown_name_is_an_error()
    {
        await using var harness = Harness.InMemory(projectors: [new Ledger()]);
        await harness.AppendAsync(Harness.Account("alice"), new Opened("alice", 0m));
        await harness.Projector().CatchUpAsync();

        Assert.NotNull(await harness.ReadModels.GetAsync<AccountSummary>("Tests.Ledger", "alice"));
        Assert.NotNull(await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "alice"));
        Assert.Null(await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "nobody"));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.ReadModels.GetAsync<AccountSummary>("Nope", "alice").AsTask());
    }

    [Fact]
    public async Task Given_a_projector_subscribing_to_an_unregistered_event_type_then_creating_its_runner_fails_with_a_clear_message()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var harness = Harness.InMemory(projectors: [new UnregisteredProjector()]);
        });

        Assert.Contains("not a registered message type", error.Message);
    }

    private sealed class UnregisteredProjector : IProjector
    {
        public string Name => "Tests.Unregistered";

        public IReadOnlyList<Type> EventTypes { get; } = [typeof(Unregistered)];

        public ValueTask ProjectAsync(IEvent @event, ProjectionContext context) => ValueTask.CompletedTask;

        private sealed record Unregistered : IEvent;
    }
}

/// <summary>Counts component commits and the checkpoints they land; refuses, like a store's size limit, a commit of more than <see cref="MaxDocumentsPerCommit"/> documents.</summary>
public sealed class CountingStore(IConcordanceStore inner) : IConcordanceStore, IComponentStore
{
    public int Commits;

    public List<long> Checkpoints { get; } = [];

    public int MaxDocumentsPerCommit { get; init; } = int.MaxValue;

    /// <summary>The log: the inner store's, unless a wrapper of it is given.</summary>
    public IEventStore Events { get; init; } = inner.Events;

    public ISnapshotStore Snapshots => inner.Snapshots;
    public IComponentStore Components => this;
    public IOutboxStore Outbox => inner.Outbox;
    public IDeadLetterStore DeadLetters => inner.DeadLetters;

    public ValueTask<long> GetCheckpointAsync(string component, CancellationToken cancellationToken = default) => inner.Components.GetCheckpointAsync(component, cancellationToken);

    public ValueTask<StoredDocument?> GetDocumentAsync(string collection, string key, CancellationToken cancellationToken = default) =>
        inner.Components.GetDocumentAsync(collection, key, cancellationToken);

    public ValueTask<bool> CommitAsync(ComponentCommit commit, CancellationToken cancellationToken = default)
    {
        if (commit.Documents.Count > MaxDocumentsPerCommit) throw new ArgumentException($"{commit.Documents.Count} documents are more than this store commits at once.", nameof(commit));
        Interlocked.Increment(ref Commits);
        lock (Checkpoints) Checkpoints.Add(commit.Checkpoint);
        return inner.Components.CommitAsync(commit, cancellationToken);
    }

    public ValueTask ResetAsync(string component, string collection, CancellationToken cancellationToken = default) => inner.Components.ResetAsync(component, collection, cancellationToken);

    public ValueTask<IReadOnlyList<ComponentCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken = default) => inner.Components.ListCheckpointsAsync(cancellationToken);

    public ValueTask<ProjectionGenerations?> GetProjectionAsync(string projector, CancellationToken cancellationToken = default) =>
        inner.Components.GetProjectionAsync(projector, cancellationToken);

    public ValueTask<bool> SetProjectionAsync(string projector, ProjectionGenerations? expected, ProjectionGenerations next, CancellationToken cancellationToken = default) =>
        inner.Components.SetProjectionAsync(projector, expected, next, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

/// <summary>A log that records the global reads asked of it (position after, count) and can delay or fail one first.</summary>
public sealed class RecordingEvents(IEventStore inner) : IEventStore
{
    private readonly List<(long After, int MaxCount)> _reads = [];

    /// <summary>Runs before each global read is passed on, with its position.</summary>
    public Func<long, Task>? BeforeRead { get; init; }

    public IReadOnlyList<(long After, int MaxCount)> Reads
    {
        get
        {
            lock (_reads) return [.. _reads];
        }
    }

    public async ValueTask<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterPosition, int maxCount, EventFilter? filter = null, CancellationToken cancellationToken = default)
    {
        lock (_reads) _reads.Add((afterPosition, maxCount));
        if (BeforeRead is { } before) await before(afterPosition);
        return await inner.ReadAllAsync(afterPosition, maxCount, filter, cancellationToken);
    }

    public ValueTask<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<AppendRequest> requests, CancellationToken cancellationToken = default) =>
        inner.AppendAsync(requests, cancellationToken);

    public IAsyncEnumerable<StoredEvent> ReadStreamAsync(StreamId stream, long fromVersion, CancellationToken cancellationToken = default) =>
        inner.ReadStreamAsync(stream, fromVersion, cancellationToken);

    public ValueTask<long> GetStreamVersionAsync(StreamId stream, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(stream, cancellationToken);

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

    public ValueTask WaitForEventsAsync(long afterPosition, CancellationToken cancellationToken = default) => inner.WaitForEventsAsync(afterPosition, cancellationToken);

    public ValueTask<CommandRecord?> FindCommandAsync(string commandId, CancellationToken cancellationToken = default) => inner.FindCommandAsync(commandId, cancellationToken);

    public bool GroupsConcurrentAppends => inner.GroupsConcurrentAppends;
}
