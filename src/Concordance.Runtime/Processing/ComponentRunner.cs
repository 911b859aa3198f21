using System.Diagnostics;
using Concordance.Storage;
using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>
/// Runs one subscribing component (projector, process manager or gateway) over the global log: reads the events it
/// subscribes to after its durable checkpoint, handles each with bounded retries (an event still failing after
/// <see cref="ProcessingOptions.MaxAttempts"/> becomes a dead letter), and commits the effects together with the
/// new checkpoint as one <see cref="ComponentCommit"/>. The store's gap-safe <c>ReadAllAsync</c> lets it resume
/// after the last position it saw without skipping a late commit.
/// </summary>
internal abstract partial class ComponentRunner : IDisposable
{
    private EventFilter _filter;
    private readonly EventFilter _rebuildFilter;
    private long _checkpoint = -1;
    private long _head = -1;
    private long _seen;
    private string _checkpointName;
    private int _running;

    protected ComponentRunner(string kind, string name, IReadOnlyList<Type> eventTypes, ProcessingEnvironment environment)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Component = $"{kind}:{name}";
        _checkpointName = Component;
        Environment = environment ?? throw new ArgumentNullException(nameof(environment));
        _filter = environment.FilterFor(Component, eventTypes) with { Session = NewSession() };
        // A rebuild reads as nobody: it must not move the cursor a backend keeps for the component's worker (on another host, maybe).
        _rebuildFilter = _filter with { Component = null };
        Logger = environment.LoggerFactory.CreateLogger(GetType().FullName!);
        ConcordanceTelemetry.Observe(this);
    }

    /// <summary>The component's schema name, e.g. <c>Bank.AccountLedger</c>.</summary>
    public string Name { get; }

    /// <summary>The checkpoint and dead-letter name, e.g. <c>projector:Bank.AccountLedger</c>.</summary>
    public string Component { get; }

    /// <summary>The name the component's checkpoint is stored under: <see cref="Component"/>, or a projector's active build's.</summary>
    public string CheckpointName
    {
        get => Volatile.Read(ref _checkpointName);
        protected set => Volatile.Write(ref _checkpointName, value);
    }

    /// <summary>Whether batches are read without naming the component (a shadow build must not move the worker's cursor).</summary>
    protected virtual bool ReadsAsNobody => false;

    /// <summary>The most events read and committed as one batch at the head of the log (<see cref="ProcessingOptions.BatchSize"/>, at least 1).</summary>
    private int BatchSize => Math.Max(1, Environment.Processing.BatchSize);

    /// <summary>The most events read as one batch while behind the head by more than a batch (projectors: <see cref="ProcessingOptions.CatchUpBatchSize"/>).</summary>
    protected virtual int CatchUpBatchSize => Environment.Processing.BatchSize;

    /// <summary>Runs after each batch of the worker; returns true when it has more work to do at once (no waiting for events).</summary>
    protected virtual ValueTask<bool> AfterBatchAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <summary>Runs before the stored checkpoint is read again (at the start, and after <see cref="Reset"/>).</summary>
    protected virtual ValueTask BeforeCheckpointReadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Serialises batches with dead-letter retries and rebuilds.</summary>
    protected SemaphoreSlim Gate { get; } = new(1, 1);

    protected ProcessingEnvironment Environment { get; }

    protected ILogger Logger { get; }

    /// <summary>The head position last seen minus the position processed; null before the first look at the log.</summary>
    public long? Lag
    {
        get
        {
            var head = Volatile.Read(ref _head);
            return head < 0 ? null : Math.Max(0, head - Math.Max(Volatile.Read(ref _seen), Volatile.Read(ref _checkpoint)));
        }
    }

    /// <summary>The checkpoint this runner holds (-1 until it has read it).</summary>
    public long Checkpoint => Volatile.Read(ref _checkpoint);

    /// <summary>Whether this host's worker is running the component now (with leases: holding its lease).</summary>
    public bool IsRunning => Volatile.Read(ref _running) > 0;

    /// <summary>Processes batches until cancelled, waiting for new events when caught up.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _running);
        try
        {
            await RunBatchesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            StopReadAhead();
            Interlocked.Decrement(ref _running);
        }
    }

    private async Task RunBatchesAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (count, waitAfter) = await ProcessNextBatchAsync(cancellationToken).ConfigureAwait(false);
            var more = await AfterBatchAsync(cancellationToken).ConfigureAwait(false);
            // A full batch, a commit that lost to another worker (checkpoint forgotten) or more work: read again at once.
            if (count >= Environment.Processing.BatchSize || Checkpoint < 0 || more) continue;
            await WaitForEventsAsync(waitAfter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Processes every event committed so far; returns how many were handled.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var (count, _) = await ProcessNextBatchAsync(cancellationToken).ConfigureAwait(false);
            if (count == 0) return total;
            total += count;
        }
    }

    /// <summary>
    /// Whether the stored checkpoint covers every event up to <paramref name="position"/> this component subscribes to,
    /// whoever processed them (this host's worker or another's): the checkpoint has reached it, or the first of its
    /// events after the checkpoint lies beyond it. Reads as nobody, like a rebuild, so no worker's cursor moves.
    /// </summary>
    public async Task<bool> HasProcessedAsync(long position, CancellationToken cancellationToken)
    {
        var store = Environment.Store;
        var checkpoint = await store.Components.GetCheckpointAsync(CheckpointName, cancellationToken).ConfigureAwait(false);
        if (checkpoint >= position) return true;
        var next = await store.Events.ReadAllAsync(checkpoint, 1, _rebuildFilter, cancellationToken).ConfigureAwait(false);
        return next.Count == 0 || next[0].Position > position;
    }

    /// <summary>Reads and handles at most one batch; returns how many events it read.</summary>
    public async Task<int> ProcessOneBatchAsync(CancellationToken cancellationToken = default) =>
        (await ProcessNextBatchAsync(cancellationToken).ConfigureAwait(false)).Count;

    /// <summary>
    /// Forgets the in-memory checkpoint (after a failure, or a lease lost to another host), so the next batch starts from
    /// the stored one, and starts a new reading session: a store keeping a server-side cursor for the component (NATS)
    /// must not trust it, since another host may have run the component meanwhile.
    /// </summary>
    public void Reset()
    {
        Volatile.Write(ref _filter, _filter with { Session = NewSession() });
        Volatile.Write(ref _checkpoint, -1);
    }

    private static string NewSession() => Guid.NewGuid().ToString("N");

    /// <summary>Reads and handles one batch under the gate; returns the events read and the position to wait after.</summary>
    protected async Task<(int Count, long WaitAfter)> ProcessNextBatchAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ProcessBatchUnderGateAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Reads and handles one batch (the gate held); <paramref name="rebuilding"/> reads without naming the component.</summary>
    protected async Task<(int Count, long WaitAfter)> ProcessBatchUnderGateAsync(CancellationToken cancellationToken, bool rebuilding = false)
    {
        var store = Environment.Store;
        if (Checkpoint < 0)
        {
            await BeforeCheckpointReadAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _checkpoint, await store.Components.GetCheckpointAsync(CheckpointName, cancellationToken).ConfigureAwait(false));
        }
        return await ReadAndHandleAsync(Checkpoint, rebuilding || ReadsAsNobody ? _rebuildFilter : Volatile.Read(ref _filter), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Handles <paramref name="batch"/> and commits; by default as one unit with the last position as the checkpoint. A
    /// batch whose commit the store refuses for its size (<see cref="ArgumentException"/>, nothing written) is handled
    /// again one event per commit, so the rest flows and only an event too large on its own is parked.
    /// </summary>
    protected virtual async Task HandleBatchAsync(IReadOnlyList<StoredEvent> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 1)
        {
            await HandleAloneAsync(batch[0], cancellationToken).ConfigureAwait(false);
            return;
        }
        var unit = new ComponentUnitOfWork(Environment.Store.Components);
        foreach (var stored in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await HandleWithRetriesAsync(stored, unit, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            await CommitAsync(unit, batch[^1].Position).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            Logger.LogWarning(ex, "{Component}: the store refused the commit of {Count} event(s) at positions {First}..{Last} for its size; committing them one at a time.",
                Component, batch.Count, batch[0].Position, batch[^1].Position);
            await HandleEachAloneAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Handles the events of <paramref name="batch"/> one commit each, stopping when another worker moves the checkpoint.</summary>
    protected async Task HandleEachAloneAsync(IReadOnlyList<StoredEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var stored in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await HandleAloneAsync(stored, cancellationToken).ConfigureAwait(false);
            // Another worker moved the checkpoint: stop and re-read rather than go on from a stale position.
            if (Checkpoint != stored.Position) return;
        }
    }

    /// <summary>
    /// Handles one event in a commit of its own. When the store refuses even that commit for its size, the event is parked
    /// as a dead letter with the store's error and its effects are dropped: the checkpoint moves past it.
    /// </summary>
    protected async Task HandleAloneAsync(StoredEvent stored, CancellationToken cancellationToken)
    {
        var unit = new ComponentUnitOfWork(Environment.Store.Components);
        await HandleWithRetriesAsync(stored, unit, cancellationToken).ConfigureAwait(false);
        try
        {
            await CommitAsync(unit, stored.Position).ConfigureAwait(false);
            return;
        }
        catch (ArgumentException ex)
        {
            Logger.LogError(ex, "{Component}: the effects of {EventType} {EventId} at position {Position} of {Stream} are more than the store can commit; parking it as a dead letter.",
                Component, stored.Type, stored.Id, stored.Position, stored.Stream);
            var parked = new ComponentUnitOfWork(Environment.Store.Components);
            parked.DeadLetters.Add(new DeadLetter(DeadLetterId(stored), DeadLetterComponent, stored.Position, stored.Stream, stored.Id, stored.Type,
                ex.ToString(), 1, Environment.Time.GetUtcNow())
            {
                Data = stored.Data,
                SchemaVersion = stored.SchemaVersion,
                Generation = DeadLetterGeneration,
            });
            await CommitAsync(parked, stored.Position).ConfigureAwait(false);
        }
    }

    /// <summary>Handles one event; its effects go to <paramref name="unit"/>. Throws to signal a failed attempt.</summary>
    protected abstract ValueTask HandleAsync(StoredEvent stored, IEvent @event, ComponentUnitOfWork unit, CancellationToken cancellationToken);

    /// <summary>Tries <paramref name="stored"/> up to the configured attempts with backoff; an event still failing is added to the unit as a dead letter.</summary>
    protected async Task HandleWithRetriesAsync(StoredEvent stored, ComponentUnitOfWork unit, CancellationToken cancellationToken)
    {
        var maxAttempts = Math.Max(1, Environment.Processing.MaxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            var savepoint = unit.Mark();
            using var activity = StartActivity(stored, attempt);
            try
            {
                await HandleOnceAsync(stored, unit, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                unit.Rollback(savepoint);
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                if (attempt >= maxAttempts)
                {
                    Logger.LogError(ex, "{Component} failed {Attempts} time(s) on {EventType} {EventId} at position {Position} of {Stream}; parking it as a dead letter.",
                        Component, attempt, stored.Type, stored.Id, stored.Position, stored.Stream);
                    unit.DeadLetters.Add(new DeadLetter(DeadLetterId(stored), DeadLetterComponent, stored.Position, stored.Stream, stored.Id, stored.Type,
                        ex.ToString(), attempt, Environment.Time.GetUtcNow())
                    {
                        // The event as stored: what an unreadable event was is kept for whoever looks at it.
                        Data = stored.Data,
                        SchemaVersion = stored.SchemaVersion,
                        Generation = DeadLetterGeneration,
                    });
                    return;
                }
                var delay = Environment.Processing.BackoffAfter(attempt);
                Logger.LogWarning(ex, "{Component} failed on {EventType} {EventId} at position {Position} (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}.",
                    Component, stored.Type, stored.Id, stored.Position, attempt, maxAttempts, delay);
                if (delay > TimeSpan.Zero) await Task.Delay(delay, Environment.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask HandleOnceAsync(StoredEvent stored, ComponentUnitOfWork unit, CancellationToken cancellationToken)
    {
        var @event = Environment.Serializer.Deserialize(stored);
        await HandleAsync(stored, @event, unit, cancellationToken).ConfigureAwait(false);
    }

    private Activity? StartActivity(StoredEvent stored, int attempt)
    {
        // A child of the span that appended the event (the command's send, a gateway's handling): one trace end to end.
        // Named only when someone listens: the name is a string per event.
        if (!ConcordanceTelemetry.IsListening) return null;
        var activity = ConcordanceTelemetry.StartContinuing($"{Component} {stored.Type}", ActivityKind.Consumer, stored.TraceParent, stored.TraceState);
        if (activity is null) return null;
        activity.SetTag(ConcordanceTelemetry.ComponentTag, Component);
        activity.SetTag("concordance.event.id", stored.Id);
        activity.SetTag("concordance.event.position", stored.Position);
        activity.SetTag("concordance.correlation.id", stored.CorrelationId);
        activity.SetTag("concordance.attempt", attempt);
        return activity;
    }

    /// <summary>
    /// The dead-letter id of <paramref name="stored"/> for this component: unique per component (a projector's build:
    /// its checkpoint name) and event.
    /// </summary>
    protected string DeadLetterId(StoredEvent stored) => $"{CheckpointName}@{stored.Position}";

    /// <summary>The component a dead letter is parked under: the component's own name (a projector's shadow build: the projector's).</summary>
    protected virtual string DeadLetterComponent => Component;

    /// <summary>The build a dead letter is parked by (<see cref="DeadLetter.Generation"/>), or null.</summary>
    protected virtual string? DeadLetterGeneration => null;

    /// <summary>
    /// Commits <paramref name="unit"/> moving the checkpoint to <paramref name="checkpoint"/>. Not cancellable: once the
    /// effects are computed they land or not as one unit. If another worker moved the checkpoint, nothing lands and the
    /// runner re-reads it.
    /// </summary>
    protected async Task CommitAsync(ComponentUnitOfWork unit, long checkpoint)
    {
        var commit = unit.ToCommit(CheckpointName, Checkpoint, checkpoint);
        if (await Environment.Store.Components.CommitAsync(commit, CancellationToken.None).ConfigureAwait(false))
        {
            Volatile.Write(ref _checkpoint, checkpoint);
            AfterCommit(commit);
            return;
        }
        Logger.LogWarning("{Component}: the checkpoint moved away from {Expected} (another worker?); discarding the batch up to {Position} and re-reading.",
            Component, commit.ExpectedCheckpoint, checkpoint);
        Reset();
    }

    /// <summary>Commits <paramref name="unit"/> without moving the checkpoint (a dead-letter retry), re-reading it if another worker moves it meanwhile.</summary>
    protected async Task CommitInPlaceAsync(ComponentUnitOfWork unit, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await Environment.Store.Components.GetCheckpointAsync(CheckpointName, cancellationToken).ConfigureAwait(false);
            var commit = unit.ToCommit(CheckpointName, current, current);
            if (await Environment.Store.Components.CommitAsync(commit, CancellationToken.None).ConfigureAwait(false))
            {
                AfterCommit(commit);
                return;
            }
            if (attempt >= 100) throw new InvalidOperationException($"{Component}: the checkpoint kept moving; the retry could not be committed.");
        }
    }

    private void AfterCommit(ComponentCommit commit)
    {
        ConcordanceTelemetry.RecordDeadLetters(Component, commit.DeadLetters.Count);
        if (commit.Outbox.Count > 0) Environment.OutboxSignal.Pulse();
    }

    /// <summary>Whether a dead-letter retry must wait for the batch in progress (components with documents do).</summary>
    protected virtual bool RetryTakesGate => true;

    /// <summary>
    /// Re-runs <paramref name="stored"/> (the event of <paramref name="letter"/>) once. On success its effects commit
    /// with the letter's removal as one unit and true is returned; on failure the letter is updated with the new error.
    /// </summary>
    public virtual async Task<bool> RetryAsync(DeadLetter letter, StoredEvent stored, CancellationToken cancellationToken)
    {
        if (RetryTakesGate) await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var unit = new ComponentUnitOfWork(Environment.Store.Components);
            using var activity = StartActivity(stored, letter.Attempts + 1);
            try
            {
                await HandleOnceAsync(stored, unit, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                Logger.LogWarning(ex, "{Component}: retrying dead letter {DeadLetterId} failed again.", Component, letter.Id);
                var failed = new ComponentUnitOfWork(Environment.Store.Components);
                failed.DeadLetters.Add(letter with
                {
                    Error = ex.ToString(),
                    Attempts = letter.Attempts + 1,
                    FailedAt = Environment.Time.GetUtcNow(),
                    Data = stored.Data,
                    SchemaVersion = stored.SchemaVersion,
                });
                await CommitInPlaceAsync(failed, cancellationToken).ConfigureAwait(false);
                return false;
            }
            unit.RemovedDeadLetters.Add(letter.Id);
            await CommitInPlaceAsync(unit, cancellationToken).ConfigureAwait(false);
            Logger.LogInformation("{Component}: dead letter {DeadLetterId} retried successfully and removed.", Component, letter.Id);
            return true;
        }
        finally
        {
            if (RetryTakesGate) Gate.Release();
        }
    }

    private async Task WaitForEventsAsync(long afterPosition, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(Environment.Processing.IdlePollInterval);
        try
        {
            await Environment.Store.Events.WaitForEventsAsync(afterPosition, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The idle poll elapsed: look at the log again.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        StopReadAhead();
        ConcordanceTelemetry.Forget(this);
    }
}
