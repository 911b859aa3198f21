using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Concordance.Benchmarks.Runtime;
using Concordance.Storage.Sqlite;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace Concordance.Benchmarks.Marten;

/// <summary>
/// The same durable command workload — open an account, then 19 deposits, each command loaded, decided and
/// appended with an optimistic version check — on Marten with PostgreSQL (the peer a user would pick; fsync
/// and synchronous_commit on, its defaults) and on Concordance with SQLite (WAL, synchronous=FULL, its
/// defaults). One sender awaiting each command, and 64 senders on 64 accounts at once. Marten is the baseline
/// of each category. PostgreSQL is started by <c>benchmarks/marten/run.sh</c>, which sets
/// <c>CONCORDANCE_BENCH_PG</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CommandWorkloadBenchmarks
{
    private const int CommandsPerAccount = 20;
    private const int Senders = 64;
    private const int Sequential = 100;

    private DocumentStore _marten = null!;
    private TempFolder _folder = null!;
    private SqliteStore _store = null!;
    private CommandBus _bus = null!;
    private int _accounts;

    [GlobalSetup]
    public async Task Setup()
    {
        var connectionString = Environment.GetEnvironmentVariable("CONCORDANCE_BENCH_PG")
            ?? throw new InvalidOperationException("CONCORDANCE_BENCH_PG is not set: run benchmarks/marten/run.sh, which starts PostgreSQL and sets it.");
        _marten = DocumentStore.For(options =>
        {
            options.Connection(connectionString);
            options.DatabaseSchemaName = "concordance_bench";
            options.Events.StreamIdentity = StreamIdentity.AsString;
            options.AutoCreateSchemaObjects = AutoCreate.All;
            options.Events.AddEventType<AccountOpened>();
            options.Events.AddEventType<FundsDeposited>();
        });
        await _marten.Advanced.Clean.CompletelyRemoveAllAsync();
        await _marten.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        _folder = new TempFolder();
        (_store, _bus) = Harness.OpenBus(_folder.File("concordance.db"));
        // A run id keeps stream keys unique across the benchmark's processes on the same database.
        _accounts = Random.Shared.Next(1, 1_000_000) * 1000;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _bus.DisposeAsync();
        await _store.DisposeAsync();
        _folder.Dispose();
        _marten.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Sequential), BenchmarkCategory("1 sender")]
    public async Task Marten_one_sender()
    {
        for (var a = 0; a < Sequential / CommandsPerAccount; a++) await MartenAccountAsync(Interlocked.Increment(ref _accounts));
    }

    [Benchmark(OperationsPerInvoke = Sequential), BenchmarkCategory("1 sender")]
    public async Task Concordance_one_sender()
    {
        for (var a = 0; a < Sequential / CommandsPerAccount; a++) await ConcordanceAccountAsync(Interlocked.Increment(ref _accounts));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Senders * CommandsPerAccount), BenchmarkCategory("64 senders")]
    public Task Marten_64_senders() => Parallel(MartenAccountAsync);

    [Benchmark(OperationsPerInvoke = Senders * CommandsPerAccount), BenchmarkCategory("64 senders")]
    public Task Concordance_64_senders() => Parallel(ConcordanceAccountAsync);

    private Task Parallel(Func<int, Task> account)
    {
        var senders = new Task[Senders];
        for (var s = 0; s < Senders; s++) senders[s] = account(Interlocked.Increment(ref _accounts));
        return Task.WhenAll(senders);
    }

    private async Task MartenAccountAsync(int number)
    {
        var key = "ACC-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await MartenSendAsync(key, account => account is null ? new AccountOpened(key, 100m, 0m, "CUST0001") : null);
        for (var i = 1; i < CommandsPerAccount; i++)
            await MartenSendAsync(key, account => account is null ? null : new FundsDeposited(key, 25m, "benchmark deposit", "CUST0001"));
    }

    /// <summary>Load the aggregate, decide, append at the loaded version, commit.</summary>
    private async Task MartenSendAsync(string key, Func<MartenAccount?, object?> decide)
    {
        await using var session = _marten.LightweightSession();
        var stream = await session.Events.FetchForWriting<MartenAccount>(key);
        var @event = decide(stream.Aggregate) ?? throw new InvalidOperationException($"A benchmark command on {key} was rejected.");
        stream.AppendOne(@event);
        await session.SaveChangesAsync();
    }

    private async Task ConcordanceAccountAsync(int number)
    {
        var key = "ACC-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Accepted(await _bus.SendAsync(new Bench.OpenAccount(key, 100m, 0m, "CUST0001")));
        for (var i = 1; i < CommandsPerAccount; i++)
            Accepted(await _bus.SendAsync(new Bench.DepositFunds(key, 25m, "benchmark deposit", "CUST0001")));
    }

    private static void Accepted(CommandResult result)
    {
        if (!result.IsAccepted) throw new InvalidOperationException($"A benchmark command was rejected: {result.RejectionReason}");
    }
}
