using System.Globalization;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Concordance.Nats;

public sealed partial class NatsStore
{
    // The KV client's Try… calls report every failure as a result, a lost race and an unanswered request (a bucket
    // without a leader while a node dies) alike. Only "absent" and "someone else wrote first" are answers; anything
    // else must reach the caller, or a write that never happened would pass for done.

    /// <summary>
    /// The value and revision of <paramref name="key"/> in <paramref name="bucket"/>, or null when it has none (never
    /// written, deleted or purged): one direct-get request, answered by the server with the key's last message or a 404
    /// status.
    /// </summary>
    /// <remarks>
    /// Instead of NATS.Net's <c>TryGetEntryAsync</c>, which raises and catches an exception inside for every missing
    /// key; misses are common here (a new command id, a document or snapshot written for the first time).
    /// </remarks>
    private async ValueTask<BucketEntry?> EntryOrNullAsync(INatsKVStore bucket, string key, CancellationToken cancellationToken)
    {
        // A key too long for the control line was never written (every write checks), and asking for it would close the connection.
        if (!KeyFits(bucket, key)) return null;
        var name = bucket.Bucket;
        var reply = await _connection.RequestAsync($"$JS.API.DIRECT.GET.KV_{name}.$KV.{name}.{key}", Raw, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (reply.HasNoResponders) throw new NatsJSException($"No stream answers for KV bucket '{name}'.");
        if (reply.Headers is not { } headers) throw new NatsJSException($"Reading '{key}' from KV bucket '{name}' got a reply without headers.");
        if (headers.Code == 404) return null;
        if (headers.Code is not (0 or 200)) throw new NatsJSException($"Reading '{key}' from KV bucket '{name}' failed: {headers.Code} {headers.MessageText}");
        if (headers.TryGetValue("KV-Operation", out var operation) && operation is ["DEL"] or ["PURGE"]) return null;
        if (!headers.TryGetValue("Nats-Sequence", out var sequence) || !ulong.TryParse(sequence, CultureInfo.InvariantCulture, out var revision))
            throw new NatsJSException($"Reading '{key}' from KV bucket '{name}' got a reply without its sequence.");
        return new BucketEntry(reply.Data ?? [], revision);
    }

    /// <summary>A key's current value in a KV bucket, and its revision for a revision-checked write.</summary>
    private readonly record struct BucketEntry(byte[] Value, ulong Revision);

    /// <summary>True when the revision-checked write (or create) landed; false when another write got there first.</summary>
    private static bool Landed<T>(NatsResult<T> result, string key)
    {
        if (result.Success) return true;
        if (IsLostRace(result.Error)) return false;
        throw Unanswered(result.Error, key);
    }

    /// <summary>True when the (revision-checked) delete landed; false when another write got there first.</summary>
    private static bool Landed(NatsResult result, string key)
    {
        if (result.Success || result.Error is NatsKVKeyNotFoundException or NatsKVKeyDeletedException) return true;
        if (IsLostRace(result.Error)) return false;
        throw Unanswered(result.Error, key);
    }

    private static bool IsLostRace(Exception error) =>
        error is NatsKVCreateException or NatsKVWrongLastRevisionException || IsApiError(error, WrongLastSequence);

    // A create that failed for another reason comes back as the "not found" of its follow-up read: say what it was.
    private static Exception Unanswered(Exception error, string key) =>
        error is NatsKVKeyNotFoundException ? new NatsKVException($"The write of '{key}' was not acknowledged.", error) : error;
}
