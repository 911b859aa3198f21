using System.Text;
using Concordance.Storage;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Concordance.Nats;

// What inspection tools read without changing anything: every component's checkpoint, a lease's holder, and opening a
// store that exists without creating or reconfiguring its streams and buckets.
public sealed partial class NatsStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The components are the subjects of the commits stream (one last commit each); a checkpoint is its last commit's,
    /// read as it is: unlike <see cref="GetCheckpointAsync"/>, a commit whose effects are not applied yet is not applied.
    /// </remarks>
    public async ValueTask<IReadOnlyList<ComponentCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken = default)
    {
        var info = await _js.GetStreamAsync(_commitsStream, new StreamInfoRequest { SubjectsFilter = _commitSubjectPrefix + ">" }, cancellationToken).ConfigureAwait(false);
        var result = new List<ComponentCheckpoint>();
        foreach (var subject in info.Info.State.Subjects?.Keys ?? (ICollection<string>)[])
        {
            var component = SubjectToken.Decode(subject[_commitSubjectPrefix.Length..]);
            if (await LastCommitAsync(component, cancellationToken).ConfigureAwait(false) is { } last)
                result.Add(new ComponentCheckpoint(component, last.Body.Checkpoint));
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Component, b.Component));
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetHolderAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var entry = await EntryOrNullAsync(_leases, LeaseKey(name), cancellationToken).ConfigureAwait(false);
        return entry is { Value: { Length: > 0 } owner } ? Encoding.UTF8.GetString(owner) : null;
    }

    private async Task OpenExistingInfrastructureAsync(CancellationToken cancellationToken)
    {
        var where = $"prefix '{_options.Prefix}' on {_options.Url}";
        async Task<INatsJSStream> Stream(string name)
        {
            try
            {
                return await _js.GetStreamAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (NatsJSApiException ex) when (ex.Error.ErrCode == StreamNotFound)
            {
                throw new InvalidOperationException($"There is no Concordance store under {where}: the stream {name} does not exist.", ex);
            }
        }
        _events = await Stream(_eventsStream).ConfigureAwait(false);
        _commits = await Stream(_commitsStream).ConfigureAwait(false);
        var kv = new NatsKVContext(_js);
        async Task<INatsKVStore> Bucket(string name)
        {
            var bucket = _options.Prefix + "_" + name;
            try
            {
                return await kv.GetStoreAsync(bucket, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsApiError(ex, StreamNotFound) || ex is NatsKVException)
            {
                throw new InvalidOperationException($"There is no Concordance store under {where}: the bucket {bucket} does not exist.", ex);
            }
        }
        _commands = await Bucket("commands").ConfigureAwait(false);
        _snapshots = await Bucket("snapshots").ConfigureAwait(false);
        _documents = await Bucket("documents").ConfigureAwait(false);
        _applied = await Bucket("applied").ConfigureAwait(false);
        _outbox = await Bucket("outbox").ConfigureAwait(false);
        _deadLetters = await Bucket("deadletters").ConfigureAwait(false);
        _leases = await Bucket("leases").ConfigureAwait(false);
        var maxAge = (await _leases.GetStatusAsync(cancellationToken).ConfigureAwait(false)).Info.Config.MaxAge;
        _leaseTimeToLive = maxAge > TimeSpan.Zero ? maxAge : _options.LeaseTimeToLive;
    }
}
