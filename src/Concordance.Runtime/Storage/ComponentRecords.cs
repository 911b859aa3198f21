namespace Concordance.Storage;

/// <summary>A stored snapshot of an aggregate's state at a stream version.</summary>
/// <param name="Stream">The aggregate's stream.</param>
/// <param name="Version">The stream version the state reflects.</param>
/// <param name="Data">The state as JSON (written by <see cref="IAggregate.WriteState"/>).</param>
public sealed record Snapshot(StreamId Stream, long Version, ReadOnlyMemory<byte> Data);

/// <summary>
/// A keyed JSON document owned by a component: a projector's read model or a process manager's
/// instance state. <see cref="Position"/> is the global position of the event whose processing wrote it,
/// so backends without multi-key transactions can skip a redelivered write.
/// </summary>
/// <param name="Collection">The owning collection (the projector's or process's name).</param>
/// <param name="Key">The document key.</param>
/// <param name="Data">The JSON data (UTF-8).</param>
/// <param name="Position">The global position of the event that wrote it.</param>
public sealed record StoredDocument(string Collection, string Key, ReadOnlyMemory<byte> Data, long Position);

/// <summary>A document write inside a <see cref="ComponentCommit"/>: a put, or a delete when <see cref="Data"/> is null.</summary>
/// <param name="Collection">The collection.</param>
/// <param name="Key">The document key.</param>
/// <param name="Data">The new JSON data, or null to delete.</param>
public sealed record DocumentWrite(string Collection, string Key, ReadOnlyMemory<byte>? Data);

/// <summary>
/// A message waiting in the outbox to be sent (today: a command a process manager returned).
/// Its <see cref="Id"/> is deterministic (derived from the component, the event and the index) and is the
/// command id used when sending, so dispatching it twice applies it once.
/// </summary>
/// <param name="Id">The deterministic message id; enqueuing the same id twice keeps one.</param>
/// <param name="Component">The component that produced the message.</param>
/// <param name="Type">The message's stable schema name.</param>
/// <param name="SchemaVersion">The schema version the data was written with.</param>
/// <param name="Data">The JSON data (UTF-8).</param>
/// <param name="CorrelationId">The correlation id to send with, or null.</param>
/// <param name="CausationId">The causation id (the event that caused it), or null.</param>
/// <param name="CreatedAt">When it was enqueued.</param>
public sealed record OutboxMessage(
    string Id,
    string Component,
    string Type,
    int SchemaVersion,
    ReadOnlyMemory<byte> Data,
    string? CorrelationId,
    string? CausationId,
    DateTimeOffset CreatedAt)
{
    /// <summary>The W3C <c>traceparent</c> of the handling that enqueued the message, or null; its sending continues that trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> travelling with <see cref="TraceParent"/>, or null.</summary>
    public string? TraceState { get; init; }
}

/// <summary>
/// An event a component kept failing on (its handler threw, or the event could not be read), parked with the error and
/// the event as stored so processing could go on.
/// </summary>
/// <param name="Id">The dead letter's id (unique per component and event).</param>
/// <param name="Component">The component that failed.</param>
/// <param name="Position">The event's global position.</param>
/// <param name="Stream">The event's stream.</param>
/// <param name="EventId">The event's id.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="Error">The last exception, as text.</param>
/// <param name="Attempts">How many times processing was attempted.</param>
/// <param name="FailedAt">When it was parked.</param>
public sealed record DeadLetter(
    string Id,
    string Component,
    long Position,
    StreamId Stream,
    string EventId,
    string EventType,
    string Error,
    int Attempts,
    DateTimeOffset FailedAt)
{
    /// <summary>
    /// The event's data exactly as stored (for an event the store could not read whole, the raw bytes it holds), kept
    /// so an unreadable event can be inspected; null for dead letters parked before the runtime kept it, and where a store
    /// could not keep it (NATS: when it would make the commit parking the event larger than one message).
    /// </summary>
    public ReadOnlyMemory<byte>? Data { get; init; }

    /// <summary>The schema version <see cref="EventType"/>'s data was stored with; 0 when unknown (and for dead letters parked before the runtime kept it).</summary>
    public int SchemaVersion { get; init; }

    /// <summary>
    /// For a projector's dead letter, the build of its read models that parked it (a <see cref="ProjectionGeneration"/>
    /// such as <c>v2.1</c>: a new version's or a rebuild's); null for the projector's initial build and for other
    /// components. <see cref="Component"/> is always the projector's own name, so a dead letter parked while a shadow
    /// build ran is listed, and retried, under the projector once that build is switched to.
    /// </summary>
    public string? Generation { get; init; }
}

/// <summary>
/// Everything a component's processing of one event (or a batch of events) changes, committed as one
/// unit: document writes, outbox messages, dead letters and the checkpoint move from
/// <see cref="ExpectedCheckpoint"/> to <see cref="Checkpoint"/>. On SQLite this is one transaction; a backend
/// without multi-key transactions (JetStream KV) must keep it exactly-once in effect, e.g. by storing
/// <see cref="Checkpoint"/> with each document and skipping older writes on redelivery.
/// </summary>
/// <param name="Component">The component whose checkpoint moves, e.g. <c>projector:Bank.AccountLedger</c>.</param>
/// <param name="ExpectedCheckpoint">The checkpoint the component read before processing (0 = none).</param>
/// <param name="Checkpoint">The global position processed up to, inclusive.</param>
public sealed record ComponentCommit(string Component, long ExpectedCheckpoint, long Checkpoint)
{
    /// <summary>Document puts and deletes, applied in order.</summary>
    public IReadOnlyList<DocumentWrite> Documents { get; init; } = [];

    /// <summary>Messages to enqueue in the outbox (ids already present are kept once).</summary>
    public IReadOnlyList<OutboxMessage> Outbox { get; init; } = [];

    /// <summary>Events to park as dead letters.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters { get; init; } = [];

    /// <summary>
    /// Ids of dead letters to remove in the same unit (a dead letter retried successfully); unknown ids are ignored.
    /// A retry commits with <see cref="Checkpoint"/> equal to <see cref="ExpectedCheckpoint"/>: documents and
    /// outbox messages land, the checkpoint stays where it is.
    /// </summary>
    public IReadOnlyList<string> RemovedDeadLetters { get; init; } = [];
}
