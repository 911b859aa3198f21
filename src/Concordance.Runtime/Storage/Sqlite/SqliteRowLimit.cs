using System.Globalization;
using System.Text;

namespace Concordance.Storage.Sqlite;

/// <summary>
/// SQLite's length limit (<c>SQLITE_LIMIT_LENGTH</c>) as the store checks it before writing: the most bytes one string,
/// blob or whole row may take. SQLite itself would fail the statement, and with it the whole transaction: every command
/// of a group-commit batch. Checked first, a write over the limit is refused alone with <see cref="ArgumentException"/>.
/// </summary>
/// <param name="maxBytes">The limit in force on the store's writer connection.</param>
internal sealed class SqliteRowLimit(long maxBytes)
{
    /// <summary>Room in a row for its record header and its integer columns.</summary>
    private const int RowOverhead = 256;

    /// <summary>The limit, in bytes.</summary>
    public long MaxBytes => maxBytes;

    /// <summary>Refuses <paramref name="request"/> when one of its rows (an event, its command record) would be over the limit.</summary>
    public void EnsureFits(AppendRequest request)
    {
        var stream = request.Stream;
        for (var i = 0; i < request.Events.Count; i++)
        {
            var e = request.Events[i];
            EnsureRowFits(request, i, e.Data.Length, stream.Category, stream.Key, e.Id, e.Type, e.Source, e.CorrelationId, e.CausationId, e.TraceParent, e.TraceState);
        }
        EnsureRowFits(request, -1, 0, request.CommandId, stream.Category, stream.Key, request.RejectionReason);
    }

    /// <summary>Refuses a document write whose row would be over the limit.</summary>
    public void EnsureFits(DocumentWrite write)
    {
        // Checked before the message's closure exists: this runs for every read-model write.
        var rowBytes = RowBytes(write.Data?.Length ?? 0, write.Collection, write.Key);
        if (rowBytes > maxBytes) Ensure(rowBytes, () => $"The document '{Shorten(write.Key)}' of {write.Collection}");
    }

    /// <summary>Refuses a snapshot whose row would be over the limit.</summary>
    public void EnsureFits(Snapshot snapshot) =>
        Ensure(RowBytes(snapshot.Data.Length, snapshot.Stream.Category, snapshot.Stream.Key), () => $"The snapshot of '{Shorten(snapshot.Stream.ToString())}'");

    /// <summary>Refuses a commit with a document, outbox message or dead letter whose row would be over the limit.</summary>
    public void EnsureFits(ComponentCommit commit)
    {
        foreach (var write in commit.Documents) EnsureFits(write);
        foreach (var m in commit.Outbox)
            Ensure(RowBytes(m.Data.Length, m.Id, m.Component, m.Type, m.CorrelationId, m.CausationId, m.TraceParent, m.TraceState), () => $"The outbox message '{Shorten(m.Id)}' of {commit.Component}");
        foreach (var d in commit.DeadLetters)
            Ensure(RowBytes(0, d.Id, d.Component, d.Stream.Category, d.Stream.Key, d.EventId, d.EventType, d.Error), () => $"The dead letter '{Shorten(d.Id)}'");
    }

    private void EnsureRowFits(AppendRequest request, int index, int blobBytes, params ReadOnlySpan<string?> texts) =>
        Ensure(RowBytes(blobBytes, texts), () => index < 0
            ? $"The command record of '{Shorten(request.CommandId ?? "")}' on '{Shorten(request.Stream.ToString())}'"
            : $"Event {index} ({request.Events[index].Type}) of the append to '{Shorten(request.Stream.ToString())}'");

    /// <summary>A row's size: exact when it may be near the limit, else an upper bound (three UTF-8 bytes per UTF-16 unit) that costs no pass over the text.</summary>
    private long RowBytes(int blobBytes, params ReadOnlySpan<string?> texts)
    {
        long bound = RowOverhead + blobBytes;
        foreach (var text in texts) bound += (text?.Length ?? 0) * 3L;
        if (bound <= maxBytes) return bound;
        long exact = RowOverhead + blobBytes;
        foreach (var text in texts) exact += text is null ? 0 : Encoding.UTF8.GetByteCount(text);
        return exact;
    }

    private void Ensure(long rowBytes, Func<string> what)
    {
        if (rowBytes <= maxBytes) return;
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"{what()} is too large for the SQLite store: its row takes {rowBytes:N0} bytes, and SQLite's length limit (SQLITE_LIMIT_LENGTH, SqliteStoreOptions.MaxLength) is {maxBytes:N0} bytes."));
    }

    /// <summary>The first characters of a long value, for a message that must not repeat kilobytes of it.</summary>
    private static string Shorten(string value) => value.Length <= 60 ? value : string.Concat(value.AsSpan(0, 60), "…");
}
