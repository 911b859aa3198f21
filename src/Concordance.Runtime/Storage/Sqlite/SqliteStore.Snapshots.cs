using Microsoft.Data.Sqlite;

namespace Concordance.Storage.Sqlite;

// Aggregate snapshots: one row per stream, replaced on save.
public sealed partial class SqliteStore
{
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
}
