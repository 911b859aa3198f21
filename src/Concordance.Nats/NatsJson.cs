using System.Text.Json.Serialization;
using Concordance.Storage;

namespace Concordance.Nats;

/// <summary>
/// One component commit as it travels in the commits stream: the whole <see cref="ComponentCommit"/> in one
/// message (or a reset), so publishing it is the atomic, checkpoint-conditional step.
/// </summary>
internal sealed record CommitBody(
    long Checkpoint,
    string? ResetCollection,
    IReadOnlyList<DocumentWrite> Documents,
    IReadOnlyList<OutboxMessage> Outbox,
    IReadOnlyList<DeadLetter> DeadLetters,
    IReadOnlyList<string>? RemovedDeadLetters = null);

[JsonSerializable(typeof(CommitBody))]
[JsonSerializable(typeof(CommandRecord))]
[JsonSerializable(typeof(OutboxMessage))]
[JsonSerializable(typeof(DeadLetter))]
internal sealed partial class NatsJson : JsonSerializerContext;
