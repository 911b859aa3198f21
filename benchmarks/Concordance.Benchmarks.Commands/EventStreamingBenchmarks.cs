using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Concordance.Hosting.Commands;
using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Concordance.Benchmarks.Commands;

/// <summary>
/// The path of <c>concordance events --db FILE --json</c> (a read-only store, pages of the global log, JSON lines) to a
/// null sink, against the raw sequential read it cannot beat: one <c>SELECT … ORDER BY position</c> reading every column
/// of every row. Both read the same 100,000-event file, in the same process.
/// </summary>
[MemoryDiagnoser]
public class EventStreamingBenchmarks
{
    public const int Events = 100_000;

    private string _directory = "";
    private string _path = "";

    [GlobalSetup]
    public void Setup() => (_directory, _path) = CreateLog();

    [GlobalCleanup]
    public void Cleanup() => Delete(_directory);

    [Benchmark(Baseline = true, Description = "raw SELECT … ORDER BY position, every column")]
    public long RawRead() => RawRead(_path);

    [Benchmark(Description = "events --json to a null sink")]
    public Task<long> EventsJson() => EventsJson(_path);

    /// <summary>A 100,000-event log over 1,000 streams, bank-like JSON data, closed (no -wal beside it).</summary>
    public static (string Directory, string Path) CreateLog()
    {
        var directory = Directory.CreateTempSubdirectory("concordance-events-bench-").FullName;
        var path = Path.Combine(directory, "log.db");
        using (var store = SqliteStore.Open(new SqliteStoreOptions { ConnectionString = $"Data Source={path}", Synchronous = SqliteSynchronous.Off }))
        {
            var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var versions = new long[1000];
            for (var start = 0; start < Events; start += 1000)
            {
                var requests = new List<AppendRequest>();
                for (var i = start; i < start + 1000; i++)
                {
                    var account = i % versions.Length;
                    var key = "ACC" + account.ToString("D4", CultureInfo.InvariantCulture);
                    var data = Encoding.UTF8.GetBytes($$"""{"accountNumber":"{{key}}","amount":{{i % 977}}.50,"note":"deposit {{i}}","customerId":"CUST{{account}}"}""");
                    var added = new NewEvent($"cmd-{i}-0", "Bank.FundsDeposited", 1, data, time.AddMilliseconds(i), "/bench", $"cmd-{i}", $"cmd-{i}");
                    requests.Add(new AppendRequest(new StreamId("Bank.BankAccount", key), versions[account]++, [added]));
                }
                store.AppendAsync(requests).AsTask().GetAwaiter().GetResult();
            }
        }
        SqliteConnection.ClearAllPools();
        return (directory, path);
    }

    public static void Delete(string directory)
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>The baseline: every column of every row, in position order, on a read-only connection.</summary>
    public static long RawRead(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT position, category, stream_key, version, id, type, schema_version, source, time, correlation_id, causation_id, data FROM events ORDER BY position";
        using var reader = command.ExecuteReader();
        long sum = 0;
        while (reader.Read())
        {
            sum += reader.GetInt64(0);
            sum += reader.GetString(1).Length + reader.GetString(2).Length;
            sum += reader.GetInt64(3);
            sum += reader.GetString(4).Length + reader.GetString(5).Length;
            sum += reader.GetInt32(6);
            sum += reader.GetString(7).Length;
            sum += reader.GetInt64(8);
            sum += reader.IsDBNull(9) ? 0 : reader.GetString(9).Length;
            sum += reader.IsDBNull(10) ? 0 : reader.GetString(10).Length;
            sum += reader.GetFieldValue<byte[]>(11).Length;
        }
        return sum;
    }

    /// <summary>The tool's path: read-only store, the command's page loop, JSON lines to <see cref="Stream.Null"/>.</summary>
    public static async Task<long> EventsJson(string path)
    {
        await using var store = SqliteStore.OpenReadOnly(path);
        var sink = new JsonEventSink(Stream.Null);
        var count = await EventsCommand.StreamAsync(store.Events, EventSelection.All, sink, follow: false, CancellationToken.None);
        sink.Flush();
        return count;
    }

    /// <summary>Both, alternated <paramref name="rounds"/> times in one process; prints medians and the rate ratio.</summary>
    public static async Task RunRatioAsync(int rounds)
    {
        var (directory, path) = CreateLog();
        try
        {
            RawRead(path);
            await EventsJson(path);
            var raw = new List<double>();
            var events = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                RawRead(path);
                raw.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                var count = await EventsJson(path);
                events.Add(watch.Elapsed.TotalMilliseconds);
                if (count != Events) throw new InvalidOperationException($"events streamed {count} events, not {Events}.");
            }
            static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
            var (rawMs, eventsMs) = (Median(raw), Median(events));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw sequential read:       {rawMs,8:N1} ms  {Events / rawMs * 1000,12:N0} events/s  (median of {rounds})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"events --json (null sink): {eventsMs,8:N1} ms  {Events / eventsMs * 1000,12:N0} events/s  (median of {rounds})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rate ratio events / raw:   {rawMs / eventsMs,8:N2}  (target >= 0.5)"));
        }
        finally
        {
            Delete(directory);
        }
    }
}
