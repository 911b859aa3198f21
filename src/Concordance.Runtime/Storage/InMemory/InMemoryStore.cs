using System.Runtime.CompilerServices;

namespace Concordance.Storage.InMemory;

/// <summary>
/// A storage backend in process memory, for tests and demos: every port behind one lock. Positions are
/// assigned and events published under that lock, so the global log is gap-safe by construction.
/// </summary>
public sealed class InMemoryStore : IConcordanceStore, IDisposable, IEventStore, ISnapshotStore, IComponentStore, IOutboxStore, IDeadLetterStore
{
    private readonly Lock _lock = new();
    private readonly List<StoredEvent> _log = [];
    private readonly Dictionary<StreamId, List<StoredEvent>> _streams = new();
    private readonly Dictionary<string, CommandRecord> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<StreamId, Snapshot> _snapshots = new();
    private readonly Dictionary<string, long> _checkpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Collection, string Key), StoredDocument> _documents = new();
    private readonly List<OutboxMessage> _outbox = [];
    private readonly HashSet<string> _outboxIds = new(StringComparer.Ordinal);
    private readonly List<DeadLetter> _deadLetters = [];
    private readonly Dictionary<string, ProjectionGenerations> _projections = new(StringComparer.Ordinal);
    private readonly LogSignal _signal = new();

    /// <inheritdoc />
    public IEventStore Events => this;

    /// <inheritdoc />
    public ISnapshotStore Snapshots => this;

    /// <inheritdoc />
    public IComponentStore Components => this;

    /// <inheritdoc />
    public IOutboxStore Outbox => this;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters => this;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<AppendRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        cancellationToken.ThrowIfCancellationRequested();
        // Before anything is written: a malformed request fails the whole call with nothing applied.
        foreach (var request in requests)
        {
            if (request.RejectionReason is not null && request.Events.Count > 0)
                throw new ArgumentException("A rejection is recorded without events.", nameof(requests));
        }
        var results = new AppendResult[requests.Count];
        var appended = false;
        lock (_lock)
        {
            for (var i = 0; i < requests.Count; i++)
            {
                var request = requests[i];
                var stream = _streams.TryGetValue(request.Stream, out var existing) ? existing : null;
                long current = stream?.Count ?? 0;
                if (request.CommandId is { } commandId && _commands.TryGetValue(commandId, out var record))
                {
                    results[i] = new AppendResult(AppendStatus.DuplicateCommand, current, [], record);
                    continue;
                }
                if (request.ExpectedVersion != ExpectedVersion.Any && request.ExpectedVersion != current)
                {
                    results[i] = new AppendResult(AppendStatus.WrongExpectedVersion, current, []);
                    continue;
                }
                if (request.RejectionReason is not null)
                {
                    if (request.CommandId is { } rejectedId)
                        _commands[rejectedId] = new CommandRecord(rejectedId, request.Stream, current, 0, request.RejectionReason);
                    results[i] = new AppendResult(AppendStatus.Appended, current, []);
                    continue;
                }
                if (stream is null && request.Events.Count > 0)
                {
                    stream = [];
                    _streams.Add(request.Stream, stream);
                }
                var stored = new StoredEvent[request.Events.Count];
                for (var e = 0; e < stored.Length; e++)
                {
                    var ev = request.Events[e];
                    stored[e] = new StoredEvent(ev.Id, ev.Source, ev.Type, ev.Time, request.Stream, current + e + 1, _log.Count + 1,
                        ev.CorrelationId, ev.CausationId, ev.SchemaVersion, ev.Data.ToArray())
                    {
                        TraceParent = ev.TraceParent,
                        TraceState = ev.TraceState,
                    };
                    _log.Add(stored[e]);
                    stream!.Add(stored[e]);
                }
                var version = current + stored.Length;
                if (request.CommandId is { } acceptedId)
                    _commands[acceptedId] = new CommandRecord(acceptedId, request.Stream, version, stored.Length, null);
                appended |= stored.Length > 0;
                results[i] = new AppendResult(AppendStatus.Appended, version, stored);
            }
        }
        if (appended) _signal.Pulse();
        return ValueTask.FromResult<IReadOnlyList<AppendResult>>(results);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredEvent> ReadStreamAsync(StreamId stream, long fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoredEvent[] events;
        lock (_lock)
        {
            events = _streams.TryGetValue(stream, out var list) ? list.Skip((int)Math.Max(0, fromVersion - 1)).ToArray() : [];
        }
        foreach (var e in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterPosition, int maxCount, EventFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var result = new List<StoredEvent>();
        lock (_lock)
        {
            for (var i = (int)Math.Max(0, afterPosition); i < _log.Count && result.Count < maxCount; i++)
            {
                if (filter is null || filter.Matches(_log[i].Type)) result.Add(_log[i]);
            }
        }
        return ValueTask.FromResult<IReadOnlyList<StoredEvent>>(result);
    }

    /// <inheritdoc />
    public ValueTask<long> GetStreamVersionAsync(StreamId stream, CancellationToken cancellationToken = default)
    {
        lock (_lock) return ValueTask.FromResult<long>(_streams.TryGetValue(stream, out var list) ? list.Count : 0);
    }

    /// <inheritdoc />
    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock) return ValueTask.FromResult<long>(_log.Count);
    }

    /// <inheritdoc />
    public ValueTask WaitForEventsAsync(long afterPosition, CancellationToken cancellationToken = default) =>
        _signal.WaitForHeadAsync(GetHeadPositionAsync, afterPosition, pollInterval: null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CommandRecord?> FindCommandAsync(string commandId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return ValueTask.FromResult(_commands.TryGetValue(commandId, out var record) ? record : null);
    }

    ValueTask<Snapshot?> ISnapshotStore.GetAsync(StreamId stream, CancellationToken cancellationToken)
    {
        lock (_lock) return ValueTask.FromResult(_snapshots.TryGetValue(stream, out var snapshot) ? snapshot : null);
    }

    ValueTask ISnapshotStore.SaveAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_snapshots.TryGetValue(snapshot.Stream, out var existing) || existing.Version < snapshot.Version)
                _snapshots[snapshot.Stream] = snapshot with { Data = snapshot.Data.ToArray() };
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<long> GetCheckpointAsync(string component, CancellationToken cancellationToken = default)
    {
        lock (_lock) return ValueTask.FromResult(_checkpoints.GetValueOrDefault(component));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ComponentCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<ComponentCheckpoint>>(
                _checkpoints.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new ComponentCheckpoint(c.Key, c.Value)).ToList());
        }
    }

    /// <inheritdoc />
    public ValueTask<StoredDocument?> GetDocumentAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        lock (_lock) return ValueTask.FromResult(_documents.TryGetValue((collection, key), out var document) ? document : null);
    }

    /// <inheritdoc />
    public ValueTask<bool> CommitAsync(ComponentCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        lock (_lock)
        {
            if (_checkpoints.GetValueOrDefault(commit.Component) != commit.ExpectedCheckpoint) return ValueTask.FromResult(false);
            foreach (var write in commit.Documents)
            {
                if (write.Data is { } data)
                    _documents[(write.Collection, write.Key)] = new StoredDocument(write.Collection, write.Key, data.ToArray(), commit.Checkpoint);
                else
                    _documents.Remove((write.Collection, write.Key));
            }
            foreach (var message in commit.Outbox)
            {
                if (_outboxIds.Add(message.Id)) _outbox.Add(message with { Data = message.Data.ToArray() });
            }
            foreach (var letter in commit.DeadLetters)
            {
                _deadLetters.RemoveAll(d => d.Id == letter.Id);
                _deadLetters.Add(letter);
            }
            foreach (var id in commit.RemovedDeadLetters) _deadLetters.RemoveAll(d => d.Id == id);
            _checkpoints[commit.Component] = commit.Checkpoint;
        }
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask ResetAsync(string component, string collection, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var key in _documents.Keys.Where(k => k.Collection == collection).ToList()) _documents.Remove(key);
            _checkpoints.Remove(component);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ProjectionGenerations?> GetProjectionAsync(string projector, CancellationToken cancellationToken = default)
    {
        lock (_lock) return ValueTask.FromResult(_projections.GetValueOrDefault(projector));
    }

    /// <inheritdoc />
    public ValueTask<bool> SetProjectionAsync(string projector, ProjectionGenerations? expected, ProjectionGenerations next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_lock)
        {
            if (_projections.GetValueOrDefault(projector) != expected) return ValueTask.FromResult(false);
            _projections[projector] = next;
        }
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OutboxMessage>> GetPendingAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        lock (_lock) return ValueTask.FromResult<IReadOnlyList<OutboxMessage>>(_outbox.Take(maxCount).ToArray());
    }

    /// <inheritdoc />
    public ValueTask MarkDispatchedAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        var set = ids.ToHashSet(StringComparer.Ordinal);
        // The id stays in _outboxIds: a re-run that enqueues the same message again must not resend it.
        lock (_lock) _outbox.RemoveAll(m => set.Contains(m.Id));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string? component = null, CancellationToken cancellationToken = default)
    {
        lock (_lock) return ValueTask.FromResult<IReadOnlyList<DeadLetter>>(_deadLetters.Where(d => component is null || d.Component == component).ToArray());
    }

    ValueTask<DeadLetter?> IDeadLetterStore.GetAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock) return ValueTask.FromResult(_deadLetters.FirstOrDefault(d => d.Id == id));
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock) return ValueTask.FromResult(_deadLetters.RemoveAll(d => d.Id == id) > 0);
    }

    /// <summary>Nothing to release: the store lives in memory.</summary>
    public void Dispose()
    {
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
