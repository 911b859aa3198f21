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

    /// <summary>How many times a command is re-decided after its stream changed under it before the send fails.</summary>
    public int MaxConflictRetries { get; set; } = 10;

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
