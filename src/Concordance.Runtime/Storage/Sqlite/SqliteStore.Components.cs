using Microsoft.Data.Sqlite;

namespace Concordance.Storage.Sqlite;

// Checkpoints, read-model and process documents, and the component commit that lands them with the outbox and dead letters.
public sealed partial class SqliteStore
{
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
    public async ValueTask<IReadOnlyList<ComponentCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT component, position FROM checkpoints ORDER BY component";
        var result = new List<ComponentCheckpoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) result.Add(new ComponentCheckpoint(reader.GetString(0), reader.GetInt64(1)));
        return result;
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
            if (commit.Documents.Count > 0) WriteDocuments(transaction, commit.Documents, commit.Checkpoint);
            if (commit.Outbox.Count > 0)
            {
                // OR IGNORE: a deterministic id enqueued again (a re-run after a crash) stays one message, even once dispatched.
                using var enqueue = Command(transaction,
                    "INSERT OR IGNORE INTO outbox (id, component, type, schema_version, data, correlation_id, causation_id, created, trace_parent, trace_state) " +
                    "VALUES ($id, $c, $t, $sv, $d, $corr, $cause, $at, $tp, $ts)",
                    "$id", "$c", "$t", "$sv", "$d", "$corr", "$cause", "$at", "$tp", "$ts");
                foreach (var m in commit.Outbox)
                {
                    Bind(enqueue, m.Id, m.Component, m.Type, m.SchemaVersion, m.Data.ToArray(), m.CorrelationId, m.CausationId, m.CreatedAt.UtcTicks, m.TraceParent, m.TraceState);
                    enqueue.ExecuteNonQuery();
                }
            }
            if (commit.DeadLetters.Count > 0)
            {
                using var park = Command(transaction,
                    "INSERT OR REPLACE INTO dead_letters (id, component, position, category, stream_key, event_id, event_type, error, attempts, failed_at, data, schema_version, generation) " +
                    "VALUES ($id, $c, $p, $cat, $k, $eid, $et, $err, $n, $at, $d, $sv, $g)",
                    "$id", "$c", "$p", "$cat", "$k", "$eid", "$et", "$err", "$n", "$at", "$d", "$sv", "$g");
                foreach (var d in commit.DeadLetters)
                {
                    Bind(park, d.Id, d.Component, d.Position, d.Stream.Category, d.Stream.Key, d.EventId, d.EventType, d.Error, d.Attempts, d.FailedAt.UtcTicks,
                        d.Data?.ToArray(), d.SchemaVersion, d.Generation);
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

    /// <summary>
    /// Writes a commit's documents: deletes through a command, puts through one upsert statement prepared on the writer
    /// connection once and kept (<see cref="_putDocument"/>), its parameters bound by position straight from the strings
    /// and bytes. Microsoft.Data.Sqlite binds by name (a lookup per parameter per row) and boxes the position: for the
    /// thousands of documents of a catch-up batch that cost more than SQLite's own work.
    /// </summary>
    private void WriteDocuments(SqliteTransaction transaction, IReadOnlyList<DocumentWrite> documents, long position)
    {
        SqliteCommand? delete = null;
        try
        {
            foreach (var write in documents)
            {
                if (write.Data is { } data)
                {
                    PutDocument(write.Collection, write.Key, data.Span, position);
                    continue;
                }
                delete ??= Command(transaction, "DELETE FROM documents WHERE collection = $c AND doc_key = $k", "$c", "$k");
                Bind(delete, write.Collection, write.Key);
                delete.ExecuteNonQuery();
            }
        }
        finally
        {
            delete?.Dispose();
        }
    }

    /// <summary>The document upsert, prepared on the writer connection on first use and finalized with the store (under the write lock).</summary>
    private SQLitePCL.sqlite3_stmt? _putDocument;

    private void PutDocument(string collection, string key, ReadOnlySpan<byte> data, long position)
    {
        var db = _writer.Handle!;
        if (_putDocument is null)
        {
            Check(SQLitePCL.raw.sqlite3_prepare_v2(db,
                "INSERT INTO documents (collection, doc_key, data, position) VALUES (?1, ?2, ?3, ?4) " +
                "ON CONFLICT (collection, doc_key) DO UPDATE SET data = excluded.data, position = excluded.position",
                out var prepared), db);
            _putDocument = prepared;
        }
        var put = _putDocument;
        try
        {
            Check(SQLitePCL.raw.sqlite3_bind_text16(put, 1, collection.AsSpan()), db);
            Check(SQLitePCL.raw.sqlite3_bind_text16(put, 2, key.AsSpan()), db);
            // An empty span would bind NULL (the column is NOT NULL): an empty document is a zero-length blob.
            Check(data.IsEmpty ? SQLitePCL.raw.sqlite3_bind_zeroblob(put, 3, 0) : SQLitePCL.raw.sqlite3_bind_blob(put, 3, data), db);
            Check(SQLitePCL.raw.sqlite3_bind_int64(put, 4, position), db);
            var rc = SQLitePCL.raw.sqlite3_step(put);
            if (rc != SQLitePCL.raw.SQLITE_DONE) Check(rc, db);
        }
        finally
        {
            SQLitePCL.raw.sqlite3_reset(put);
        }
    }

    private static void Check(int rc, SQLitePCL.sqlite3 db)
    {
        if (rc != SQLitePCL.raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
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

    /// <inheritdoc />
    public async ValueTask<ProjectionGenerations?> GetProjectionAsync(string projector, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT generations FROM projections WHERE projector = $p";
        command.Parameters.AddWithValue("$p", projector);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string text ? ProjectionGenerations.Parse(text) : null;
    }

    /// <inheritdoc />
    public ValueTask<bool> SetProjectionAsync(string projector, ProjectionGenerations? expected, ProjectionGenerations next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projector);
        ArgumentNullException.ThrowIfNull(next);
        return WriteAsync(transaction =>
        {
            using var set = expected is null
                ? Command(transaction, "INSERT INTO projections (projector, generations) VALUES ($p, $n) ON CONFLICT (projector) DO NOTHING", "$p", "$n")
                : Command(transaction, "UPDATE projections SET generations = $n WHERE projector = $p AND generations = $e", "$p", "$n", "$e");
            if (expected is null) Bind(set, projector, next.Format());
            else Bind(set, projector, next.Format(), expected.Format());
            return set.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }
}
