using Microsoft.Data.Sqlite;

namespace Concordance.Storage.Sqlite;

// The outbox: commands process managers enqueued, read in order and marked dispatched.
public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OutboxMessage>> GetPendingAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, component, type, schema_version, data, correlation_id, causation_id, created, trace_parent, trace_state FROM outbox WHERE dispatched = 0 ORDER BY seq LIMIT $n";
        command.Parameters.AddWithValue("$n", maxCount);
        var result = new List<OutboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new OutboxMessage(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), (byte[])reader.GetValue(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero))
            {
                TraceParent = reader.IsDBNull(8) ? null : reader.GetString(8),
                TraceState = reader.IsDBNull(9) ? null : reader.GetString(9),
            });
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
}
