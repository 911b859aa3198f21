namespace Concordance.Storage;

/// <summary>
/// The event log: streams with optimistic concurrency, a global log in commit order, and the command
/// idempotency record. Implemented by every backend and checked by the one conformance suite.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Appends a batch of requests durably, in one commit where the backend can (group commit). Each request
    /// is decided on its own: its events are appended all or none, only when its stream is at its expected
    /// version and its command id (if any) is not yet recorded; a conflicting request does not hold back the
    /// others. Requests for the same stream in one batch see each other in order. When this returns, every
    /// appended event is durable and readable.
    /// </summary>
    /// <returns>One result per request, in order.</returns>
    /// <exception cref="ArgumentException">
    /// A request is malformed or over the store's size limits (a key, id or payload too long for it); nothing of the
    /// batch is written, so the caller may write the other requests again without it.
    /// </exception>
    ValueTask<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<AppendRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads <paramref name="stream"/> in version order, from <paramref name="fromVersion"/> (inclusive, 1-based). An event
    /// the store cannot read whole is returned in its place with <see cref="StoredEvent.Problem"/> set, never thrown; its
    /// data is not checked against its type (the reader does that).
    /// </summary>
    IAsyncEnumerable<StoredEvent> ReadStreamAsync(StreamId stream, long fromVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> events of the global log after <paramref name="afterPosition"/>
    /// (exclusive), in position order, optionally only those passing <paramref name="filter"/>. Gap-safe: an
    /// event that is returned has a position greater than every event that commits after this call started,
    /// so a reader that resumes after the last position it saw never skips an event committed late. An event the store
    /// cannot read whole is returned at its position with <see cref="StoredEvent.Problem"/> set and its raw bytes as
    /// <see cref="StoredEvent.Data"/>, never thrown, so one unreadable event cannot hold back the events after it: the
    /// reader decides what to do with it (a component retries it and parks it as a dead letter). Such an event passes
    /// <paramref name="filter"/> unless the store can tell its type does not.
    /// </summary>
    ValueTask<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterPosition, int maxCount, EventFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>The current version of <paramref name="stream"/> (0 when it has no events).</summary>
    ValueTask<long> GetStreamVersionAsync(StreamId stream, CancellationToken cancellationToken = default);

    /// <summary>The position of the last committed event in the global log (0 when empty).</summary>
    ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>Completes when the global log's head is past <paramref name="afterPosition"/> (at once if it already is).</summary>
    ValueTask WaitForEventsAsync(long afterPosition, CancellationToken cancellationToken = default);

    /// <summary>The recorded first outcome of command <paramref name="commandId"/>, or null when never recorded.</summary>
    ValueTask<CommandRecord?> FindCommandAsync(string commandId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether concurrent appends should be gathered into group-commit batches (true, the default: a backend whose
    /// cost is per commit, such as one fsync per SQLite transaction) or sent each on its own as they come (false: a
    /// backend that pipelines independent appends by itself, such as NATS, where every message is acknowledged on its
    /// own and a batch would only make the next commands wait for the slowest acknowledgement of the previous one).
    /// </summary>
    bool GroupsConcurrentAppends => true;
}

/// <summary>Aggregate state snapshots, keyed by stream; only a newer snapshot replaces an older one.</summary>
public interface ISnapshotStore
{
    /// <summary>The latest snapshot of <paramref name="stream"/>, or null.</summary>
    ValueTask<Snapshot?> GetAsync(StreamId stream, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="snapshot"/> unless a snapshot at the same or a later version is stored.</summary>
    ValueTask SaveAsync(Snapshot snapshot, CancellationToken cancellationToken = default);
}

/// <summary>
/// The unit of work of projectors, process managers and gateways: their checkpoints, documents (read models
/// and process state), and the commit that moves a checkpoint together with document writes, outbox messages
/// and dead letters.
/// </summary>
public interface IComponentStore
{
    /// <summary>The global position <paramref name="component"/> has processed up to (0 when it never committed).</summary>
    ValueTask<long> GetCheckpointAsync(string component, CancellationToken cancellationToken = default);

    /// <summary>The document under <paramref name="collection"/> and <paramref name="key"/>, or null.</summary>
    ValueTask<StoredDocument?> GetDocumentAsync(string collection, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits <paramref name="commit"/> as one unit if the component's checkpoint still equals
    /// <see cref="ComponentCommit.ExpectedCheckpoint"/>; otherwise commits nothing (another worker moved it).
    /// </summary>
    /// <returns>True when committed; false when the checkpoint had moved.</returns>
    /// <exception cref="ArgumentException">The commit is more than the store can hold in one unit (a size limit); nothing was written.</exception>
    ValueTask<bool> CommitAsync(ComponentCommit commit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every component that has a checkpoint (it committed at least once), with the checkpoint, ordered by name: what an
    /// operator's status view lists. Reads only; changes nothing in the store.
    /// </summary>
    ValueTask<IReadOnlyList<ComponentCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes every document of <paramref name="collection"/> and resets <paramref name="component"/>'s checkpoint to 0, as one unit (for a rebuild).</summary>
    ValueTask ResetAsync(string component, string collection, CancellationToken cancellationToken = default);

    /// <summary>Projector <paramref name="projector"/>'s builds (see <see cref="ProjectionGenerations"/>), or null when never set.</summary>
    ValueTask<ProjectionGenerations?> GetProjectionAsync(string projector, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets projector <paramref name="projector"/>'s builds to <paramref name="next"/> if they still equal
    /// <paramref name="expected"/> (null: never set), as one atomic step: the switch readers see at once, and only one
    /// of several hosts racing to make it succeeds.
    /// </summary>
    /// <returns>True when set; false when the stored value was not <paramref name="expected"/>.</returns>
    ValueTask<bool> SetProjectionAsync(string projector, ProjectionGenerations? expected, ProjectionGenerations next, CancellationToken cancellationToken = default);

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when this store could not hold <paramref name="write"/>: a key or value over
    /// its size limits. The runtime asks as a handler writes a document, so a write the store would refuse fails that
    /// event's handling (retried, then dead-lettered) instead of the component's whole commit. Holds anything by default.
    /// </summary>
    void EnsureCanHold(DocumentWrite write)
    {
    }
}

/// <summary>Messages committed by components and waiting to be sent. Enqueued only through <see cref="IComponentStore.CommitAsync"/>.</summary>
public interface IOutboxStore
{
    /// <summary>Up to <paramref name="maxCount"/> pending messages, oldest first.</summary>
    ValueTask<IReadOnlyList<OutboxMessage>> GetPendingAsync(int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Removes the messages with <paramref name="ids"/> from the pending set; unknown ids are ignored.</summary>
    ValueTask MarkDispatchedAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default);
}

/// <summary>Parked events a component kept failing on. Added only through <see cref="IComponentStore.CommitAsync"/>.</summary>
public interface IDeadLetterStore
{
    /// <summary>The dead letters, oldest first; only <paramref name="component"/>'s when given.</summary>
    ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string? component = null, CancellationToken cancellationToken = default);

    /// <summary>The dead letter with <paramref name="id"/>, or null.</summary>
    ValueTask<DeadLetter?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Removes the dead letter with <paramref name="id"/> (after a retry or a discard).</summary>
    /// <returns>True when it existed.</returns>
    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>A storage backend: every port over one store (one SQLite file, one in-memory instance, one NATS deployment).</summary>
public interface IConcordanceStore : IAsyncDisposable
{
    /// <summary>The event log and command idempotency record.</summary>
    IEventStore Events { get; }

    /// <summary>Aggregate snapshots.</summary>
    ISnapshotStore Snapshots { get; }

    /// <summary>Checkpoints, documents and the component unit of work.</summary>
    IComponentStore Components { get; }

    /// <summary>The outbox.</summary>
    IOutboxStore Outbox { get; }

    /// <summary>Dead letters.</summary>
    IDeadLetterStore DeadLetters { get; }

    /// <summary>
    /// Leases that let several host processes share the store with each component running on one of them at a
    /// time; null (the default) for stores one process owns (in-memory, SQLite), where every host runs every worker.
    /// </summary>
    IComponentLeases? Leases => null;
}

/// <summary>
/// Named leases with a time to live, held by one owner at a time: the hosted worker of a projector, process manager,
/// gateway or the outbox holds its component's lease (named like the checkpoint, e.g. <c>projector:Bank.AccountLedger</c>,
/// or <c>outbox</c>) while it runs, renews it well within <see cref="TimeToLive"/>, and stops when a renewal fails. A
/// lease nobody renews expires after <see cref="TimeToLive"/>, measured by the store (no clock skew between hosts), and
/// any owner may then take it. Leases keep work from being done twice; they are not what makes it exactly-once (the
/// checkpoint check of <see cref="IComponentStore.CommitAsync"/> is, even while a paused former holder still runs).
/// </summary>
public interface IComponentLeases
{
    /// <summary>How long a lease lasts after it was taken or last renewed.</summary>
    TimeSpan TimeToLive { get; }

    /// <summary>Takes lease <paramref name="name"/> for <paramref name="owner"/> when nobody holds it (or it expired, or it was released), or when <paramref name="owner"/> already holds it.</summary>
    /// <returns>The lease held, or null when another owner holds it.</returns>
    ValueTask<ComponentLease?> TryAcquireAsync(string name, string owner, CancellationToken cancellationToken = default);

    /// <summary>Extends <paramref name="lease"/> by <see cref="TimeToLive"/> from now if it is still the one held.</summary>
    /// <returns>The renewed lease, or null when it expired or another owner took it meanwhile (the holder must stop).</returns>
    ValueTask<ComponentLease?> TryRenewAsync(ComponentLease lease, CancellationToken cancellationToken = default);

    /// <summary>Gives <paramref name="lease"/> up so another owner can take it at once; nothing happens when it is no longer held.</summary>
    ValueTask ReleaseAsync(ComponentLease lease, CancellationToken cancellationToken = default);

    /// <summary>The owner holding lease <paramref name="name"/> now, or null when nobody does (never taken, expired or released). Reads only.</summary>
    ValueTask<string?> GetHolderAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>A component's checkpoint as stored.</summary>
/// <param name="Component">The component's checkpoint name, e.g. <c>projector:Bank.AccountLedger</c>.</param>
/// <param name="Position">The global position it has processed up to.</param>
public sealed record ComponentCheckpoint(string Component, long Position);

/// <summary>A lease as held: renewing or releasing it succeeds only while the store still holds this very lease.</summary>
/// <param name="Name">The lease's name (the component's checkpoint name, or <c>outbox</c>).</param>
/// <param name="Owner">The holder: one id per host process.</param>
/// <param name="Version">The store's version of the lease record (a revision), checked by renew and release.</param>
public sealed record ComponentLease(string Name, string Owner, long Version);

/// <summary>
/// A stored event that cannot be read: a torn row or undecodable message, JSON that is invalid, too deep or does not
/// read as its type, a type or version nobody registered, a value the reader refuses, an upcast that fails.
/// </summary>
public sealed class CorruptEventException : Exception
{
    /// <summary>Creates the exception for the event at <paramref name="position"/> of <paramref name="stream"/>.</summary>
    public CorruptEventException(StreamId stream, long position, string problem, Exception? innerException = null)
        : this(stream, null, position, problem, innerException)
    {
    }

    /// <summary>Creates the exception for the event at <paramref name="version"/> (null when unknown) of <paramref name="stream"/>, global position <paramref name="position"/>.</summary>
    public CorruptEventException(StreamId stream, long? version, long position, string problem, Exception? innerException = null)
        : base(version is { } v
            ? $"The stored event at version {v} of stream '{stream}' (global position {position}) cannot be read: {problem}"
            : $"The stored event at global position {position} of stream '{stream}' cannot be read: {problem}", innerException)
    {
        Stream = stream;
        Version = version;
        Position = position;
        Problem = problem;
    }

    /// <summary>The stream of the unreadable event.</summary>
    public StreamId Stream { get; }

    /// <summary>The unreadable event's version within <see cref="Stream"/>, or null when unknown.</summary>
    public long? Version { get; }

    /// <summary>The global position of the unreadable event.</summary>
    public long Position { get; }

    /// <summary>What could not be read, without the event's coordinates.</summary>
    public string Problem { get; }
}
