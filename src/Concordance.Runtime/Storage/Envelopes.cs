namespace Concordance.Storage;

/// <summary>
/// An event as it is stored: the CloudEvents 1.0 attributes (<c>id</c>, <c>source</c>, <c>type</c>,
/// <c>time</c>, <c>subject</c> = the stream key, <c>datacontenttype</c> = JSON) plus the stream, the version
/// within it, the position in the global log, correlation and causation ids and the event's schema version.
/// </summary>
/// <param name="Id">The CloudEvents <c>id</c>: unique per event.</param>
/// <param name="Source">The CloudEvents <c>source</c>: the application or component that produced the event.</param>
/// <param name="Type">The CloudEvents <c>type</c>: the event's stable schema name, e.g. <c>Bank.AccountCreated</c>.</param>
/// <param name="Time">The CloudEvents <c>time</c>, from the runtime's <see cref="TimeProvider"/>.</param>
/// <param name="Stream">The stream the event belongs to; its key is the CloudEvents <c>subject</c>.</param>
/// <param name="Version">The event's 1-based version within its stream.</param>
/// <param name="Position">The event's 1-based position in the global log; increases in commit order.</param>
/// <param name="CorrelationId">The id shared by everything caused by one original request, or null.</param>
/// <param name="CausationId">The id of the command or event that caused this event, or null.</param>
/// <param name="SchemaVersion">The version of the event's schema declaration the data was written with.</param>
/// <param name="Data">The event's JSON data (UTF-8), as stored: a reader finds out whether it reads as <paramref name="Type"/>.</param>
/// <remarks>
/// A store returns every event of its log, readable or not. When the store itself cannot read an event whole (a torn
/// SQLite row, an undecodable NATS message), it still returns it at its position, with what it could read, the raw
/// stored bytes as <see cref="Data"/> and the reason as <see cref="Problem"/>; reading such an event as a message
/// (<see cref="MessageSerializer.Deserialize(StoredEvent)"/>) fails with a <see cref="CorruptEventException"/>.
/// </remarks>
public sealed record StoredEvent(
    string Id,
    string Source,
    string Type,
    DateTimeOffset Time,
    StreamId Stream,
    long Version,
    long Position,
    string? CorrelationId,
    string? CausationId,
    int SchemaVersion,
    ReadOnlyMemory<byte> Data)
{
    /// <summary>The CloudEvents <c>specversion</c> every stored event follows.</summary>
    public const string SpecVersion = "1.0";

    /// <summary>The CloudEvents <c>datacontenttype</c> of <see cref="Data"/>.</summary>
    public const string DataContentType = "application/json";

    /// <summary>The CloudEvents <c>subject</c>: the stream key.</summary>
    public string Subject => Stream.Key;

    /// <summary>
    /// Why the store could not read this event's envelope (e.g. its type or data is missing, or its message cannot be
    /// decoded), or null when it read it whole. The attributes it could not read are empty (<see cref="Type"/> and
    /// <see cref="Id"/> <c>""</c>, <see cref="SchemaVersion"/> and, where unknown, <see cref="Version"/> 0) and
    /// <see cref="Data"/> holds the raw stored bytes.
    /// </summary>
    public string? Problem { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the operation that appended the event (the command's span), or null: the CloudEvents
    /// distributed-tracing extension. Components handling the event continue that trace.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> travelling with <see cref="TraceParent"/>, or null.</summary>
    public string? TraceState { get; init; }
}

/// <summary>An event to append; the store assigns its version and global position.</summary>
/// <param name="Id">The CloudEvents <c>id</c>. Deterministic ids (command id + index) let backends deduplicate retried appends.</param>
/// <param name="Type">The event's stable schema name.</param>
/// <param name="SchemaVersion">The version of the schema declaration <paramref name="Data"/> was written with.</param>
/// <param name="Data">The JSON data (UTF-8).</param>
/// <param name="Time">When the event happened, from the runtime's <see cref="TimeProvider"/>.</param>
/// <param name="Source">The CloudEvents <c>source</c>.</param>
/// <param name="CorrelationId">The correlation id, or null.</param>
/// <param name="CausationId">The causation id, or null.</param>
public sealed record NewEvent(
    string Id,
    string Type,
    int SchemaVersion,
    ReadOnlyMemory<byte> Data,
    DateTimeOffset Time,
    string Source,
    string? CorrelationId,
    string? CausationId)
{
    /// <summary>The W3C <c>traceparent</c> of the operation appending the event, or null; stored and returned as <see cref="StoredEvent.TraceParent"/>.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> travelling with <see cref="TraceParent"/>, or null.</summary>
    public string? TraceState { get; init; }
}

/// <summary>Well-known values of <see cref="AppendRequest.ExpectedVersion"/>.</summary>
public static class ExpectedVersion
{
    /// <summary>Append whatever the stream's version is.</summary>
    public const long Any = -1;

    /// <summary>The stream must not exist yet (version 0).</summary>
    public const long NoStream = 0;
}

/// <summary>
/// One stream's part of an append batch: its events are appended all or none, only if the stream is at
/// <see cref="ExpectedVersion"/>. With <see cref="CommandId"/> set, the command's outcome is recorded in the
/// same commit, and a command id already recorded makes the request a no-op answered with the first outcome.
/// </summary>
/// <param name="Stream">The stream to append to.</param>
/// <param name="ExpectedVersion">The version the stream must be at (0 = no stream), or <see cref="Storage.ExpectedVersion.Any"/>.</param>
/// <param name="Events">The events to append, in order; empty when recording a rejection.</param>
public sealed record AppendRequest(StreamId Stream, long ExpectedVersion, IReadOnlyList<NewEvent> Events)
{
    /// <summary>The id of the command that produced this append; its outcome is recorded with it. Null records nothing.</summary>
    public string? CommandId { get; init; }

    /// <summary>
    /// Where <see cref="CommandId"/> comes from, so a store can skip what cannot matter: NATS skips the lookups and
    /// records that cost round trips, SQLite the lookup and the record row of a made id (fewer pages per fsync'd commit);
    /// the in-memory store ignores it.
    /// </summary>
    public CommandIdSource CommandIdSource { get; init; }

    /// <summary>
    /// When set, the command was rejected for this reason: <see cref="Events"/> must be empty and only the outcome is
    /// recorded (still only at <see cref="ExpectedVersion"/>, so a rejection decided on a stale state is re-decided).
    /// </summary>
    public string? RejectionReason { get; init; }
}

/// <summary>Where an <see cref="AppendRequest.CommandId"/> comes from, and so what its store must still check.</summary>
public enum CommandIdSource
{
    /// <summary>Given by a caller and not looked up yet: the store looks it up before writing (the default).</summary>
    Given,

    /// <summary>
    /// Given by a caller who has just looked it up (<see cref="IEventStore.FindCommandAsync"/>) and found no outcome:
    /// the store need not look again, but must still never apply it twice (NATS: a repeat racing in after the lookup
    /// is refused through <c>Nats-Msg-Id</c>) and must record the outcome for a later repeat.
    /// </summary>
    GivenAndLookedUp,

    /// <summary>
    /// Made by the caller for this command alone (the bus's GUIDv7 when none is given) and handed to nobody who could
    /// send it again (it is visible only as the events' causation id): nothing to look up, and a store may skip a
    /// record whose only use is to answer a repeat. Within the append itself (a conflict retried, a publish repeated)
    /// it must still apply once.
    /// </summary>
    Made,
}

/// <summary>How one <see cref="AppendRequest"/> of a batch ended.</summary>
public enum AppendStatus
{
    /// <summary>The events (and the command record, if any) were committed.</summary>
    Appended,

    /// <summary>The stream was not at the expected version; nothing of this request was committed.</summary>
    WrongExpectedVersion,

    /// <summary>The command id was already recorded; nothing was committed and <see cref="AppendResult.ExistingCommand"/> holds the first outcome.</summary>
    DuplicateCommand,
}

/// <summary>The outcome of one <see cref="AppendRequest"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="StreamVersion">The stream's version after the request (its actual version on a conflict).</param>
/// <param name="Events">The events appended, with versions and positions; empty unless appended.</param>
/// <param name="ExistingCommand">The first recorded outcome when <paramref name="Status"/> is <see cref="AppendStatus.DuplicateCommand"/>.</param>
public sealed record AppendResult(AppendStatus Status, long StreamVersion, IReadOnlyList<StoredEvent> Events, CommandRecord? ExistingCommand = null);

/// <summary>
/// The recorded first outcome of a command (the idempotency record): accepted with the events at
/// versions <c>Version - EventCount + 1 .. Version</c> of <see cref="Stream"/>, or rejected with a reason.
/// </summary>
/// <param name="CommandId">The command's id.</param>
/// <param name="Stream">The stream the command was addressed to.</param>
/// <param name="Version">The stream's version right after the command.</param>
/// <param name="EventCount">How many events the command appended.</param>
/// <param name="RejectionReason">The rejection reason, or null when accepted.</param>
public sealed record CommandRecord(string CommandId, StreamId Stream, long Version, int EventCount, string? RejectionReason)
{
    /// <summary>True when the command was accepted.</summary>
    public bool IsAccepted => RejectionReason is null;
}

/// <summary>
/// Restricts a global-log read to some event types (backends may push it down to a filtered consumer). A component's
/// worker also says who reads (<see cref="Component"/>) and which stream categories its events can come from
/// (<see cref="Categories"/>), so a backend may keep a server-side cursor per component that sees only those streams.
/// </summary>
/// <param name="EventTypes">The stable schema names of the event types wanted.</param>
public sealed record EventFilter(IReadOnlySet<string> EventTypes)
{
    /// <summary>
    /// The component reading, by its checkpoint name (e.g. <c>projector:Bank.AccountLedger</c>), or null for a read
    /// no component owns (tools, tests, rebuilds). A backend may keep a cursor per component between reads (NATS: its
    /// durable consumers); one component reads from one place at a time, resuming after the last position it was given
    /// or after its checkpoint.
    /// </summary>
    public string? Component { get; init; }

    /// <summary>
    /// The stream categories (<see cref="StreamId.Category"/>: an aggregate's schema name, or a gateway's name for the
    /// events it records) that can hold the wanted event types, or null when unknown (every stream is read). A hint for
    /// narrowing the read: events are still matched by <see cref="EventTypes"/>.
    /// </summary>
    public IReadOnlySet<string>? Categories { get; init; }

    /// <summary>
    /// One uninterrupted run of the component's reader in this process, or null. A component's worker starts a new
    /// session whenever it restarts: after a failure, and after losing its lease, when another host may have run the
    /// component meanwhile. A backend keeping a server-side cursor per component (NATS: its durable consumers) reads on
    /// from it only within one session, and starts it afresh at the asked position when the session changes.
    /// </summary>
    public string? Session { get; init; }

    /// <summary>True when <paramref name="type"/> passes the filter.</summary>
    public bool Matches(string type) => EventTypes.Contains(type);
}
