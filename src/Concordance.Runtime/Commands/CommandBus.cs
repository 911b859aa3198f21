using System.Diagnostics;
using System.Text.Json;
using Concordance.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concordance;

/// <summary>
/// The command path: route a command to its aggregate, load the state (hot cache, or snapshot + tail),
/// decide, evolve, and append with the expected version through group commit, recording the command's
/// outcome in the same commit. Commands to one stream run one at a time; a version conflict (another
/// process wrote) reloads and re-decides, a bounded number of times, after a random wait that grows with each
/// conflict (exponential backoff with full jitter, see <see cref="ConcordanceOptions.ConflictRetryDelay"/>).
/// </summary>
public sealed class CommandBus : ICommandBus, IAsyncDisposable, IDisposable
{
    private readonly IConcordanceStore _store;
    private readonly MessageSerializer _serializer;
    private readonly ConcordanceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<Type, IAggregate> _routes = new();
    private readonly StreamLocks _locks = new();
    private readonly HotStateCache _cache;
    private readonly GroupCommitWriter _writer;
    private readonly bool _groupCommit;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _snapshotSaves = new();

    /// <summary>Creates the bus over <paramref name="store"/> for <paramref name="aggregates"/>.</summary>
    public CommandBus(IConcordanceStore store, IEnumerable<IAggregate> aggregates, MessageSerializer serializer, ConcordanceOptions options, TimeProvider time, ILogger<CommandBus>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _serializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? (ILogger)NullLogger.Instance;
        foreach (var aggregate in aggregates)
        {
            foreach (var commandType in aggregate.CommandTypes)
            {
                if (!_routes.TryAdd(commandType, aggregate))
                    throw new InvalidOperationException($"Command {commandType} is handled by both {_routes[commandType].Name} and {aggregate.Name}.");
            }
        }
        _cache = new HotStateCache(options.MaxCachedStates);
        _writer = new GroupCommitWriter(store.Events, options.MaxBatchSize);
        _groupCommit = store.Events.GroupsConcurrentAppends;
    }

    internal HotStateCache Cache => _cache;

    internal GroupCommitWriter Writer => _writer;

    /// <inheritdoc />
    public Task<CommandResult> SendAsync(ICommand command, CancellationToken cancellationToken = default) =>
        SendAsync(command, new CommandMetadata(), cancellationToken);

    /// <inheritdoc />
    public async Task<CommandResult> SendAsync(ICommand command, CommandMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(metadata);
        var started = Stopwatch.GetTimestamp();
        var commandType = _serializer.NameOf(command.GetType());
        // The span's name is built only when someone listens.
        using var activity = ConcordanceTelemetry.ActivitySource.HasListeners()
            ? ConcordanceTelemetry.ActivitySource.StartActivity($"send {commandType}", ActivityKind.Internal)
            : null;
        activity?.SetTag("concordance.command.type", commandType);
        activity?.SetTag("concordance.command.id", metadata.CommandId);
        activity?.SetTag("concordance.correlation.id", metadata.CorrelationId);
        var outcome = "failed";
        try
        {
            var result = await SendCoreAsync(command, metadata, cancellationToken).ConfigureAwait(false);
            outcome = result.IsAccepted ? "accepted" : "rejected";
            return result;
        }
        finally
        {
            activity?.SetTag("concordance.command.outcome", outcome);
            if (outcome == "failed") activity?.SetStatus(ActivityStatusCode.Error);
            ConcordanceTelemetry.RecordCommand(commandType, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<CommandResult> SendCoreAsync(ICommand command, CommandMetadata metadata, CancellationToken cancellationToken)
    {
        if (!_routes.TryGetValue(command.GetType(), out var aggregate))
            throw new ArgumentException($"No registered aggregate handles {command.GetType()}.", nameof(command));
        // Refused before anything is read or written: a command the reader could not read back, a key or an id two
        // different strings of which would be stored as one (lone surrogates become U+FFFD in UTF-8).
        _serializer.Check(command);
        var key = aggregate.KeyOf(command) ?? throw new ArgumentException($"{aggregate.Name} gives no key for {command.GetType()}.", nameof(command));
        // A constant name: the path is only read on a refusal, and this runs for every command.
        MessageChecks.Identity(key, "the stream key");
        if (metadata.CommandId is { } given) MessageChecks.HeaderId(given, "the command id");
        if (metadata.CorrelationId is { } correlation) MessageChecks.HeaderId(correlation, "the correlation id");
        var stream = new StreamId(aggregate.Name, key);
        var givenId = metadata.CommandId is not null;
        var commandId = metadata.CommandId ?? CommandIds.NewVersion7(_time.GetUtcNow());

        using var gate = await _locks.AcquireAsync(stream, cancellationToken).ConfigureAwait(false);
        if (givenId && await _store.Events.FindCommandAsync(commandId, cancellationToken).ConfigureAwait(false) is { } known)
            return await ReplayOutcomeAsync(known, cancellationToken).ConfigureAwait(false);
        // Made here, or looked up just above: the store need not look the id up again before writing.
        var idSource = givenId ? CommandIdSource.GivenAndLookedUp : CommandIdSource.Made;

        // The send's span (or the caller's): stored with the events, so whoever handles them continues this trace.
        var (traceParent, traceState) = ConcordanceTelemetry.CurrentTraceContext();
        // After a conflict: the state decided on, still right at its version; the retry only reads the events after it.
        (long Version, object? State)? stale = null;
        for (var attempt = 0; ; attempt++)
        {
            // A hot stream's state is in the cache: no load to await.
            var (version, state) = stale is { } decided
                ? await CatchUpAsync(aggregate, stream, decided.Version, decided.State, cancellationToken).ConfigureAwait(false)
                : _cache.TryGet(stream, out var cachedVersion, out var cachedState)
                    ? (cachedVersion, cachedState)
                    : await LoadAsync(aggregate, stream, cancellationToken).ConfigureAwait(false);
            var decision = aggregate.Decide(command, state);
            AppendRequest request;
            object? newState = state;
            if (decision.IsRejected)
            {
                // Recorded at the version it was decided on: a rejection made on a stale state conflicts and is re-decided.
                request = new AppendRequest(stream, version, []) { CommandId = commandId, CommandIdSource = idSource, RejectionReason = decision.RejectionReason };
            }
            else
            {
                // Evolve before appending: an Apply that throws must not leave an event nobody can load.
                var now = _time.GetUtcNow();
                var events = new NewEvent[decision.Events.Count];
                for (var i = 0; i < events.Length; i++)
                {
                    var @event = decision.Events[i];
                    newState = aggregate.Evolve(@event, newState);
                    var (type, data) = SerializeDecided(@event, aggregate, command);
                    events[i] = new NewEvent($"{commandId}-{i}", type.Name, type.Version, data, now, _options.Source,
                        metadata.CorrelationId ?? commandId, commandId)
                    {
                        TraceParent = traceParent,
                        TraceState = traceState,
                    };
                }
                request = new AppendRequest(stream, version, events) { CommandId = commandId, CommandIdSource = idSource };
            }

            // Once handed over, an append runs to its end even if the caller stops waiting: its outcome is recorded.
            var result = await (_groupCommit ? _writer.AppendAsync(request) : AppendAloneAsync(request)).WaitAsync(cancellationToken).ConfigureAwait(false);
            switch (result.Status)
            {
                case AppendStatus.DuplicateCommand:
                    return await ReplayOutcomeAsync(result.ExistingCommand!, cancellationToken).ConfigureAwait(false);
                case AppendStatus.Appended when decision.IsRejected:
                    return CommandResult.Rejected(decision.RejectionReason!, result.StreamVersion);
                case AppendStatus.Appended:
                    ConcordanceTelemetry.RecordAppended(stream.Category, result.Events.Count);
                    _cache.Set(stream, result.StreamVersion, newState);
                    if (SnapshotDue(version, result.StreamVersion, newState)) SaveSnapshot(aggregate, stream, result.StreamVersion, newState!);
                    return CommandResult.Accepted(decision.Events, result.StreamVersion);
                default:
                    _cache.Remove(stream);
                    if (attempt >= _options.MaxConflictRetries)
                        throw new ConcurrencyConflictException($"Command {commandId} on '{stream}' conflicted {attempt + 1} times; the stream is at version {result.StreamVersion}.");
                    var wait = ConflictBackoff.Before(attempt + 1, _options.ConflictRetryDelay, _options.MaxConflictRetryDelay, Random.Shared.NextDouble());
                    _logger.LogDebug("Command {CommandId} on {Stream} expected version {Expected}, found {Actual}; retrying in {Wait}.", commandId, stream, version, result.StreamVersion, wait);
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    stale = (version, state);
                    break;
            }
        }
    }

    /// <summary>Writes an event <paramref name="aggregate"/> decided; one that could not be read back fails the command, naming both.</summary>
    private (MessageType Type, byte[] Data) SerializeDecided(IEvent @event, IAggregate aggregate, ICommand command)
    {
        try
        {
            return _serializer.Serialize(@event);
        }
        catch (InvalidMessageException ex)
        {
            throw new InvalidMessageException(ex.Path, $"{ex.Problem} (in an event {aggregate.Name} decided for {_serializer.NameOf(command.GetType())})", ex);
        }
    }

    /// <summary>One append on its own, for a store that pipelines concurrent appends itself (<see cref="IEventStore.GroupsConcurrentAppends"/>).</summary>
    private async Task<AppendResult> AppendAloneAsync(AppendRequest request) =>
        (await _store.Events.AppendAsync([request]).ConfigureAwait(false))[0];

    /// <summary>The state of <paramref name="stream"/>: from the cache, else the latest snapshot plus the events after it.</summary>
    private async ValueTask<(long Version, object? State)> LoadAsync(IAggregate aggregate, StreamId stream, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(stream, out var cachedVersion, out var cachedState)) return (cachedVersion, cachedState);
        long version = 0;
        object? state = null;
        if (_options.SnapshotEvery > 0 && await _store.Snapshots.GetAsync(stream, cancellationToken).ConfigureAwait(false) is { } snapshot)
        {
            try
            {
                var reader = new Utf8JsonReader(snapshot.Data.Span, MessageLimits.ReaderOptions);
                reader.Read();
                state = aggregate.ReadState(ref reader);
                version = snapshot.Version;
            }
            catch (JsonException ex)
            {
                // A snapshot is a cache: if the state's shape changed, replaying the events is always correct.
                _logger.LogWarning(ex, "Snapshot of {Stream} at version {Version} is unreadable; replaying the stream.", stream, snapshot.Version);
                state = null;
                version = 0;
            }
        }
        return await CatchUpAsync(aggregate, stream, version, state, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <paramref name="state"/> (right at <paramref name="version"/>) brought up to the stream's head by the events after
    /// it, and cached. After a conflict this reads only what the other writers appended: the shorter the time between
    /// load and append, the better a retry's chance under contention.
    /// </summary>
    private async ValueTask<(long Version, object? State)> CatchUpAsync(IAggregate aggregate, StreamId stream, long version, object? state, CancellationToken cancellationToken)
    {
        await foreach (var stored in _store.Events.ReadStreamAsync(stream, version + 1, cancellationToken).ConfigureAwait(false))
        {
            state = aggregate.Evolve(_serializer.Deserialize(stored), state);
            version = stored.Version;
        }
        _cache.Set(stream, version, state);
        return (version, state);
    }

    /// <summary>Whether the append from <paramref name="before"/> to <paramref name="after"/> crossed a multiple of <see cref="ConcordanceOptions.SnapshotEvery"/>.</summary>
    private bool SnapshotDue(long before, long after, object? state)
    {
        var every = _options.SnapshotEvery;
        return every > 0 && state is not null && after / every != before / every;
    }

    /// <summary>
    /// Saves a snapshot of <paramref name="state"/> off the command's path: the command has its answer already, and a
    /// snapshot is a cache (a failed or lost save only makes a later load replay more events), so the save is not
    /// awaited and its failure is logged, not thrown. The state is written at once; <see cref="DisposeAsync"/> waits
    /// for the saves still under way.
    /// </summary>
    private void SaveSnapshot(IAggregate aggregate, StreamId stream, long after, object state)
    {
        ValueTask save;
        try
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer, MessageLimits.WriterOptions))
                aggregate.WriteState(writer, state);
            save = _store.Snapshots.SaveAsync(new Snapshot(stream, after, buffer.WrittenSpan.ToArray()), CancellationToken.None);
        }
        catch (Exception ex)
        {
            save = ValueTask.FromException(ex);
        }
        if (save.IsCompletedSuccessfully) return;
        var saving = save.AsTask();
        _snapshotSaves.TryAdd(saving, 0);
        _ = saving.ContinueWith(done =>
        {
            _snapshotSaves.TryRemove(done, out _);
            if (done.Exception is { } failure)
                _logger.LogWarning(failure.GetBaseException(), "Saving the snapshot of {Stream} at version {Version} failed; loads replay from the one before.", stream, after);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Answers a repeated command id from its recorded first outcome, reading its events back from the log.</summary>
    private async Task<CommandResult> ReplayOutcomeAsync(CommandRecord record, CancellationToken cancellationToken)
    {
        if (!record.IsAccepted) return CommandResult.Rejected(record.RejectionReason!, record.Version);
        var events = new List<IEvent>(record.EventCount);
        await foreach (var stored in _store.Events.ReadStreamAsync(record.Stream, record.Version - record.EventCount + 1, cancellationToken).ConfigureAwait(false))
        {
            if (stored.Version > record.Version) break;
            events.Add(_serializer.Deserialize(stored));
        }
        return CommandResult.Accepted(events, record.Version);
    }

    /// <summary>
    /// Disposes synchronously, for a service provider or host disposed with <c>Dispose()</c>
    /// (<c>using var host = …</c>); waits for what <see cref="DisposeAsync"/> waits for.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Stops the group-commit loop after the queued appends are written, and waits for the snapshot saves under way.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        // Their failures are logged as they happen.
        await Task.WhenAll(_snapshotSaves.Keys).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }
}
