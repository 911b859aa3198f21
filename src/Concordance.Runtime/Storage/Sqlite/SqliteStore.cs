using Microsoft.Data.Sqlite;

namespace Concordance.Storage.Sqlite;

/// <summary>
/// The embedded backend: every port in one SQLite file in WAL mode. All writes go through one writer
/// connection, one immediate transaction per call (so a batch of appends is one commit and one fsync);
/// reads use pooled connections and see the last committed state.
/// </summary>
public sealed partial class SqliteStore : IConcordanceStore, IDisposable, IEventStore, ISnapshotStore, IComponentStore, IOutboxStore, IDeadLetterStore
{
    private readonly SqliteStoreOptions _options;
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly LogSignal _signal = new();
    private bool _disposed;

    private readonly SqliteRowLimit _limit;

    private SqliteStore(SqliteStoreOptions options, SqliteConnection writer, SqliteRowLimit limit, bool readOnly = false)
    {
        _options = options;
        _writer = writer;
        _limit = limit;
        _readConnectionString = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        }.ToString();
    }

    /// <summary>
    /// Opens the existing store in file <paramref name="path"/> for reading only (inspection tools): the file is opened
    /// read-only, nothing is created, migrated or set (no <c>PRAGMA</c> that writes), so the file stays byte for byte as it
    /// was. Every write through the returned store fails.
    /// </summary>
    /// <param name="path">The store's file.</param>
    /// <param name="followCommits">
    /// False (a one-off read): when no application has the file open (no <c>-wal</c> file beside it), it is opened
    /// immutable, so SQLite creates no <c>-wal</c> or <c>-shm</c> file beside it either; the store must then not be written
    /// while it is open. True, or when an application has the file open: reads see what is committed meanwhile (for
    /// following the log), and SQLite may create <c>-wal</c> and <c>-shm</c> files beside a file in WAL mode, as every
    /// reader of such a file does; the file itself still stays unchanged.
    /// </param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidOperationException">
    /// The file is a SQLite database but not a Concordance store (another application's, or empty), or its schema version
    /// differs from this runtime's (open it once with the application to migrate it).
    /// </exception>
    /// <exception cref="SqliteException">The file is not a SQLite database, or cannot be read.</exception>
    public static SqliteStore OpenReadOnly(string path, bool followCommits = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"There is no file '{path}'.", path);
        var full = Path.GetFullPath(path);
        // immutable=1 (a URI filename): SQLite reads the file as it is, without the -wal and -shm files a WAL reader makes.
        var immutable = !followCommits && !File.Exists(full + "-wal");
        var options = new SqliteStoreOptions
        {
            ConnectionString = new SqliteConnectionStringBuilder
            {
                DataSource = immutable ? new Uri(full).AbsoluteUri + "?immutable=1" : full,
                Mode = SqliteOpenMode.ReadOnly,
            }.ToString(),
        };
        var connection = new SqliteConnection(options.ConnectionString);
        try
        {
            connection.Open();
            SqliteSchema.EnsureOwned(connection);
            SqliteSchema.EnsureCurrent(connection);
            var limit = new SqliteRowLimit(SQLitePCL.raw.sqlite3_limit(connection.Handle, SQLitePCL.raw.SQLITE_LIMIT_LENGTH, -1));
            return new SqliteStore(options, connection, limit, readOnly: true);
        }
        catch
        {
            SqliteConnection.ClearPool(connection);
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens (creating and migrating if needed) the store described by <paramref name="options"/>.</summary>
    public static SqliteStore Open(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxLength is { } max) ArgumentOutOfRangeException.ThrowIfLessThan(max, 1024, nameof(options.MaxLength));
        var writer = new SqliteConnection(options.ConnectionString);
        try
        {
            writer.Open();
            // Before any PRAGMA or table change: another application's database is refused untouched.
            SqliteSchema.EnsureOwned(writer);
            // sqlite3_limit caps a value over the library's own maximum; with -1 it only reads the limit in force.
            if (options.MaxLength is { } maxLength) SQLitePCL.raw.sqlite3_limit(writer.Handle, SQLitePCL.raw.SQLITE_LIMIT_LENGTH, maxLength);
            var limit = new SqliteRowLimit(SQLitePCL.raw.sqlite3_limit(writer.Handle, SQLitePCL.raw.SQLITE_LIMIT_LENGTH, -1));
            using (var pragma = writer.CreateCommand())
            {
                pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={options.Synchronous.ToString().ToUpperInvariant()}; PRAGMA busy_timeout=30000;";
                pragma.ExecuteNonQuery();
            }
            SqliteSchema.Migrate(writer);
            return new SqliteStore(options, writer, limit);
        }
        catch
        {
            // Not back to the pool: a refused file must not stay open.
            SqliteConnection.ClearPool(writer);
            writer.Dispose();
            throw;
        }
    }

    /// <summary>The length limit in force (<see cref="SqliteStoreOptions.MaxLength"/>, else SQLite's own), in bytes.</summary>
    internal long MaxLength => _limit.MaxBytes;

    /// <summary>Opens the store in the file named by <paramref name="connectionString"/> with default options.</summary>
    public static SqliteStore Open(string connectionString) => Open(new SqliteStoreOptions { ConnectionString = connectionString });

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

    private async ValueTask<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            var result = work(transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private SqliteCommand Command(SqliteTransaction? transaction, string sql, params string[] parameters)
    {
        var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    /// <summary>
    /// Disposes synchronously, for a service provider or host disposed with <c>Dispose()</c>
    /// (<c>using var host = …</c>); waits for what <see cref="DisposeAsync"/> waits for.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            _appendStatements?.Dispose();
            if (_putDocument is not null) SQLitePCL.raw.sqlite3_finalize(_putDocument);
            await _writer.DisposeAsync().ConfigureAwait(false);
            // Pooled reader connections would keep the file open after the store is gone.
            using var pooled = new SqliteConnection(_readConnectionString);
            SqliteConnection.ClearPool(pooled);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}

internal static class ValueTaskExtensions
{
    public static async ValueTask AsValueTask<T>(this ValueTask<T> task) => await task.ConfigureAwait(false);
}
