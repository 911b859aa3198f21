namespace Concordance.Storage.Sqlite;

/// <summary>How the SQLite store opens its file.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>
    /// The Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=app.db</c>. The file must be the store's own: a
    /// path that does not exist yet, an empty database, or one the store created (it has a <c>concordance_schema</c>
    /// table). A database with any other table, view, index or trigger and no <c>concordance_schema</c> belongs to
    /// another application: opening it throws <see cref="InvalidOperationException"/> naming the file, and the file is
    /// left exactly as it was (no journal mode set, no table created).
    /// </summary>
    public string ConnectionString { get; set; } = "Data Source=concordance.db";

    /// <summary>
    /// The most bytes one string, blob or row may take: SQLite's <c>SQLITE_LIMIT_LENGTH</c>. Null (the default) keeps the
    /// limit compiled into the SQLite library, 1,000,000,000 bytes in the one Microsoft.Data.Sqlite bundles; a lower
    /// value is set on the store's connection. An event (its data with its stream key and ids), snapshot, document, outbox
    /// message or dead letter whose row would be over it is refused with <see cref="ArgumentException"/> before anything
    /// is written: the one command fails, the others of its group-commit batch land. See docs/processing.md, "Size limits".
    /// </summary>
    public int? MaxLength { get; set; }

    /// <summary>
    /// The <c>PRAGMA synchronous</c> level of writes. <see cref="SqliteSynchronous.Full"/> (the default) fsyncs the
    /// WAL at every commit: a command reported accepted survives a power cut.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>How often a waiting reader looks for events committed by another process on the same file.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels.</summary>
public enum SqliteSynchronous
{
    /// <summary>No fsync: fastest, loses recent commits on a power cut (not on a process crash).</summary>
    Off,
    /// <summary>fsync at checkpoints only: in WAL mode, loses recent commits on a power cut, never corrupts.</summary>
    Normal,
    /// <summary>fsync at every commit: durable.</summary>
    Full,
}
