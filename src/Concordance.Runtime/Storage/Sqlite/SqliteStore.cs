using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Concordance.Storage.Sqlite;

/// <summary>
/// The embedded backend: every port in one SQLite file in WAL mode. All writes go through one writer
/// connection, one immediate transaction per call (so a batch of appends is one commit and one fsync);
/// reads use pooled connections and see the last committed state.
/// </summary>
public sealed class SqliteStore : IConcordanceStore, IDisposable, IEventStore, ISnapshotStore, IComponentStore, IOutboxStore, IDeadLetterStore
{
    private const string EventColumns = "position, category, stream_key, version, id, type, schema_version, source, time, correlation_id, causation_id, data";

    private readonly SqliteStoreOptions _options;
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly LogSignal _signal = new();
    private bool _disposed;

    private readonly SqliteRowLimit _limit;

    private SqliteStore(SqliteStoreOptions options, SqliteConnection writer, SqliteRowLimit limit)
    {
        _options = options;
        _writer = writer;
        _limit = limit;
        _readConnectionString = new SqliteConnectionStringBuilder(options.ConnectionString) { Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
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

    // ---------------------------------------------------------------- events

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<AppendRequest> requests, CancellationToken cancellationToken = default)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(requests);
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            // The writer connection is free (the usual case with group commit in front): write on this thread at once.
            if (_writeLock.Wait(0)) return new ValueTask<IReadOnlyList<AppendResult>>(AppendLocked(requests));
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<IReadOnlyList<AppendResult>>(ex);
        }
        return WaitAndAppendAsync(requests, cancellationToken);
    }

    private async ValueTask<IReadOnlyList<AppendResult>> WaitAndAppendAsync(IReadOnlyList<AppendRequest> requests, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return AppendLocked(requests);
    }

    /// <summary>Appends in one transaction of its own; the caller holds the write lock, which this releases.</summary>
    private AppendResult[] AppendLocked(IReadOnlyList<AppendRequest> requests)
    {
        AppendResult[] results;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Before the transaction: a request over SQLite's length limit fails the call with nothing written.
            foreach (var request in requests) _limit.EnsureFits(request);
            // The append's own prepared BEGIN IMMEDIATE … COMMIT: SqliteConnection.BeginTransaction and Commit prepare,
            // run and finalize a fresh statement each, twice per commit, which costs more than the append's statements.
            var statements = _appendStatements ??= new AppendStatements(this);
            statements.Begin.ExecuteNonQuery();
            try
            {
                results = AppendInTransaction(requests, statements);
                statements.Commit.ExecuteNonQuery();
            }
            catch
            {
                // Nothing of a failed write stays: roll back whatever is open (COMMIT itself may have failed).
                if (SQLitePCL.raw.sqlite3_get_autocommit(_writer.Handle) == 0) statements.Rollback.ExecuteNonQuery();
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
        foreach (var result in results)
        {
            if (result.Events.Count == 0) continue;
            _signal.Pulse();
            break;
        }
        return results;
    }

    // Gap safety: positions come from AUTOINCREMENT inside the write transaction, and SQLite admits one
    // writer at a time (BEGIN IMMEDIATE takes the file's write lock, across processes too). So transactions
    // commit in the order their positions were assigned, and a reader's snapshot that contains position p
    // contains every lower position that will ever exist; a rolled-back transaction leaves a hole that no
    // later commit fills. A reader resuming after the last position it saw therefore never skips a late commit.
    private static AppendResult[] AppendInTransaction(IReadOnlyList<AppendRequest> requests, AppendStatements statements)
    {
        var results = new AppendResult[requests.Count];
        // Most batches hold one request: no dictionary for them.
        var versions = requests.Count > 1 ? new Dictionary<StreamId, long>() : null;
        // Prepared once per store and reused by every append (preparing four statements per commit costs more than
        // the statements themselves); they run inside the transaction the caller began on the writer connection.
        var (findCommand, streamVersion, insertEvent, insertCommand) = (statements.FindCommand, statements.StreamVersion, statements.InsertEvent, statements.InsertCommand);

        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.RejectionReason is not null && request.Events.Count > 0)
                throw new ArgumentException("A rejection is recorded without events.", nameof(requests));
            if (versions is null || !versions.TryGetValue(request.Stream, out var current))
            {
                streamVersion.Parameters[0].Value = request.Stream.Category;
                streamVersion.Parameters[1].Value = request.Stream.Key;
                current = (long)streamVersion.ExecuteScalar()!;
                versions?[request.Stream] = current;
            }
            // A made id is new by construction (CommandIdSource.Made): nothing to look up, and no record to keep, since
            // nobody else holds the id to send it again.
            var recorded = request.CommandIdSource != CommandIdSource.Made;
            if (request.CommandId is { } commandId && recorded)
            {
                findCommand.Parameters[0].Value = commandId;
                using var reader = findCommand.ExecuteReader();
                if (reader.Read())
                {
                    var record = new CommandRecord(commandId, new StreamId(reader.GetString(0), reader.GetString(1)), reader.GetInt64(2), reader.GetInt32(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4));
                    results[i] = new AppendResult(AppendStatus.DuplicateCommand, current, [], record);
                    continue;
                }
            }
            if (request.ExpectedVersion != ExpectedVersion.Any && request.ExpectedVersion != current)
            {
                results[i] = new AppendResult(AppendStatus.WrongExpectedVersion, current, []);
                continue;
            }
            var stored = request.Events.Count == 0 ? [] : new StoredEvent[request.Events.Count];
            for (var e = 0; e < stored.Length; e++)
            {
                var ev = request.Events[e];
                var p = insertEvent.Parameters;
                p[0].Value = request.Stream.Category;
                p[1].Value = request.Stream.Key;
                p[2].Value = current + e + 1;
                p[3].Value = ev.Id;
                p[4].Value = ev.Type;
                p[5].Value = ev.SchemaVersion;
                p[6].Value = ev.Source;
                p[7].Value = ev.Time.UtcTicks;
                p[8].Value = (object?)ev.CorrelationId ?? DBNull.Value;
                p[9].Value = (object?)ev.CausationId ?? DBNull.Value;
                // The serializer's array as it is when the memory spans all of it (no copy per event).
                p[10].Value = MemoryMarshal.TryGetArray(ev.Data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                    ? segment.Array
                    : ev.Data.ToArray();
                insertEvent.ExecuteNonQuery();
                // position is the rowid: the insert's own, read from the connection (one writer, under the write lock)
                // rather than through a RETURNING row and a data reader.
                var position = SQLitePCL.raw.sqlite3_last_insert_rowid(statements.Handle);
                stored[e] = new StoredEvent(ev.Id, ev.Source, ev.Type, new DateTimeOffset(ev.Time.UtcTicks, TimeSpan.Zero), request.Stream,
                    current + e + 1, position, ev.CorrelationId, ev.CausationId, ev.SchemaVersion, ev.Data);
            }
            current += stored.Length;
            versions?[request.Stream] = current;
            if (request.CommandId is { } id && recorded)
            {
                var p = insertCommand.Parameters;
                p[0].Value = id;
                p[1].Value = request.Stream.Category;
                p[2].Value = request.Stream.Key;
                p[3].Value = current;
                p[4].Value = stored.Length;
                p[5].Value = (object?)request.RejectionReason ?? DBNull.Value;
                insertCommand.ExecuteNonQuery();
            }
            results[i] = new AppendResult(AppendStatus.Appended, current, stored);
        }
        return results;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredEvent> ReadStreamAsync(StreamId stream, long fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventColumns} FROM events WHERE category = $c AND stream_key = $k AND version >= $v ORDER BY version";
        command.Parameters.AddWithValue("$c", stream.Category);
        command.Parameters.AddWithValue("$k", stream.Key);
        command.Parameters.AddWithValue("$v", fromVersion);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            yield return ReadEvent(reader);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterPosition, int maxCount, EventFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = "position > $p";
        if (filter is not null)
        {
            var names = new List<string>();
            foreach (var type in filter.EventTypes)
            {
                var name = "$t" + names.Count.ToString(CultureInfo.InvariantCulture);
                names.Add(name);
                command.Parameters.AddWithValue(name, type);
            }
            // A row without a type cannot be ruled out: it comes, and its reader finds it unreadable.
            where += names.Count == 0 ? " AND 0" : $" AND (type IN ({string.Join(", ", names)}) OR type IS NULL OR type = '')";
        }
        command.CommandText = $"SELECT {EventColumns} FROM events WHERE {where} ORDER BY position LIMIT $n";
        command.Parameters.AddWithValue("$p", afterPosition);
        command.Parameters.AddWithValue("$n", maxCount);
        var result = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            result.Add(ReadEvent(reader));
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<long> GetStreamVersionAsync(StreamId stream, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM events WHERE category = $c AND stream_key = $k";
        command.Parameters.AddWithValue("$c", stream.Category);
        command.Parameters.AddWithValue("$k", stream.Key);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(position), 0) FROM events";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    /// <remarks>In-process commits pulse the signal; the poll catches commits made by other processes on the file.</remarks>
    public ValueTask WaitForEventsAsync(long afterPosition, CancellationToken cancellationToken = default) =>
        _signal.WaitForHeadAsync(GetHeadPositionAsync, afterPosition, _options.PollInterval, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<CommandRecord?> FindCommandAsync(string commandId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT category, stream_key, version, event_count, rejection_reason FROM commands WHERE command_id = $id";
        command.Parameters.AddWithValue("$id", commandId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new CommandRecord(commandId, new StreamId(reader.GetString(0), reader.GetString(1)), reader.GetInt64(2), reader.GetInt32(3),
            reader.IsDBNull(4) ? null : reader.GetString(4));
    }

    /// <summary>
    /// The row as a stored event. Never throws for what the row holds: a row whose type or data is missing, or whose
    /// columns do not read, comes back with <see cref="StoredEvent.Problem"/> set and its raw data, so one torn row does
    /// not stop the readers of the rows after it. Whether the data reads as its type is the reader's business.
    /// </summary>
    private static StoredEvent ReadEvent(SqliteDataReader reader)
    {
        var position = reader.GetInt64(0);
        var stream = new StreamId(reader.GetString(1), reader.GetString(2));
        var version = reader.GetInt64(3);
        var data = reader.IsDBNull(11) ? [] : reader.GetFieldValue<byte[]>(11);
        var type = reader.IsDBNull(5) ? "" : reader.GetString(5);
        string? problem = type.Length == 0 ? "the event type is missing." : reader.IsDBNull(11) ? "the event data is missing." : null;
        try
        {
            return new StoredEvent(
                Id: reader.GetString(4),
                Source: reader.GetString(7),
                Type: type,
                Time: new DateTimeOffset(reader.GetInt64(8), TimeSpan.Zero),
                Stream: stream,
                Version: version,
                Position: position,
                CorrelationId: reader.IsDBNull(9) ? null : reader.GetString(9),
                CausationId: reader.IsDBNull(10) ? null : reader.GetString(10),
                SchemaVersion: reader.GetInt32(6),
                Data: data)
            {
                Problem = problem,
            };
        }
        catch (Exception ex) when (ex is InvalidCastException or InvalidOperationException or FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            return new StoredEvent(reader.IsDBNull(4) ? "" : reader.GetString(4), "", type, default, stream, version, position, null, null, 0, data)
            {
                Problem = problem ?? ex.Message,
            };
        }
    }

    // ---------------------------------------------------------------- snapshots

    async ValueTask<Snapshot?> ISnapshotStore.GetAsync(StreamId stream, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, data FROM snapshots WHERE category = $c AND stream_key = $k";
        command.Parameters.AddWithValue("$c", stream.Category);
        command.Parameters.AddWithValue("$k", stream.Key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new Snapshot(stream, reader.GetInt64(0), (byte[])reader.GetValue(1));
    }

    ValueTask ISnapshotStore.SaveAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        _limit.EnsureFits(snapshot);
        return WriteAsync(transaction =>
        {
            using var command = Command(transaction,
                "INSERT INTO snapshots (category, stream_key, version, data) VALUES ($c, $k, $v, $d) " +
                "ON CONFLICT (category, stream_key) DO UPDATE SET version = excluded.version, data = excluded.data WHERE excluded.version > snapshots.version",
                "$c", "$k", "$v", "$d");
            Bind(command, snapshot.Stream.Category, snapshot.Stream.Key, snapshot.Version, snapshot.Data.ToArray());
            command.ExecuteNonQuery();
            return true;
        }, cancellationToken).AsValueTask();
    }

    // ---------------------------------------------------------------- components

    /// <inheritdoc />
    public async ValueTask<long> GetCheckpointAsync(string component, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT position FROM checkpoints WHERE component = $c";
        command.Parameters.AddWithValue("$c", component);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position ? position : 0;
    }

    /// <inheritdoc />
    public async ValueTask<StoredDocument?> GetDocumentAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT data, position FROM documents WHERE collection = $c AND doc_key = $k";
        command.Parameters.AddWithValue("$c", collection);
        command.Parameters.AddWithValue("$k", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new StoredDocument(collection, key, (byte[])reader.GetValue(0), reader.GetInt64(1));
    }

    /// <inheritdoc />
    public async ValueTask<bool> CommitAsync(ComponentCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        _limit.EnsureFits(commit);
        return await WriteAsync(transaction =>
        {
            using (var read = Command(transaction, "SELECT position FROM checkpoints WHERE component = $c", "$c"))
            {
                Bind(read, commit.Component);
                var current = read.ExecuteScalar() is long position ? position : 0;
                if (current != commit.ExpectedCheckpoint) return false;
            }
            if (commit.Documents.Count > 0)
            {
                using var put = Command(transaction,
                    "INSERT INTO documents (collection, doc_key, data, position) VALUES ($c, $k, $d, $p) " +
                    "ON CONFLICT (collection, doc_key) DO UPDATE SET data = excluded.data, position = excluded.position",
                    "$c", "$k", "$d", "$p");
                using var delete = Command(transaction, "DELETE FROM documents WHERE collection = $c AND doc_key = $k", "$c", "$k");
                foreach (var write in commit.Documents)
                {
                    if (write.Data is { } data)
                    {
                        Bind(put, write.Collection, write.Key, data.ToArray(), commit.Checkpoint);
                        put.ExecuteNonQuery();
                    }
                    else
                    {
                        Bind(delete, write.Collection, write.Key);
                        delete.ExecuteNonQuery();
                    }
                }
            }
            if (commit.Outbox.Count > 0)
            {
                // OR IGNORE: a deterministic id enqueued again (a re-run after a crash) stays one message, even once dispatched.
                using var enqueue = Command(transaction,
                    "INSERT OR IGNORE INTO outbox (id, component, type, schema_version, data, correlation_id, causation_id, created) " +
                    "VALUES ($id, $c, $t, $sv, $d, $corr, $cause, $at)",
                    "$id", "$c", "$t", "$sv", "$d", "$corr", "$cause", "$at");
                foreach (var m in commit.Outbox)
                {
                    Bind(enqueue, m.Id, m.Component, m.Type, m.SchemaVersion, m.Data.ToArray(), m.CorrelationId, m.CausationId, m.CreatedAt.UtcTicks);
                    enqueue.ExecuteNonQuery();
                }
            }
            if (commit.DeadLetters.Count > 0)
            {
                using var park = Command(transaction,
                    "INSERT OR REPLACE INTO dead_letters (id, component, position, category, stream_key, event_id, event_type, error, attempts, failed_at, data, schema_version) " +
                    "VALUES ($id, $c, $p, $cat, $k, $eid, $et, $err, $n, $at, $d, $sv)",
                    "$id", "$c", "$p", "$cat", "$k", "$eid", "$et", "$err", "$n", "$at", "$d", "$sv");
                foreach (var d in commit.DeadLetters)
                {
                    Bind(park, d.Id, d.Component, d.Position, d.Stream.Category, d.Stream.Key, d.EventId, d.EventType, d.Error, d.Attempts, d.FailedAt.UtcTicks,
                        d.Data?.ToArray(), d.SchemaVersion);
                    park.ExecuteNonQuery();
                }
            }
            if (commit.RemovedDeadLetters.Count > 0)
            {
                using var remove = Command(transaction, "DELETE FROM dead_letters WHERE id = $id", "$id");
                foreach (var id in commit.RemovedDeadLetters)
                {
                    Bind(remove, id);
                    remove.ExecuteNonQuery();
                }
            }
            using (var move = Command(transaction,
                "INSERT INTO checkpoints (component, position) VALUES ($c, $p) ON CONFLICT (component) DO UPDATE SET position = excluded.position",
                "$c", "$p"))
            {
                Bind(move, commit.Component, commit.Checkpoint);
                move.ExecuteNonQuery();
            }
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>On SQLite the document's row (collection, key and data) must fit <see cref="SqliteStoreOptions.MaxLength"/>.</remarks>
    public void EnsureCanHold(DocumentWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _limit.EnsureFits(write);
    }

    /// <inheritdoc />
    public ValueTask ResetAsync(string component, string collection, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            using var documents = Command(transaction, "DELETE FROM documents WHERE collection = $c", "$c");
            Bind(documents, collection);
            documents.ExecuteNonQuery();
            using var checkpoint = Command(transaction, "DELETE FROM checkpoints WHERE component = $c", "$c");
            Bind(checkpoint, component);
            checkpoint.ExecuteNonQuery();
            return true;
        }, cancellationToken).AsValueTask();

    // ---------------------------------------------------------------- outbox

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OutboxMessage>> GetPendingAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, component, type, schema_version, data, correlation_id, causation_id, created FROM outbox WHERE dispatched = 0 ORDER BY seq LIMIT $n";
        command.Parameters.AddWithValue("$n", maxCount);
        var result = new List<OutboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new OutboxMessage(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), (byte[])reader.GetValue(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero)));
        }
        return result;
    }

    /// <inheritdoc />
    public ValueTask MarkDispatchedAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            using var mark = Command(transaction, "UPDATE outbox SET dispatched = 1 WHERE id = $id", "$id");
            foreach (var id in ids)
            {
                Bind(mark, id);
                mark.ExecuteNonQuery();
            }
            return true;
        }, cancellationToken).AsValueTask();

    // ---------------------------------------------------------------- dead letters

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string? component = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DeadLetterColumns} FROM dead_letters " +
            (component is null ? "" : "WHERE component = $c ") + "ORDER BY seq";
        if (component is not null) command.Parameters.AddWithValue("$c", component);
        var result = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) result.Add(ReadDeadLetter(reader));
        return result;
    }

    async ValueTask<DeadLetter?> IDeadLetterStore.GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DeadLetterColumns} FROM dead_letters WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadDeadLetter(reader) : null;
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            using var delete = Command(transaction, "DELETE FROM dead_letters WHERE id = $id", "$id");
            Bind(delete, id);
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken);

    private const string DeadLetterColumns = "id, component, position, category, stream_key, event_id, event_type, error, attempts, failed_at, data, schema_version";

    private static DeadLetter ReadDeadLetter(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), new StreamId(r.GetString(3), r.GetString(4)), r.GetString(5), r.GetString(6),
            r.GetString(7), r.GetInt32(8), new DateTimeOffset(r.GetInt64(9), TimeSpan.Zero))
        {
            Data = r.IsDBNull(10) ? null : (ReadOnlyMemory<byte>?)r.GetFieldValue<byte[]>(10),
            SchemaVersion = r.GetInt32(11),
        };

    // ---------------------------------------------------------------- plumbing

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

    private AppendStatements? _appendStatements;

    /// <summary>The append's statements on the writer connection (its transaction's too), prepared on first use and kept until disposal.</summary>
    private sealed class AppendStatements(SqliteStore store) : IDisposable
    {
        public SQLitePCL.sqlite3 Handle { get; } = store._writer.Handle!;

        public SqliteCommand Begin { get; } = store.Command(null, "BEGIN IMMEDIATE");

        public SqliteCommand Commit { get; } = store.Command(null, "COMMIT");

        public SqliteCommand Rollback { get; } = store.Command(null, "ROLLBACK");

        public SqliteCommand FindCommand { get; } = store.Command(null, "SELECT category, stream_key, version, event_count, rejection_reason FROM commands WHERE command_id = $id", "$id");

        public SqliteCommand StreamVersion { get; } = store.Command(null, "SELECT COALESCE(MAX(version), 0) FROM events WHERE category = $c AND stream_key = $k", "$c", "$k");

        public SqliteCommand InsertEvent { get; } = store.Command(null,
            "INSERT INTO events (category, stream_key, version, id, type, schema_version, source, time, correlation_id, causation_id, data) " +
            "VALUES ($c, $k, $v, $id, $type, $sv, $source, $time, $corr, $cause, $data)",
            "$c", "$k", "$v", "$id", "$type", "$sv", "$source", "$time", "$corr", "$cause", "$data");

        public SqliteCommand InsertCommand { get; } = store.Command(null,
            "INSERT INTO commands (command_id, category, stream_key, version, event_count, rejection_reason) VALUES ($id, $c, $k, $v, $n, $reason)",
            "$id", "$c", "$k", "$v", "$n", "$reason");

        public void Dispose()
        {
            foreach (var command in new[] { Begin, Commit, Rollback, FindCommand, StreamVersion, InsertEvent, InsertCommand }) command.Dispose();
        }
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
