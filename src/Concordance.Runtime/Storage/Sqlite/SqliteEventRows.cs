using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Concordance.Storage.Sqlite;

/// <summary>
/// A query of event rows (<see cref="SqliteStore"/>'s event columns, in their order) run through SQLite's own API on a
/// connection of the store, each row decoded straight from SQLite's buffers into a <see cref="StoredEvent"/>: reading
/// the log is the critical path of a catch-up, and Microsoft.Data.Sqlite's reader costs about 1.7× this per row (its
/// per-column checks, and a string for every text column). Text repeated from row to row (category, type, source) is
/// decoded once per run of equal values. One rows object per query, on one thread; dispose it to finalize the statement.
/// </summary>
internal sealed class SqliteEventRows : IDisposable
{
    private const int Position = 0, Category = 1, Key = 2, Version = 3, Id = 4, Type = 5, SchemaVersion = 6, Source = 7, Time = 8,
        CorrelationId = 9, CausationId = 10, Data = 11, TraceParent = 12, TraceState = 13;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private string? _category, _type, _source;

    /// <summary>Prepares <paramref name="sql"/> on <paramref name="connection"/> (open), waiting up to <paramref name="busyTimeout"/> for a locked file as the store's commands do.</summary>
    public SqliteEventRows(SqliteConnection connection, string sql, TimeSpan busyTimeout)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        raw.sqlite3_busy_timeout(_db, (int)Math.Min(int.MaxValue, busyTimeout.TotalMilliseconds));
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>Binds the 1-based parameter <paramref name="index"/>.</summary>
    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <inheritdoc cref="Bind(int, long)"/>
    public void Bind(int index, string value) => Check(raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    /// <summary>Steps to the next row; false after the last.</summary>
    /// <exception cref="SqliteException">SQLite failed (the file is unreadable, or stayed locked beyond the busy timeout).</exception>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        Check(rc);
        return false;
    }

    /// <summary>
    /// The current row as a stored event. Never throws for what the row holds: a row whose type, data or other required
    /// column is missing or out of range comes back with <see cref="StoredEvent.Problem"/> set and its raw data, so one
    /// torn row does not stop the readers of the rows after it. Whether the data reads as its type is the reader's business.
    /// </summary>
    public StoredEvent Current()
    {
        var stream = new StreamId(Repeated(Category, ref _category) ?? "", Text(Key) ?? "");
        var version = raw.sqlite3_column_int64(_statement, Version);
        var position = raw.sqlite3_column_int64(_statement, Position);
        var blob = raw.sqlite3_column_blob(_statement, Data);
        var hasData = !blob.IsEmpty || !IsNull(Data);
        var data = blob.ToArray();
        var type = Repeated(Type, ref _type) ?? "";
        var id = Text(Id);
        var source = Repeated(Source, ref _source);
        var schemaVersion = raw.sqlite3_column_int64(_statement, SchemaVersion);
        var time = raw.sqlite3_column_int64(_statement, Time);
        var problem = type.Length == 0 ? "the event type is missing." : !hasData ? "the event data is missing." : null;
        var unreadable = id is null ? "the event id is missing."
            : source is null ? "the event source is missing."
            : schemaVersion == 0 && IsNull(SchemaVersion) ? "the event's schema version is missing."
            : schemaVersion is < int.MinValue or > int.MaxValue ? $"the event's schema version {schemaVersion.ToString(CultureInfo.InvariantCulture)} overflows a 32-bit integer."
            : time == 0 && IsNull(Time) ? "the event time is missing."
            : null;
        if (unreadable is not null)
            return new StoredEvent(id ?? "", "", type, default, stream, version, position, null, null, 0, data) { Problem = problem ?? unreadable };
        return new StoredEvent(
            Id: id!,
            Source: source!,
            Type: type,
            Time: new DateTimeOffset(time, TimeSpan.Zero),
            Stream: stream,
            Version: version,
            Position: position,
            CorrelationId: Text(CorrelationId),
            CausationId: RarelyText(CausationId),
            SchemaVersion: (int)schemaVersion,
            Data: data)
        {
            Problem = problem,
            TraceParent = RarelyText(TraceParent),
            TraceState = RarelyText(TraceState),
        };
    }

    // Each call into SQLite costs more than the work it does: a column's type is asked only where its value cannot tell
    // NULL apart (an empty text or blob, a zero), or first where the column is usually NULL.
    private bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    /// <summary>The column's text (SQLite's UTF-8 bytes of a text or blob value), or null for NULL.</summary>
    private string? Text(int column)
    {
        var bytes = raw.sqlite3_column_blob(_statement, column);
        return !bytes.IsEmpty ? Encoding.UTF8.GetString(bytes) : IsNull(column) ? null : "";
    }

    /// <summary>The column's text as <see cref="Text"/>, for a column that is usually NULL.</summary>
    private string? RarelyText(int column) => IsNull(column) ? null : Encoding.UTF8.GetString(raw.sqlite3_column_blob(_statement, column));

    /// <summary>The column's text as <see cref="Text"/>, reusing <paramref name="last"/> when the bytes are the same.</summary>
    private string? Repeated(int column, ref string? last)
    {
        var bytes = raw.sqlite3_column_blob(_statement, column);
        if (bytes.IsEmpty) return IsNull(column) ? null : "";
        if (last is not null && last.Length == bytes.Length && Ascii.Equals(bytes, last)) return last;
        return last = Encoding.UTF8.GetString(bytes);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <inheritdoc />
    public void Dispose() => raw.sqlite3_finalize(_statement);
}
