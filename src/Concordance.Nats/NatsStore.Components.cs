using System.Buffers.Binary;
using System.Text.Json;
using Concordance.Storage;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Concordance.Nats;

public sealed partial class NatsStore
{
    // A document entry: [position: 8][kind: 1][commit sequence: 8, kinds 2 and 3 only][data]. Kinds 0 and 1 were written
    // before the commit sequence was kept, and read as sequence 0.
    private const byte DocumentValue = 0, DocumentTombstone = 1, SequencedValue = 2, SequencedTombstone = 3;
    private const int SequencedHeader = 17;

    // ---------------------------------------------------------------- snapshots

    async ValueTask<Snapshot?> ISnapshotStore.GetAsync(StreamId stream, CancellationToken cancellationToken)
    {
        var entry = await EntryOrNullAsync(_snapshots, StreamKey(stream), cancellationToken).ConfigureAwait(false);
        if (entry?.Value is not { Length: >= 8 } value) return null;
        return new Snapshot(stream, BinaryPrimitives.ReadInt64BigEndian(value), value.AsMemory(8));
    }

    async ValueTask ISnapshotStore.SaveAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var key = StreamKey(snapshot.Stream);
        EnsureSnapshotFits(snapshot, key);
        var value = new byte[8 + snapshot.Data.Length];
        BinaryPrimitives.WriteInt64BigEndian(value, snapshot.Version);
        snapshot.Data.Span.CopyTo(value.AsSpan(8));
        while (true)
        {
            // Revision-checked: of two concurrent savers the newer version wins, whatever the order they land in.
            var entry = await EntryOrNullAsync(_snapshots, key, cancellationToken).ConfigureAwait(false);
            if (entry?.Value is { Length: >= 8 } existing && BinaryPrimitives.ReadInt64BigEndian(existing) >= snapshot.Version) return;
            var written = entry is { } current
                ? await _snapshots.TryUpdateAsync(key, value, current.Revision, Raw, cancellationToken).ConfigureAwait(false)
                : await _snapshots.TryCreateAsync(key, value, Raw, cancellationToken).ConfigureAwait(false);
            if (Landed(written, key)) return;
        }
    }

    // ---------------------------------------------------------------- component unit of work

    // JetStream has no multi-key transaction. A commit is therefore made atomic by publishing it whole, as one
    // message on the component's subject of the commits stream, conditional (expected-last-subject-sequence) on
    // the component's last commit being the one whose checkpoint the worker read: that publish IS the commit,
    // and the checkpoint is read back from it. Its effects (documents, outbox, dead letters) are then applied to
    // the KV buckets idempotently: every document carries the checkpoint of the commit that wrote it and an
    // older write never replaces a newer one, outbox and dead-letter entries are keyed by their ids, and an
    // "applied" marker records the last commit applied. A worker that dies between the publish and the marker
    // leaves the commit to be re-applied by whoever reads the checkpoint or commits next — exactly once in effect.

    private string CommitSubject(string component) => _commitSubjectPrefix + SubjectToken.Encode(component);

    private async ValueTask<(ulong Sequence, CommitBody Body)?> LastCommitAsync(string component, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _commits.GetAsync(new StreamMsgGetRequest { LastBySubj = CommitSubject(component) }, cancellationToken).ConfigureAwait(false);
            var body = JsonSerializer.Deserialize(response.Message.Data.Span, NatsJson.Default.CommitBody)
                ?? throw new InvalidDataException($"The last commit of '{component}' is empty.");
            return (response.Message.Seq, body);
        }
        catch (NatsJSApiException ex) when (ex.Error.ErrCode == NoMessageFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> GetCheckpointAsync(string component, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (await LastCommitAsync(component, cancellationToken).ConfigureAwait(false) is not { } last) return 0;
        await EnsureAppliedAsync(component, last.Sequence, last.Body, cancellationToken).ConfigureAwait(false);
        return last.Body.Checkpoint;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CommitAsync(ComponentCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var last = await LastCommitAsync(commit.Component, cancellationToken).ConfigureAwait(false);
        if ((last?.Body.Checkpoint ?? 0) != commit.ExpectedCheckpoint) return false;
        if (last is { } previous) await EnsureAppliedAsync(commit.Component, previous.Sequence, previous.Body, cancellationToken).ConfigureAwait(false);
        var body = FitDeadLetters(new CommitBody(commit.Checkpoint, null, commit.Documents, commit.Outbox, commit.DeadLetters, commit.RemovedDeadLetters));
        var sequence = await PublishCommitAsync(commit.Component, body, last?.Sequence ?? 0, cancellationToken).ConfigureAwait(false);
        if (sequence is null) return false;
        await ApplyAsync(commit.Component, sequence.Value, body, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Room left in a commit message for its subject and headers.</summary>
    private const int CommitHeaderRoom = 4096;

    /// <summary>
    /// <paramref name="body"/>, its dead letters keeping their events' data only while the commit fits in one message (the
    /// server's <c>max_payload</c>), the largest dropped first: the data is kept for inspection, and must never make the
    /// commit that parks an event impossible, which would stop the component at that event for good.
    /// </summary>
    private CommitBody FitDeadLetters(CommitBody body)
    {
        if (!body.DeadLetters.Any(d => d.Data is { Length: > 0 })) return body;
        var maxPayload = _connection.ServerInfo is { MaxPayload: > 0 } info ? info.MaxPayload : 1024 * 1024;
        var excess = JsonSerializer.SerializeToUtf8Bytes(body, NatsJson.Default.CommitBody).Length + CommitHeaderRoom - maxPayload;
        if (excess <= 0) return body;
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var letter in body.DeadLetters.Where(d => d.Data is { Length: > 0 }).OrderByDescending(d => d.Data!.Value.Length))
        {
            if (excess <= 0) break;
            dropped.Add(letter.Id);
            // The data travels as base64.
            excess -= (letter.Data!.Value.Length + 2) / 3 * 4;
        }
        return body with { DeadLetters = [.. body.DeadLetters.Select(d => dropped.Contains(d.Id) ? d with { Data = null } : d)] };
    }

    /// <inheritdoc />
    public async ValueTask ResetAsync(string component, string collection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(collection);
        var body = new CommitBody(0, collection, [], [], []);
        while (true)
        {
            var last = await LastCommitAsync(component, cancellationToken).ConfigureAwait(false);
            if (last is { } previous) await EnsureAppliedAsync(component, previous.Sequence, previous.Body, cancellationToken).ConfigureAwait(false);
            if (await PublishCommitAsync(component, body, last?.Sequence ?? 0, cancellationToken).ConfigureAwait(false) is { } sequence)
            {
                await ApplyAsync(component, sequence, body, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <returns>The commit's sequence, or null when the component's last commit is no longer <paramref name="expectedSequence"/>.</returns>
    private async ValueTask<ulong?> PublishCommitAsync(string component, CommitBody body, ulong expectedSequence, CancellationToken cancellationToken)
    {
        var data = SerializeCommit(component, body);
        var ack = await _js.PublishAsync(CommitSubject(component), data, Raw, new NatsJSPubOpts { ExpectedLastSubjectSequence = expectedSequence }, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (ack.Error is { } error)
        {
            if (error.ErrCode == WrongLastSequence) return null;
            throw new NatsJSApiException(error);
        }
        return ack.Seq;
    }

    private async ValueTask EnsureAppliedAsync(string component, ulong sequence, CommitBody body, CancellationToken cancellationToken)
    {
        var marker = await EntryOrNullAsync(_applied, SubjectToken.Encode(component), cancellationToken).ConfigureAwait(false);
        if (marker?.Value is { Length: 8 } value && BinaryPrimitives.ReadUInt64BigEndian(value) >= sequence) return;
        await ApplyAsync(component, sequence, body, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ApplyAsync(string component, ulong sequence, CommitBody body, CancellationToken cancellationToken)
    {
        if (body.ResetCollection is { } collection)
        {
            foreach (var entry in await LatestAsync(_documents, SubjectToken.Encode(collection) + ".>", metaOnly: true, cancellationToken).ConfigureAwait(false))
                await _documents.PurgeAsync(entry.Key, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        // Writes in order: only the last write to each document counts, and different documents are independent.
        var lastWrites = new Dictionary<(string, string), DocumentWrite>();
        foreach (var write in body.Documents) lastWrites[(write.Collection, write.Key)] = write;
        await Task.WhenAll(lastWrites.Values.Select(w => WriteDocumentAsync(w, body.Checkpoint, sequence, cancellationToken).AsTask())).ConfigureAwait(false);
        foreach (var message in body.Outbox) await EnqueueAsync(message, cancellationToken).ConfigureAwait(false);
        foreach (var letter in body.DeadLetters)
            await _deadLetters.PutAsync(SubjectToken.Encode(letter.Id), JsonSerializer.SerializeToUtf8Bytes(letter, NatsJson.Default.DeadLetter), Raw, cancellationToken).ConfigureAwait(false);
        // A retried dead letter leaves with the commit of its effects; deleting an absent key is harmless on re-apply.
        foreach (var id in body.RemovedDeadLetters ?? [])
            await DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        var marker = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(marker, sequence);
        await _applied.PutAsync(SubjectToken.Encode(component), marker, Raw, cancellationToken).ConfigureAwait(false);
    }

    private static string DocumentKey(string collection, string key) => SubjectToken.Encode(collection) + "." + SubjectToken.Encode(key);

    /// <summary>
    /// Writes <paramref name="write"/> as of the commit at <paramref name="sequence"/> whose checkpoint is <paramref name="position"/>,
    /// unless the entry holds a write of a later commit: a later checkpoint, or the same checkpoint and a later commit (a
    /// dead-letter retry commits in place, after the batch that wrote the document at that checkpoint).
    /// </summary>
    private async ValueTask WriteDocumentAsync(DocumentWrite write, long position, ulong sequence, CancellationToken cancellationToken)
    {
        var key = DocumentKey(write.Collection, write.Key);
        var data = write.Data ?? ReadOnlyMemory<byte>.Empty;
        var value = new byte[SequencedHeader + data.Length];
        BinaryPrimitives.WriteInt64BigEndian(value, position);
        // A delete leaves a tombstone carrying its position, so re-applying an older put cannot resurrect the document.
        value[8] = write.Data is null ? SequencedTombstone : SequencedValue;
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(9), sequence);
        data.Span.CopyTo(value.AsSpan(SequencedHeader));
        while (true)
        {
            var entry = await EntryOrNullAsync(_documents, key, cancellationToken).ConfigureAwait(false);
            if (entry?.Value is { } existing && ReadDocument(existing) is { } stored && (stored.Position, stored.Sequence).CompareTo((position, sequence)) >= 0) return;
            if (entry is null && write.Data is null) return;
            var written = entry is { } current
                ? await _documents.TryUpdateAsync(key, value, current.Revision, Raw, cancellationToken).ConfigureAwait(false)
                : await _documents.TryCreateAsync(key, value, Raw, cancellationToken).ConfigureAwait(false);
            if (Landed(written, key)) return;
        }
    }

    /// <summary>A document entry's parts, or null when it is no entry this store wrote.</summary>
    private static (long Position, ulong Sequence, bool Deleted, ReadOnlyMemory<byte> Data)? ReadDocument(byte[] value) => value switch
    {
        { Length: >= SequencedHeader } when value[8] is SequencedValue or SequencedTombstone =>
            (BinaryPrimitives.ReadInt64BigEndian(value), BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(9)), value[8] == SequencedTombstone, value.AsMemory(SequencedHeader)),
        { Length: >= 9 } when value[8] is DocumentValue or DocumentTombstone =>
            (BinaryPrimitives.ReadInt64BigEndian(value), 0UL, value[8] == DocumentTombstone, value.AsMemory(9)),
        _ => null,
    };

    /// <inheritdoc />
    public async ValueTask<StoredDocument?> GetDocumentAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        var entry = await EntryOrNullAsync(_documents, DocumentKey(collection, key), cancellationToken).ConfigureAwait(false);
        if (entry?.Value is not { } value || ReadDocument(value) is not { Deleted: false } document) return null;
        return new StoredDocument(collection, key, document.Data, document.Position);
    }

    /// <summary>The live entries of <paramref name="bucket"/> under <paramref name="filter"/> (one subject filter: 2.9 knows no lists), oldest write first.</summary>
    private static async ValueTask<List<NatsKVEntry<byte[]>>> LatestAsync(INatsKVStore bucket, string filter, bool metaOnly, CancellationToken cancellationToken)
    {
        var entries = new List<NatsKVEntry<byte[]>>();
        var options = new NatsKVWatchOpts { MetaOnly = metaOnly, OnNoData = _ => ValueTask.FromResult(true) };
        await foreach (var entry in bucket.WatchAsync(filter, Raw, options, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Operation == NatsKVOperation.Put) entries.Add(entry);
            if (entry.Delta == 0) break;
        }
        return entries;
    }

    // ---------------------------------------------------------------- outbox

    // Pending messages live under "p.{id}", dispatched ids under "s.{id}" (kept, so a re-run that enqueues the
    // same id again does not resend it). Enqueue creates p then checks s; dispatch writes s then deletes p: in any
    // interleaving a dispatched message ends up not pending (it may show once more, and a resend is deduplicated
    // by its deterministic command id).

    private async ValueTask EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var id = SubjectToken.Encode(message.Id);
        var created = await _outbox.TryCreateAsync("p." + id, JsonSerializer.SerializeToUtf8Bytes(message, NatsJson.Default.OutboxMessage), Raw, cancellationToken).ConfigureAwait(false);
        if (!Landed(created, "p." + id)) return;
        if (await EntryOrNullAsync(_outbox, "s." + id, cancellationToken).ConfigureAwait(false) is not null)
            Landed(await _outbox.TryDeleteAsync("p." + id, cancellationToken: cancellationToken).ConfigureAwait(false), "p." + id);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OutboxMessage>> GetPendingAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var entries = await LatestAsync(_outbox, "p.>", metaOnly: false, cancellationToken).ConfigureAwait(false);
        return entries.Take(maxCount).Select(e => JsonSerializer.Deserialize(e.Value, NatsJson.Default.OutboxMessage)!).ToList();
    }

    /// <inheritdoc />
    public async ValueTask MarkDispatchedAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids)
        {
            var key = SubjectToken.Encode(id);
            await _outbox.PutAsync("s." + key, [1], Raw, cancellationToken).ConfigureAwait(false);
            Landed(await _outbox.TryDeleteAsync("p." + key, cancellationToken: cancellationToken).ConfigureAwait(false), "p." + key);
        }
    }

    // ---------------------------------------------------------------- dead letters

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string? component = null, CancellationToken cancellationToken = default)
    {
        var entries = await LatestAsync(_deadLetters, ">", metaOnly: false, cancellationToken).ConfigureAwait(false);
        return entries.Select(e => JsonSerializer.Deserialize(e.Value, NatsJson.Default.DeadLetter)!)
            .Where(d => component is null || d.Component == component).ToList();
    }

    async ValueTask<DeadLetter?> IDeadLetterStore.GetAsync(string id, CancellationToken cancellationToken)
    {
        var entry = await EntryOrNullAsync(_deadLetters, SubjectToken.Encode(id), cancellationToken).ConfigureAwait(false);
        return entry is { } found ? JsonSerializer.Deserialize(found.Value, NatsJson.Default.DeadLetter) : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var key = SubjectToken.Encode(id);
        while (true)
        {
            if (await EntryOrNullAsync(_deadLetters, key, cancellationToken).ConfigureAwait(false) is not { } entry) return false;
            var deleted = await _deadLetters.TryDeleteAsync(key, new NatsKVDeleteOpts { Revision = entry.Revision }, cancellationToken).ConfigureAwait(false);
            if (Landed(deleted, key)) return true;
        }
    }
}

// Blue/green projections: each projector's generations, one revision-checked key of the applied bucket.
public sealed partial class NatsStore
{
    // Keys of the applied markers are one subject token each (no '.'), so a dotted key cannot meet one of them.
    private static string ProjectionKey(string projector) => "projection." + SubjectToken.Encode(projector);

    /// <inheritdoc />
    public async ValueTask<ProjectionGenerations?> GetProjectionAsync(string projector, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projector);
        var entry = await EntryOrNullAsync(_applied, ProjectionKey(projector), cancellationToken).ConfigureAwait(false);
        return entry is { } found ? ProjectionGenerations.Parse(System.Text.Encoding.UTF8.GetString(found.Value)) : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> SetProjectionAsync(string projector, ProjectionGenerations? expected, ProjectionGenerations next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projector);
        ArgumentNullException.ThrowIfNull(next);
        var key = ProjectionKey(projector);
        EnsureKeyFits(_applied, key, $"The projector name '{Shorten(projector)}'", projector);
        var entry = await EntryOrNullAsync(_applied, key, cancellationToken).ConfigureAwait(false);
        var current = entry is { } found ? ProjectionGenerations.Parse(System.Text.Encoding.UTF8.GetString(found.Value)) : null;
        if (current != expected) return false;
        var value = System.Text.Encoding.UTF8.GetBytes(next.Format());
        var written = entry is { } existing
            ? await _applied.TryUpdateAsync(key, value, existing.Revision, Raw, cancellationToken).ConfigureAwait(false)
            : await _applied.TryCreateAsync(key, value, Raw, cancellationToken).ConfigureAwait(false);
        return Landed(written, key);
    }
}
