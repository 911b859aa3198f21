using Microsoft.Data.Sqlite;

namespace Concordance.Storage.Sqlite;

/// <summary>Creates and migrates the store's tables; the applied version is kept in <c>concordance_schema</c>.</summary>
internal static class SqliteSchema
{
    /// <summary>Migration <c>i</c> brings the schema from version <c>i</c> to <c>i + 1</c>. Append only; never edit a shipped one.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE events (
            position INTEGER PRIMARY KEY AUTOINCREMENT,
            category TEXT NOT NULL,
            stream_key TEXT NOT NULL,
            version INTEGER NOT NULL,
            id TEXT NOT NULL,
            type TEXT,
            schema_version INTEGER NOT NULL,
            source TEXT NOT NULL,
            time INTEGER NOT NULL,
            correlation_id TEXT,
            causation_id TEXT,
            data BLOB);
        CREATE UNIQUE INDEX events_by_stream ON events (category, stream_key, version);
        CREATE TABLE commands (
            command_id TEXT PRIMARY KEY,
            category TEXT NOT NULL,
            stream_key TEXT NOT NULL,
            version INTEGER NOT NULL,
            event_count INTEGER NOT NULL,
            rejection_reason TEXT) WITHOUT ROWID;
        CREATE TABLE snapshots (
            category TEXT NOT NULL,
            stream_key TEXT NOT NULL,
            version INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (category, stream_key)) WITHOUT ROWID;
        CREATE TABLE checkpoints (
            component TEXT PRIMARY KEY,
            position INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE documents (
            collection TEXT NOT NULL,
            doc_key TEXT NOT NULL,
            data BLOB NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (collection, doc_key)) WITHOUT ROWID;
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            component TEXT NOT NULL,
            type TEXT NOT NULL,
            schema_version INTEGER NOT NULL,
            data BLOB NOT NULL,
            correlation_id TEXT,
            causation_id TEXT,
            created INTEGER NOT NULL,
            dispatched INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX outbox_pending ON outbox (dispatched, seq);
        CREATE TABLE dead_letters (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            component TEXT NOT NULL,
            position INTEGER NOT NULL,
            category TEXT NOT NULL,
            stream_key TEXT NOT NULL,
            event_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            error TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            failed_at INTEGER NOT NULL);
        """,
        // 2: a dead letter keeps its event as stored (data NULL: parked before this version, or no data).
        """
        ALTER TABLE dead_letters ADD COLUMN data BLOB;
        ALTER TABLE dead_letters ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 0;
        """,
        // 3: the W3C trace context of the operation that appended an event or enqueued an outbox message (NULL: none, or before this version).
        """
        ALTER TABLE events ADD COLUMN trace_parent TEXT;
        ALTER TABLE events ADD COLUMN trace_state TEXT;
        ALTER TABLE outbox ADD COLUMN trace_parent TEXT;
        ALTER TABLE outbox ADD COLUMN trace_state TEXT;
        """,
        // 4: blue/green projections: each projector's active, building and retired generations (ProjectionGenerations.Format).
        """
        CREATE TABLE projections (
            projector TEXT PRIMARY KEY,
            generations TEXT NOT NULL) WITHOUT ROWID;
        """,
        // 5: the projector build (generation) that parked a dead letter (NULL: the initial build, another component, or before this version).
        """
        ALTER TABLE dead_letters ADD COLUMN generation TEXT;
        """,
    ];

    /// <summary>
    /// Refuses a file the store does not own, before anything changes it. The store owns a file that is new or empty (no
    /// schema object at all) or that holds its <c>concordance_schema</c> table; any other database (an application's own,
    /// maybe with a table called <c>events</c>) is another's, and it is left byte for byte as it was: reading the schema
    /// is all this does, before any <c>PRAGMA</c> or migration.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file holds tables (or views, indexes, triggers) but no <c>concordance_schema</c>.</exception>
    public static void EnsureOwned(SqliteConnection connection)
    {
        var foreign = new List<string>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY type DESC, name";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                if (reader.GetString(0) == "table" && reader.GetString(1) == "concordance_schema") return;
                foreign.Add($"{reader.GetString(0)} {reader.GetString(1)}");
            }
        }
        if (foreign.Count == 0) return;
        var listed = string.Join(", ", foreign.Take(5)) + (foreign.Count > 5 ? $" and {foreign.Count - 5} more" : "");
        throw new InvalidOperationException(
            $"The SQLite file '{connection.DataSource}' is not a Concordance store: it holds {listed} but no concordance_schema table, so it belongs to another application. " +
            "The store opens only a new or empty file or one it created, and has left this one unchanged; give it a file of its own (e.g. Data Source=concordance.db).");
    }

    /// <summary>Checks, reading only, that the file holds a store at <see cref="CurrentVersion"/> (for a read-only open, which cannot migrate).</summary>
    /// <exception cref="InvalidOperationException">The file holds no store, or one at another schema version.</exception>
    public static void EnsureCurrent(SqliteConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'concordance_schema'";
        if (read.ExecuteScalar() is null)
            throw new InvalidOperationException($"The SQLite file '{connection.DataSource}' holds no Concordance store (it is an empty database).");
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM concordance_schema";
        var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
            throw new InvalidOperationException($"The SQLite store '{connection.DataSource}' is at schema version {version}, newer than this runtime's {CurrentVersion}; use a newer tool.");
        if (version < CurrentVersion)
            throw new InvalidOperationException($"The SQLite store '{connection.DataSource}' is at schema version {version}, older than this runtime's {CurrentVersion}; run the application once on it to migrate it, then read it.");
    }

    /// <summary>The schema version this build of the runtime writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Applies every migration the file lacks, each in its own immediate transaction.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer runtime.</exception>
    public static void Migrate(SqliteConnection connection)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS concordance_schema (version INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }
        while (true)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM concordance_schema";
            var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (version > CurrentVersion)
                throw new InvalidOperationException($"The SQLite store is at schema version {version}, newer than this runtime's {CurrentVersion}.");
            if (version == CurrentVersion) return;
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = Migrations[version] + $";\nINSERT INTO concordance_schema (version) VALUES ({version + 1});";
            migrate.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
