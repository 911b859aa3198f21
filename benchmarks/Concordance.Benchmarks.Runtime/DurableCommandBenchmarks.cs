using BenchmarkDotNet.Attributes;
using Bench;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Concordance.Benchmarks.Runtime;

/// <summary>
/// Durable command throughput on SQLite with synchronous=FULL (every commit fsyncs the WAL), per command:
/// the raw baseline inserts one event row per transaction on one connection; Concordance sends real commands
/// (open an account, then deposits) through the command bus, one sender at a time or 64 senders on 64
/// different aggregates at once (group commit shares a transaction and an fsync among them). Both write the same
/// file with the store's PRAGMAs (WAL, synchronous=FULL); the baseline reuses one prepared INSERT on one connection.
/// BenchmarkDotNet runs one method after another, so the baseline runs last here and <c>--interleaved</c>
/// (Program.cs) alternates baseline and one-sender rounds in one process.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[Config(typeof(BaselineLastConfig))]
public class DurableCommandBenchmarks
{
    private const int CommandsPerAccount = 20;
    private const int Senders = 64;
    private const int Sequential = 100;

    /// <summary>Operations per invocation of the sequential benchmarks.</summary>
    public const int SequentialOperations = Sequential;

    private TempFolder _folder = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _insert = null!;
    private SqliteStore _store = null!;
    private CommandBus _bus = null!;
    private byte[] _data = null!;
    private long _rawVersion;
    private int _accounts;
    private string? _current;

    [GlobalSetup]
    public void Setup()
    {
        _folder = new TempFolder();
        // The baseline writes into the store's own file and events table through a connection of its own: the same
        // pages, WAL and fsync target. (With a file each, fsync latency differed up to 4× between the two files in the
        // same process on this disk, whichever did more work: a file effect, not a cost of either path.)
        (_store, _bus) = Harness.OpenBus(_folder.File("concordance.db"));
        _raw = Harness.OpenRaw(_folder.File("concordance.db"));
        _insert = _raw.CreateCommand();
        _insert.CommandText = "INSERT INTO events (category, stream_key, version, id, type, schema_version, source, time, correlation_id, causation_id, data) " +
                              "VALUES ($c, $k, $v, $id, $type, 1, '/bench', $time, NULL, NULL, $data)";
        foreach (var name in new[] { "$c", "$k", "$v", "$id", "$type", "$time", "$data" }) _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        _data = Harness.DepositJson("ACC-RAW");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _bus.DisposeAsync();
        await _store.DisposeAsync();
        _insert.Dispose();
        _raw.Dispose();
        _folder.Dispose();
    }

    /// <summary>One INSERT per BEGIN … COMMIT, 100 in a row: the fsync-bound ceiling of one writer.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Sequential)]
    public void Raw_insert_per_transaction()
    {
        for (var i = 0; i < Sequential; i++) RawInsert();
    }

    /// <summary>The baseline's unit: one INSERT in one BEGIN IMMEDIATE … COMMIT (one fsync of the WAL).</summary>
    public void RawInsert()
    {
        using var transaction = _raw.BeginTransaction(deferred: false);
        _insert.Transaction = transaction;
        var p = _insert.Parameters;
        var version = ++_rawVersion;
        p[0].Value = "Bench.Account";
        p[1].Value = "ACC-RAW";
        p[2].Value = version;
        p[3].Value = "raw-" + version;
        p[4].Value = "Bench.FundsDeposited";
        p[5].Value = DateTimeOffset.UtcNow.UtcTicks;
        p[6].Value = _data;
        _insert.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>The one-sender unit: the <paramref name="index"/>-th command of the workload (every 20th opens a new account, the rest deposit).</summary>
    public Task SendOneAsync(int index)
    {
        if (index % CommandsPerAccount == 0) _current = "ACC-" + Interlocked.Increment(ref _accounts).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return index % CommandsPerAccount == 0
            ? Accepted(_bus.SendAsync(new OpenAccount(_current!, 100m, 0m, "CUST0001")))
            : Accepted(_bus.SendAsync(new DepositFunds(_current!, 25m, "benchmark deposit", "CUST0001")));
    }

    /// <summary>One sender awaiting each command: 5 accounts × (open + 19 deposits).</summary>
    [Benchmark(OperationsPerInvoke = Sequential)]
    public async Task Concordance_one_sender()
    {
        for (var a = 0; a < Sequential / CommandsPerAccount; a++)
            await SendAccountAsync(Interlocked.Increment(ref _accounts));
    }

    /// <summary>64 senders at once, each on its own account: open + 19 deposits each.</summary>
    [Benchmark(OperationsPerInvoke = Senders * CommandsPerAccount)]
    public Task Concordance_64_senders()
    {
        var senders = new Task[Senders];
        for (var s = 0; s < Senders; s++)
            senders[s] = SendAccountAsync(Interlocked.Increment(ref _accounts));
        return Task.WhenAll(senders);
    }

    private async Task SendAccountAsync(int number)
    {
        var account = "ACC-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Accepted(_bus.SendAsync(new OpenAccount(account, 100m, 0m, "CUST0001")));
        for (var i = 1; i < CommandsPerAccount; i++)
            await Accepted(_bus.SendAsync(new DepositFunds(account, 25m, "benchmark deposit", "CUST0001")));
    }

    private static async Task Accepted(Task<CommandResult> send)
    {
        var result = await send.ConfigureAwait(false);
        if (!result.IsAccepted) throw new InvalidOperationException($"A benchmark command was rejected: {result.RejectionReason}");
    }
}
