using Concordance.Storage;

namespace Concordance.Runtime.Tests.Commands;

public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

public static class Buses
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static ComponentCatalog Catalog()
    {
        var catalog = new ComponentCatalog();
        foreach (var type in AccountMessages.All) catalog.Add(type);
        return catalog;
    }

    public static CommandBus Create(IConcordanceStore store, Action<ConcordanceOptions>? configure = null)
    {
        var options = new ConcordanceOptions { Source = "/tests/bank" };
        configure?.Invoke(options);
        return new CommandBus(store, [new AccountAggregate()], new MessageSerializer(Catalog()), options, new FixedTime(Now));
    }
}

/// <summary>Wraps a store to observe and steer the event store: batch sizes, stream reads, a gate on the first append, forced conflicts.</summary>
public sealed class ObservedStore(IConcordanceStore inner) : IConcordanceStore, IEventStore, ISnapshotStore
{
    private readonly Lock _lock = new();
    private int _appendCalls;

    public List<int> BatchSizes { get; } = [];

    public List<(StreamId Stream, long FromVersion)> StreamReads { get; } = [];

    /// <summary>Every append request, in the order the store received them.</summary>
    public List<AppendRequest> Requests { get; } = [];

    /// <summary>The command ids looked up with <see cref="FindCommandAsync"/>, in order.</summary>
    public List<string> CommandLookups { get; } = [];

    /// <summary>When set, the first append waits for this task.</summary>
    public TaskCompletionSource? FirstAppendGate { get; set; }

    public TaskCompletionSource FirstAppendEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, the first append blocks its thread on this (as a store writing synchronously, like SQLite's fsync, does).</summary>
    public ManualResetEventSlim? FirstAppendBlocksOn { get; set; }

    public bool AlwaysConflict { get; set; }

    /// <summary>When set, the log's head cannot be read (as with a store that does not answer).</summary>
    public bool Unreachable { get; set; }

    /// <summary>What the store tells the bus (<see cref="IEventStore.GroupsConcurrentAppends"/>); true, as the default, unless set.</summary>
    public bool GroupsConcurrentAppends { get; set; } = true;

    public IEventStore Events => this;
    public ISnapshotStore Snapshots => this;

    /// <summary>When set, snapshot saves wait for this task (and fail with its exception) before reaching the store.</summary>
    public TaskCompletionSource? SnapshotGate { get; set; }

    public ValueTask<Snapshot?> GetAsync(StreamId stream, CancellationToken cancellationToken = default) => inner.Snapshots.GetAsync(stream, cancellationToken);

    public async ValueTask SaveAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        if (SnapshotGate is { } gate) await gate.Task;
        await inner.Snapshots.SaveAsync(snapshot, cancellationToken);
    }
    public IComponentStore Components => inner.Components;
    public IOutboxStore Outbox => inner.Outbox;
    public IDeadLetterStore DeadLetters => inner.DeadLetters;

    public async ValueTask<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<AppendRequest> requests, CancellationToken cancellationToken = default)
    {
        int call;
        lock (_lock)
        {
            call = ++_appendCalls;
            BatchSizes.Add(requests.Count);
            Requests.AddRange(requests);
        }
        if (call == 1 && FirstAppendBlocksOn is { } block)
        {
            FirstAppendEntered.TrySetResult();
            block.Wait(TimeSpan.FromSeconds(30));
        }
        if (call == 1 && FirstAppendGate is { } gate)
        {
            FirstAppendEntered.TrySetResult();
            await gate.Task;
        }
        if (AlwaysConflict)
            return requests.Select(r => new AppendResult(AppendStatus.WrongExpectedVersion, r.ExpectedVersion + 1, [])).ToArray();
        return await inner.Events.AppendAsync(requests, cancellationToken);
    }

    public IAsyncEnumerable<StoredEvent> ReadStreamAsync(StreamId stream, long fromVersion, CancellationToken cancellationToken = default)
    {
        lock (_lock) StreamReads.Add((stream, fromVersion));
        return inner.Events.ReadStreamAsync(stream, fromVersion, cancellationToken);
    }

    public ValueTask<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterPosition, int maxCount, EventFilter? filter = null, CancellationToken cancellationToken = default) =>
        inner.Events.ReadAllAsync(afterPosition, maxCount, filter, cancellationToken);

    public ValueTask<long> GetStreamVersionAsync(StreamId stream, CancellationToken cancellationToken = default) => inner.Events.GetStreamVersionAsync(stream, cancellationToken);

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        Unreachable ? ValueTask.FromException<long>(new IOException("The store does not answer.")) : inner.Events.GetHeadPositionAsync(cancellationToken);

    public ValueTask WaitForEventsAsync(long afterPosition, CancellationToken cancellationToken = default) => inner.Events.WaitForEventsAsync(afterPosition, cancellationToken);

    public ValueTask<CommandRecord?> FindCommandAsync(string commandId, CancellationToken cancellationToken = default)
    {
        lock (_lock) CommandLookups.Add(commandId);
        return inner.Events.FindCommandAsync(commandId, cancellationToken);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
