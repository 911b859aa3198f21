using System.Text;
using Concordance.Storage;
using NATS.Client.KeyValueStore;

namespace Concordance.Nats;

public sealed partial class NatsStore : IComponentLeases
{
    /// <inheritdoc />
    IComponentLeases? IConcordanceStore.Leases => this;

    private TimeSpan _leaseTimeToLive;

    /// <inheritdoc />
    /// <remarks>The leases bucket's max age: <see cref="NatsStoreOptions.LeaseTimeToLive"/>, unless another host created the bucket with another.</remarks>
    public TimeSpan TimeToLive => _leaseTimeToLive;

    /// <inheritdoc />
    /// <remarks>
    /// A lease is the key <c>{name}</c> (escaped) of bucket <c>{Prefix}_leases</c>, holding the owner's id; the bucket's
    /// max age is the time to live, so an entry nobody renews is removed by the server. Taking it is a KV create, which
    /// lands only when the key has no live value: never written, expired, or deleted (NATS.Net's create then writes
    /// over the delete marker, conditional on its revision, so of two hosts racing for a released lease one wins).
    /// The owner that already holds it gets it back (a worker restarted within its lease).
    /// </remarks>
    public async ValueTask<ComponentLease?> TryAcquireAsync(string name, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var key = LeaseKey(name);
        var created = await _leases.TryCreateAsync(key, Encoding.UTF8.GetBytes(owner), Raw, cancellationToken).ConfigureAwait(false);
        if (created.Success) return new ComponentLease(name, owner, (long)created.Value);
        // "Not found" here: the live value create saw expired before create read it back; the next try takes it.
        if (!IsLostRace(created.Error) && created.Error is not NatsKVKeyNotFoundException) throw created.Error;
        var entry = await EntryOrNullAsync(_leases, key, cancellationToken).ConfigureAwait(false);
        return entry is { Value: { } holder } current && Encoding.UTF8.GetString(holder) == owner
            ? new ComponentLease(name, owner, (long)current.Revision)
            : null;
    }

    /// <inheritdoc />
    /// <remarks>A KV update conditional on the revision held: it writes a new entry, whose age starts again at zero. An expired lease has no entry, so its renewal fails too.</remarks>
    public async ValueTask<ComponentLease?> TryRenewAsync(ComponentLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var key = LeaseKey(lease.Name);
        var updated = await _leases.TryUpdateAsync(key, Encoding.UTF8.GetBytes(lease.Owner), (ulong)lease.Version, Raw, cancellationToken).ConfigureAwait(false);
        return Landed(updated, key) ? lease with { Version = (long)updated.Value } : null;
    }

    /// <inheritdoc />
    /// <remarks>A KV delete conditional on the revision held: a lease another host took meanwhile stays theirs.</remarks>
    public async ValueTask ReleaseAsync(ComponentLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var key = LeaseKey(lease.Name);
        Landed(await _leases.TryDeleteAsync(key, new NatsKVDeleteOpts { Revision = (ulong)lease.Version }, cancellationToken).ConfigureAwait(false), key);
    }

    /// <summary>The owner holding lease <paramref name="name"/> now, or null when nobody does (never taken, expired or released).</summary>
    internal async ValueTask<string?> GetLeaseHolderAsync(string name, CancellationToken cancellationToken = default)
    {
        var entry = await EntryOrNullAsync(_leases, LeaseKey(name), cancellationToken).ConfigureAwait(false);
        return entry is { Value: { } holder } ? Encoding.UTF8.GetString(holder) : null;
    }

    private static string LeaseKey(string name) => SubjectToken.Encode(name);
}
