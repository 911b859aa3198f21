using NATS.Client.Core;
using NATS.Client.KeyValueStore;

namespace Concordance.Nats;

public sealed partial class NatsStore
{
    // The KV client's Try… calls report every failure as a result, a lost race and an unanswered request (a bucket
    // without a leader while a node dies) alike. Only "absent" and "someone else wrote first" are answers; anything
    // else must reach the caller, or a write that never happened would pass for done.

    /// <summary>The entry under <paramref name="key"/>, or null when there is none (never written, deleted or purged).</summary>
    private static async ValueTask<NatsKVEntry<byte[]>?> EntryOrNullAsync(INatsKVStore bucket, string key, CancellationToken cancellationToken)
    {
        var entry = await bucket.TryGetEntryAsync(key, serializer: Raw, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (entry.Success) return entry.Value;
        if (entry.Error is NatsKVKeyNotFoundException or NatsKVKeyDeletedException) return null;
        throw entry.Error;
    }

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
