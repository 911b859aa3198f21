using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Concordance.Storage.Sqlite;

// The event log: appends (one immediate transaction per batch), stream and global reads, command records.
public sealed partial class SqliteStore
{
    private const string EventColumns = "position, category, stream_key, version, id, type, schema_version, source, time, correlation_id, causation_id, data, trace_parent, trace_state";

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
                p[11].Value = (object?)ev.TraceParent ?? DBNull.Value;
                p[12].Value = (object?)ev.TraceState ?? DBNull.Value;
                insertEvent.ExecuteNonQuery();
                // position is the rowid: the insert's own, read from the connection (one writer, under the write lock)
                // rather than through a RETURNING row and a data reader.
                var position = SQLitePCL.raw.sqlite3_last_insert_rowid(statements.Handle);
                stored[e] = new StoredEvent(ev.Id, ev.Source, ev.Type, new DateTimeOffset(ev.Time.UtcTicks, TimeSpan.Zero), request.Stream,
                    current + e + 1, position, ev.CorrelationId, ev.CausationId, ev.SchemaVersion, ev.Data)
                {
                    TraceParent = ev.TraceParent,
                    TraceState = ev.TraceState,
                };
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
        using var rows = new SqliteEventRows(connection, $"SELECT {EventColumns} FROM events WHERE category = ?1 AND stream_key = ?2 AND version >= ?3 ORDER BY version", ReadBusyTimeout);
        rows.Bind(1, stream.Category);
        rows.Bind(2, stream.Key);
        rows.Bind(3, fromVersion);
        while (rows.Read())
        {
            yield return rows.Current();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterPosition, int maxCount, EventFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var where = "position > ?1";
        var types = filter?.EventTypes.ToArray();
        if (types is not null)
        {
            // A row without a type cannot be ruled out: it comes, and its reader finds it unreadable.
            where += types.Length == 0 ? " AND 0"
                : $" AND (type IN ({string.Join(", ", types.Select((_, i) => "?" + (i + 3).ToString(CultureInfo.InvariantCulture)))}) OR type IS NULL OR type = '')";
        }
        using var rows = new SqliteEventRows(connection, $"SELECT {EventColumns} FROM events WHERE {where} ORDER BY position LIMIT ?2", ReadBusyTimeout);
        rows.Bind(1, afterPosition);
        rows.Bind(2, maxCount);
        for (var i = 0; i < types?.Length; i++) rows.Bind(i + 3, types[i]);
        var result = new List<StoredEvent>(Math.Min(maxCount, 1024));
        while (rows.Read())
        {
            result.Add(rows.Current());
            if ((result.Count & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
        }
        return result;
    }

    /// <summary>How long an event read waits for a locked file (Microsoft.Data.Sqlite's default command timeout).</summary>
    private static readonly TimeSpan ReadBusyTimeout = TimeSpan.FromSeconds(30);

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
            "INSERT INTO events (category, stream_key, version, id, type, schema_version, source, time, correlation_id, causation_id, data, trace_parent, trace_state) " +
            "VALUES ($c, $k, $v, $id, $type, $sv, $source, $time, $corr, $cause, $data, $tp, $ts)",
            "$c", "$k", "$v", "$id", "$type", "$sv", "$source", "$time", "$corr", "$cause", "$data", "$tp", "$ts");

        public SqliteCommand InsertCommand { get; } = store.Command(null,
            "INSERT INTO commands (command_id, category, stream_key, version, event_count, rejection_reason) VALUES ($id, $c, $k, $v, $n, $reason)",
            "$id", "$c", "$k", "$v", "$n", "$reason");

        public void Dispose()
        {
            foreach (var command in new[] { Begin, Commit, Rollback, FindCommand, StreamVersion, InsertEvent, InsertCommand }) command.Dispose();
        }
    }
}
