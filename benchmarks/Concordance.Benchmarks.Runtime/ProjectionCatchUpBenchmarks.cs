using System.Text;
using BenchmarkDotNet.Attributes;
using Bench;
using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Concordance.Benchmarks.Runtime;

/// <summary>
/// A projector catching up a log of 10,000 events from position 0: the raw baseline reads the same rows in order
/// (one <c>SELECT … ORDER BY position</c>, every column read); Concordance runs the projector worker (the runner the
/// hosted worker drives) with a trivial projector, one read-model <c>Set</c> per event on 1,000 accounts, so nearly
/// every event writes its own document; each batch (behind the head, the default catch-up batch of 4,096 events, read
/// in pages of 512 while the pages before are projected) commits its documents with the checkpoint in one fsync'd
/// transaction (synchronous=FULL). The read models and checkpoint are reset before every iteration, outside the timing.
/// The job warms up for 120 iterations: with dynamic PGO the catch-up's methods run instrumented code for the first ~60
/// catch-ups (~2.5 s) before their final tier, at about twice the steady time; a long catch-up is past that within its
/// first seconds.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 120, iterationCount: 20, invocationCount: 1)]
public class ProjectionCatchUpBenchmarks
{
    private const int Accounts = 1000;
    private const int DepositsPerAccount = 10;
    private const int Events = Accounts * DepositsPerAccount;

    private TempFolder _folder = null!;
    private SqliteStore _store = null!;
    private CommandBus _bus = null!;
    private ComponentRunners _runners = null!;
    private ProjectorRunner _runner = null!;
    private string _connectionString = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _folder = new TempFolder();
        var path = _folder.File("catch-up.db");
        _connectionString = $"Data Source={path}";
        (_store, _bus) = Harness.OpenBus(path);
        var serializer = new MessageSerializer(Harness.Catalog());
        var time = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        // Round-robin over the accounts, 1,000 events per append (one transaction), so a batch of the log spans many accounts.
        for (var round = 0; round < DepositsPerAccount; round++)
        {
            var requests = new List<AppendRequest>();
            for (var a = 0; a < Accounts; a++)
            {
                var account = "ACC-" + a.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
                var (type, data) = serializer.Serialize(new FundsDeposited(account, 10m + round, "benchmark deposit", "CUST0001"));
                var id = $"evt-{round}-{a}";
                requests.Add(new AppendRequest(new StreamId("Bench.Account", account), round,
                    [new NewEvent(id, type.Name, type.Version, data, time.AddSeconds(round * Accounts + a), "/bench", "corr-" + id, null)]));
            }
            foreach (var result in await _store.Events.AppendAsync(requests))
                if (result.Status != AppendStatus.Appended) throw new InvalidOperationException("The log was not written.");
        }
        if (await _store.Events.GetHeadPositionAsync() != Events) throw new InvalidOperationException("Unexpected log length.");
        var options = new ConcordanceOptions { Source = "/bench" };
        var environment = new ProcessingEnvironment(_store, serializer, Harness.Catalog(), options, TimeProvider.System, _bus);
        _runners = new ComponentRunners([new LastDepositProjector()], [], [], environment);
        _runner = _runners.FindProjector(LastDepositProjector.ProjectorName)!;
    }

    /// <summary>Rebuilds the projector of this log (for <see cref="ProjectionRebuildBenchmarks"/>).</summary>
    internal IProjectionRebuilder Rebuilder => new ProjectionRebuilder(_runners);

    [IterationSetup(Target = nameof(Concordance_projector_catch_up))]
    public void ResetProjection()
    {
        _store.Components.ResetAsync(_runner.Component, _runner.Collection).AsTask().GetAwaiter().GetResult();
        _runner.Reset();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _runners.Dispose();
        await _bus.DisposeAsync();
        await _store.DisposeAsync();
        _folder.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<long> Raw_sequential_read()
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT position, category, stream_key, version, id, type, schema_version, source, time, correlation_id, causation_id, data " +
                              "FROM events WHERE position > 0 ORDER BY position";
        await using var reader = await command.ExecuteReaderAsync();
        long sum = 0, rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            sum += reader.GetInt64(0) + reader.GetInt64(3) + reader.GetInt32(6) + reader.GetInt64(8);
            sum += reader.GetString(1).Length + reader.GetString(2).Length + reader.GetString(4).Length + reader.GetString(5).Length + reader.GetString(7).Length;
            sum += reader.IsDBNull(9) ? 0 : reader.GetString(9).Length;
            sum += reader.IsDBNull(10) ? 0 : reader.GetString(10).Length;
            sum += ((byte[])reader.GetValue(11)).Length;
        }
        if (rows != Events) throw new InvalidOperationException("Short read.");
        return sum;
    }

    /// <summary>
    /// The same read one level lower, through SQLite's own API (SQLitePCL.raw, which Microsoft.Data.Sqlite wraps and the
    /// store now reads with): the same rows and columns, each text column decoded to a string and the data copied out.
    /// Not the baseline (the ratio is against the ADO.NET read above); shown so the catch-up's ratio can also be
    /// read against the fastest plain read.
    /// </summary>
    [Benchmark]
    public async Task<long> Raw_sequential_read_sqlite_api()
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        var db = connection.Handle!;
        if (raw.sqlite3_prepare_v2(db, "SELECT position, category, stream_key, version, id, type, schema_version, source, time, correlation_id, causation_id, data " +
                                       "FROM events WHERE position > 0 ORDER BY position", out var statement) != raw.SQLITE_OK)
            throw new InvalidOperationException(raw.sqlite3_errmsg(db).utf8_to_string());
        try
        {
            long sum = 0, rows = 0;
            while (raw.sqlite3_step(statement) == raw.SQLITE_ROW)
            {
                rows++;
                sum += raw.sqlite3_column_int64(statement, 0) + raw.sqlite3_column_int64(statement, 3) + raw.sqlite3_column_int(statement, 6) + raw.sqlite3_column_int64(statement, 8);
                foreach (var text in (ReadOnlySpan<int>)[1, 2, 4, 5, 7, 9, 10])
                    sum += raw.sqlite3_column_type(statement, text) == raw.SQLITE_NULL ? 0 : Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, text)).Length;
                sum += raw.sqlite3_column_blob(statement, 11).ToArray().Length;
            }
            if (rows != Events) throw new InvalidOperationException("Short read.");
            return sum;
        }
        finally
        {
            raw.sqlite3_finalize(statement);
        }
    }

    [Benchmark]
    public async Task<long> Concordance_projector_catch_up()
    {
        var handled = await _runner.CatchUpAsync();
        if (handled != Events || _runner.Checkpoint != Events) throw new InvalidOperationException($"Caught up {handled} event(s) to checkpoint {_runner.Checkpoint}.");
        return _runner.Checkpoint;
    }
}

/// <summary>
/// A blue/green rebuild of the same projector over the same 10,000-event log (<see cref="IProjectionRebuilder.RebuildAsync(string, CancellationToken)"/>):
/// a shadow build from position 0 into a new collection, the switch, and the removal of the previous collection; against
/// the same raw sequential read. Rebuild throughput in events/s is 10,000 / the measured time.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8, invocationCount: 1)]
public class ProjectionRebuildBenchmarks
{
    private readonly ProjectionCatchUpBenchmarks _log = new();
    private IProjectionRebuilder _rebuilder = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        await _log.Setup();
        await _log.Concordance_projector_catch_up();
        _rebuilder = _log.Rebuilder;
    }

    [GlobalCleanup]
    public Task Cleanup() => _log.Cleanup();

    [Benchmark(Baseline = true)]
    public Task<long> Raw_sequential_read() => _log.Raw_sequential_read();

    [Benchmark]
    public async Task Concordance_blue_green_rebuild() => await _rebuilder.RebuildAsync(LastDepositProjector.ProjectorName);
}

/// <summary>The read model: an account's last deposit.</summary>
public sealed record LastDeposit(decimal Amount, string? Note);

/// <summary>A trivial projector: one <c>Set</c> per event, nothing read.</summary>
public sealed class LastDepositProjector : IProjector
{
    public const string ProjectorName = "Bench.LastDeposit";

    public string Name => ProjectorName;

    public IReadOnlyList<Type> EventTypes { get; } = [typeof(FundsDeposited)];

    public ValueTask ProjectAsync(IEvent @event, ProjectionContext context)
    {
        var deposit = (FundsDeposited)@event;
        context.Set(deposit.AccountNumber, new LastDeposit(deposit.Amount, deposit.Note));
        return ValueTask.CompletedTask;
    }
}
