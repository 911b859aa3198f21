using Microsoft.Data.Sqlite;

namespace Concordance.Storage.Sqlite;

// Dead letters: events a component parked (written by the component commit), listed, read and deleted.
public sealed partial class SqliteStore
{
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

    private const string DeadLetterColumns = "id, component, position, category, stream_key, event_id, event_type, error, attempts, failed_at, data, schema_version, generation";

    private static DeadLetter ReadDeadLetter(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), new StreamId(r.GetString(3), r.GetString(4)), r.GetString(5), r.GetString(6),
            r.GetString(7), r.GetInt32(8), new DateTimeOffset(r.GetInt64(9), TimeSpan.Zero))
        {
            Data = r.IsDBNull(10) ? null : (ReadOnlyMemory<byte>?)r.GetFieldValue<byte[]>(10),
            SchemaVersion = r.GetInt32(11),
            Generation = r.IsDBNull(12) ? null : r.GetString(12),
        };
}
