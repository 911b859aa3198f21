using BenchmarkDotNet.Attributes;
using Bench;
using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Concordance.Benchmarks.Runtime;

/// <summary>
/// Loading an aggregate of 1,000 events with no snapshot: the raw baseline reads the stream's rows (every
/// column) with one SELECT; Concordance reads the stream through the store, deserializes each event with the
/// generated converters and folds it with the generated Evolve — what the command bus does on a cache miss.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
public class RehydrationBenchmarks
{
    private const int Events = 1000;
    private static readonly StreamId Stream = new("Bench.Account", "ACC-1000");

    private TempFolder _folder = null!;
    private SqliteStore _store = null!;
    private MessageSerializer _serializer = null!;
    private IAggregate _aggregate = null!;
    private string _connectionString = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _folder = new TempFolder();
        var path = _folder.File("rehydrate.db");
        _connectionString = $"Data Source={path}";
        var (store, bus) = Harness.OpenBus(path, o => o.SnapshotEvery = 0);
        await bus.SendAsync(new OpenAccount(Stream.Key, 100m, 0m, "CUST0001"));
        for (var i = 1; i < Events; i++) await bus.SendAsync(new DepositFunds(Stream.Key, 1m, "benchmark deposit", "CUST0001"));
        await bus.DisposeAsync();
        await store.DisposeAsync();
        _store = SqliteStore.Open(new SqliteStoreOptions { ConnectionString = _connectionString });
        if (await _store.Events.GetStreamVersionAsync(Stream) != Events) throw new InvalidOperationException("The stream was not written.");
        _serializer = new MessageSerializer(Harness.Catalog());
        _aggregate = new Account();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _store.DisposeAsync();
        _folder.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<long> Raw_read_rows()
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT position, category, stream_key, version, id, type, schema_version, source, time, correlation_id, causation_id, data " +
                              "FROM events WHERE category = $c AND stream_key = $k AND version >= 1 ORDER BY version";
        command.Parameters.AddWithValue("$c", Stream.Category);
        command.Parameters.AddWithValue("$k", Stream.Key);
        await using var reader = await command.ExecuteReaderAsync();
        long sum = 0;
        while (await reader.ReadAsync())
        {
            sum += reader.GetInt64(0) + reader.GetInt64(3) + reader.GetInt32(6) + reader.GetInt64(8);
            sum += reader.GetString(1).Length + reader.GetString(2).Length + reader.GetString(4).Length + reader.GetString(5).Length + reader.GetString(7).Length;
            sum += reader.IsDBNull(9) ? 0 : reader.GetString(9).Length;
            sum += reader.IsDBNull(10) ? 0 : reader.GetString(10).Length;
            sum += ((byte[])reader.GetValue(11)).Length;
        }
        return sum;
    }

    [Benchmark]
    public async Task<decimal> Concordance_rehydrate()
    {
        object? state = null;
        long version = 0;
        await foreach (var stored in _store.Events.ReadStreamAsync(Stream, 1))
        {
            state = _aggregate.Evolve(_serializer.Deserialize(stored), state);
            version = stored.Version;
        }
        if (version != Events) throw new InvalidOperationException("Short read.");
        return ((AccountState)state!).Balance;
    }
}
