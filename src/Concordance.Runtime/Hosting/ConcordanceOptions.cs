using Concordance.Storage;
using Concordance.Storage.InMemory;
using Concordance.Storage.Sqlite;

namespace Concordance;

/// <summary>Configures the runtime: the store and the command path. Passed to <c>AddConcordance(o => …)</c>.</summary>
public sealed class ConcordanceOptions
{
    /// <summary>Creates the store; set by <see cref="UseSqlite(string, Action{SqliteStoreOptions}?)"/>, <see cref="UseInMemory"/> or a backend package. Default: in memory.</summary>
    public Func<IServiceProvider, IConcordanceStore> StoreFactory { get; set; } = _ => new InMemoryStore();

    /// <summary>The CloudEvents <c>source</c> of the events this application appends.</summary>
    public string Source { get; set; } = "/concordance";

    /// <summary>
    /// Store an aggregate snapshot every this many events (0: never). The snapshot is saved after the command has its
    /// answer, without the command waiting for it; a save that fails is logged and the next load replays from the one before.
    /// </summary>
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>How many aggregate states the command bus keeps in memory (least recently used go first; 0: none).</summary>
    public int MaxCachedStates { get; set; } = 10_000;

    /// <summary>
    /// How many times a command is re-decided after its stream changed under it (another host or process appended
    /// first) before the send fails with <see cref="ConcurrencyConflictException"/>. Each retry first waits a random
    /// time (see <see cref="ConflictRetryDelay"/>), so with the defaults a command gives up only after its stream kept
    /// changing for about five seconds. The bound is high because under contention the retries are not equals: the host
    /// that appended last decides its next command on fresh state, while the others must catch up first, so one of them
    /// may lose many times in a row before it wins. Default: 100.
    /// </summary>
    public int MaxConflictRetries { get; set; } = 100;

    /// <summary>
    /// The base of the wait before a conflict retry: before retry <c>n</c> the bus waits a random time between zero and
    /// <c>min(</c><see cref="MaxConflictRetryDelay"/><c>, ConflictRetryDelay × 2^(n−1))</c> ("full jitter"), so writers
    /// that collided spread out instead of colliding again in step. Measured with the bus's <see cref="TimeProvider"/>.
    /// Zero retries at once. Default: 2 ms.
    /// </summary>
    public TimeSpan ConflictRetryDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The longest wait before one conflict retry (the cap of the exponential backoff). Default: 100 ms.</summary>
    public TimeSpan MaxConflictRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The most appends written in one group commit.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>How projectors, process managers, gateways and the outbox dispatcher run.</summary>
    public ProcessingOptions Processing { get; } = new();

    /// <summary>
    /// Stores everything in one SQLite file (WAL, synchronous=FULL unless configured otherwise). The file must be the
    /// store's own: a new path, an empty file or one the store created (with its <c>concordance_schema</c> table);
    /// another application's database (any table, view, index or trigger, and no <c>concordance_schema</c>) is refused
    /// with <see cref="InvalidOperationException"/> when the store opens, and left untouched. See
    /// <see cref="SqliteStoreOptions.ConnectionString"/>.
    /// </summary>
    public ConcordanceOptions UseSqlite(string connectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new SqliteStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        StoreFactory = _ => SqliteStore.Open(options);
        return this;
    }

    /// <summary>Stores everything in process memory: for tests and demos; nothing survives the process.</summary>
    public ConcordanceOptions UseInMemory()
    {
        StoreFactory = _ => new InMemoryStore();
        return this;
    }

    /// <summary>Uses the store <paramref name="factory"/> makes (backend packages call this).</summary>
    public ConcordanceOptions UseStore(Func<IServiceProvider, IConcordanceStore> factory)
    {
        StoreFactory = factory ?? throw new ArgumentNullException(nameof(factory));
        return this;
    }
}
