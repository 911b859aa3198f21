using System.Collections.Concurrent;
using Concordance.Storage;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Concordance.Nats;

/// <summary>
/// The distributed backend: every port over one NATS JetStream deployment (2.9 or later).
/// <list type="bullet">
/// <item>Events: stream <c>{Prefix}_EVENTS</c>, one subject per aggregate stream
/// (<c>{prefix}.ev.{category}.{key}</c>, tokens escaped by <see cref="SubjectToken"/>), one message per append
/// (see <see cref="EventMessage"/>), the event types in the <c>Concordance-Types</c> header, optimistic
/// concurrency through <c>Nats-Expected-Last-Subject-Sequence</c>, retried appends deduplicated by
/// <c>Nats-Msg-Id</c> (the command id) within the stream's window.</item>
/// <item>Command records, snapshots, documents, outbox and dead letters: KV buckets with revision checks.</item>
/// <item>Component commits: stream <c>{Prefix}_COMMITS</c>, the last commit of each component on its own
/// subject; the checkpoint is the last commit's (see <see cref="CommitAsync"/>).</item>
/// <item>Component leases (several hosts, each component running on one): KV bucket <c>{Prefix}_leases</c> whose max
/// age is the lease time to live (see <see cref="TryAcquireAsync"/>).</item>
/// <item>Component reads: one durable pull consumer per component and stream category (see <see cref="ReadAllAsync"/>).</item>
/// <item>Appends: acknowledged through the store's own inbox <c>{prefix}.ack.{random}.*</c>; concurrent ones are
/// pipelined by one publisher at a time (see <see cref="GroupsConcurrentAppends"/> and docs/processing.md).</item>
/// </list>
/// </summary>
/// <remarks>
/// A command costs one round trip: its message's publish. The bus has made the id or already looked it up
/// (<see cref="AppendRequest.CommandIdSource"/>), so the store does not look it up again; a repeat within the window
/// is refused by <c>Nats-Msg-Id</c> and answered from the stored message. Beyond the window a given id is answered by
/// its command record, published after the event's ack without the caller waiting (kept in memory, answering
/// <see cref="FindCommandAsync"/>, retried until it lands, flushed by <see cref="DisposeAsync"/>); a made id gets no
/// record, since nobody can send it again. Residual risk: a process killed between an event's ack and its record's
/// ack loses the record; a retry of that id within the window still dedupes (and re-writes the record), one after
/// the window applies again. Keep <see cref="NatsStoreOptions.DuplicateWindow"/> longer than any retry horizon.
/// See docs/processing.md, "Command idempotency on NATS".
/// </remarks>
public sealed partial class NatsStore : IConcordanceStore, IDisposable, IEventStore, ISnapshotStore, IComponentStore, IOutboxStore, IDeadLetterStore
{
    private const string TypesHeader = "Concordance-Types";
    private const int WrongLastSequence = 10071;
    private const int NoMessageFound = 10037;
    private const int StreamNotFound = 10059;
    private static readonly NatsRawSerializer<byte[]> Raw = NatsRawSerializer<byte[]>.Default;

    private readonly NatsStoreOptions _options;
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _js;
    private readonly string _eventsStream;
    private readonly string _commitsStream;
    private readonly string _eventSubjectPrefix;
    private readonly string _commitSubjectPrefix;
    private readonly LogSignal _signal = new();
    /// <summary>Stream heads as last seen; many locks, because every append of every sender updates one.</summary>
    private readonly ConcurrentDictionary<StreamId, StreamHead> _heads = new(concurrencyLevel: 64, capacity: 1024);

    /// <summary>"{prefix}.ev.{category}." per category (a handful, from the registered aggregates): encoded once.</summary>
    private readonly ConcurrentDictionary<string, string> _categorySubjects = new();
    private INatsJSStream _events = null!;
    private INatsJSStream _commits = null!;
    private INatsKVStore _commands = null!;
    private INatsKVStore _snapshots = null!;
    private INatsKVStore _documents = null!;
    private INatsKVStore _applied = null!;
    private INatsKVStore _outbox = null!;
    private INatsKVStore _deadLetters = null!;
    private INatsKVStore _leases = null!;
    private int _disposed;

    private NatsStore(NatsStoreOptions options, NatsConnection connection)
    {
        _options = options;
        _connection = connection;
        _js = new NatsJSContext(connection);
        _eventsStream = options.Prefix + "_EVENTS";
        _commitsStream = options.Prefix + "_COMMITS";
        _eventSubjectPrefix = options.Prefix + ".ev.";
        _commitSubjectPrefix = options.Prefix + ".commit.";
    }

    /// <summary>Connects, and creates the streams and buckets this store needs when they do not exist yet.</summary>
    public static Task<NatsStore> ConnectAsync(NatsStoreOptions options, CancellationToken cancellationToken = default) =>
        OpenAsync(options, existingOnly: false, cancellationToken);

    /// <summary>
    /// Connects to a store that already exists under <see cref="NatsStoreOptions.Prefix"/>, creating and changing no stream
    /// or bucket (inspection tools). Reads work as on a store opened with <see cref="ConnectAsync"/>; so do writes, on
    /// the store as it is.
    /// </summary>
    /// <exception cref="InvalidOperationException">The server has no store under the prefix (its events stream or a bucket is missing).</exception>
    /// <exception cref="NatsException">The server cannot be reached.</exception>
    public static Task<NatsStore> ConnectExistingAsync(NatsStoreOptions options, CancellationToken cancellationToken = default) =>
        OpenAsync(options, existingOnly: true, cancellationToken);

    /// <summary>Connects; with <paramref name="existingOnly"/>, opens the streams and buckets without creating or changing any.</summary>
    private static async Task<NatsStore> OpenAsync(NatsStoreOptions options, bool existingOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var connection = new NatsConnection(options.ToNatsOpts());
        var store = new NatsStore(options, connection);
        try
        {
            await connection.ConnectAsync().ConfigureAwait(false);
            await store.CreateInfrastructureAsync(cancellationToken, existingOnly).ConfigureAwait(false);
            await store.OpenAckInboxAsync(cancellationToken).ConfigureAwait(false);
            store.MeasureControlLine();
            return store;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The options the store was opened with.</summary>
    public NatsStoreOptions Options => _options;

    /// <inheritdoc />
    public IEventStore Events => this;

    /// <inheritdoc />
    public ISnapshotStore Snapshots => this;

    /// <inheritdoc />
    public IComponentStore Components => this;

    /// <inheritdoc />
    public IOutboxStore Outbox => this;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters => this;

    private async Task CreateInfrastructureAsync(CancellationToken cancellationToken, bool existingOnly = false)
    {
        if (existingOnly)
        {
            await OpenExistingInfrastructureAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        var replicas = _options.Replicas;
        _events = await _js.CreateOrUpdateStreamAsync(new StreamConfig(_eventsStream, [_eventSubjectPrefix + ">"])
        {
            Storage = StreamConfigStorage.File,
            NumReplicas = replicas,
            DuplicateWindow = _options.DuplicateWindow,
            Retention = StreamConfigRetention.Limits,
            Discard = StreamConfigDiscard.New,
            DenyDelete = true,
            DenyPurge = true,
            AllowDirect = true,
        }, cancellationToken).ConfigureAwait(false);
        _commits = await _js.CreateOrUpdateStreamAsync(new StreamConfig(_commitsStream, [_commitSubjectPrefix + ">"])
        {
            Storage = StreamConfigStorage.File,
            NumReplicas = replicas,
            // Only a component's last commit matters: it may still need applying after a crash.
            MaxMsgsPerSubject = 1,
            Retention = StreamConfigRetention.Limits,
            AllowDirect = true,
        }, cancellationToken).ConfigureAwait(false);
        var kv = new NatsKVContext(_js);
        async Task<INatsKVStore> Bucket(string name) =>
            await kv.CreateOrUpdateStoreAsync(new NatsKVConfig(_options.Prefix + "_" + name)
            {
                History = 1,
                NumberOfReplicas = replicas,
                Storage = NatsKVStorageType.File,
            }, cancellationToken).ConfigureAwait(false);
        _commands = await Bucket("commands").ConfigureAwait(false);
        _snapshots = await Bucket("snapshots").ConfigureAwait(false);
        _documents = await Bucket("documents").ConfigureAwait(false);
        _applied = await Bucket("applied").ConfigureAwait(false);
        _outbox = await Bucket("outbox").ConfigureAwait(false);
        _deadLetters = await Bucket("deadletters").ConfigureAwait(false);
        _leases = await OpenLeasesAsync(kv, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the leases bucket, creating it with <see cref="NatsStoreOptions.LeaseTimeToLive"/> as its max age when it
    /// does not exist. Leases expire on the server (the bucket's max age), so no host's clock decides when another may
    /// take over, and every host must renew within the same age: a host that finds the bucket made with another time
    /// to live adopts the bucket's (with a warning) instead of changing it under the hosts already running.
    /// </summary>
    private async Task<INatsKVStore> OpenLeasesAsync(NatsKVContext kv, CancellationToken cancellationToken)
    {
        var name = _options.Prefix + "_leases";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var existing = await kv.GetStoreAsync(name, cancellationToken).ConfigureAwait(false);
                var maxAge = (await existing.GetStatusAsync(cancellationToken).ConfigureAwait(false)).Info.Config.MaxAge;
                _leaseTimeToLive = maxAge > TimeSpan.Zero ? maxAge : _options.LeaseTimeToLive;
                if (_leaseTimeToLive != _options.LeaseTimeToLive)
                {
                    Logger.LogWarning("The leases bucket {Bucket} was created with a time to live of {BucketTimeToLive}; this host was configured with {ConfiguredTimeToLive} and uses the bucket's.",
                        name, _leaseTimeToLive, _options.LeaseTimeToLive);
                }
                return existing;
            }
            catch (Exception ex) when (IsApiError(ex, StreamNotFound) || ex is NatsKVException)
            {
                // Not there yet: create it. Another host creating it at the same moment wins; read theirs.
            }
            try
            {
                var created = await kv.CreateStoreAsync(new NatsKVConfig(name)
                {
                    History = 1,
                    NumberOfReplicas = _options.Replicas,
                    Storage = NatsKVStorageType.File,
                    MaxAge = _options.LeaseTimeToLive,
                }, cancellationToken).ConfigureAwait(false);
                _leaseTimeToLive = _options.LeaseTimeToLive;
                return created;
            }
            catch (NatsJSApiException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>The names of every stream this store created (KV buckets are streams named <c>KV_…</c>), for tools and tests.</summary>
    public IReadOnlyList<string> StreamNames =>
    [
        _eventsStream, _commitsStream,
        .. new[] { "commands", "snapshots", "documents", "applied", "outbox", "deadletters", "leases" }.Select(b => "KV_" + _options.Prefix + "_" + b),
    ];

    private string EventSubject(StreamId stream) =>
        _categorySubjects.GetOrAdd(stream.Category, static (category, prefix) => prefix + SubjectToken.Encode(category) + ".", _eventSubjectPrefix)
        + SubjectToken.Encode(stream.Key);

    private StreamId StreamOf(string subject)
    {
        var tokens = subject.AsSpan(_eventSubjectPrefix.Length).ToString().Split('.');
        if (tokens.Length != 2) throw new FormatException($"'{subject}' is not an event subject.");
        return new StreamId(SubjectToken.Decode(tokens[0]), SubjectToken.Decode(tokens[1]));
    }

    private static string StreamKey(StreamId stream) => SubjectToken.Encode(stream.Category) + "." + SubjectToken.Encode(stream.Key);

    private static bool IsApiError(Exception ex, int errorCode) => ex is NatsJSApiException api && api.Error.ErrCode == errorCode;

    /// <summary>
    /// Disposes synchronously, for a service provider or host disposed with <c>Dispose()</c>
    /// (<c>using var host = …</c>); closes what <see cref="DisposeAsync"/> closes.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await FlushCommandRecordsAsync().ConfigureAwait(false);
        await CloseCursorsAsync().ConfigureAwait(false);
        await CloseAckInboxAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A stream's version and the sequence of its last message (0, 0 when it has none).</summary>
    private readonly record struct StreamHead(long Version, ulong Sequence);
}
