using Bench;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Concordance.Benchmarks.Runtime;

/// <summary>A fresh temp folder per benchmark class, removed at cleanup; and the two ways of writing to a file in it.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("concordance-bench-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

public static class Harness
{
    public static ComponentCatalog Catalog()
    {
        var catalog = new ComponentCatalog();
        foreach (var type in LedgerSchema.MessageTypes) catalog.Add(type);
        return catalog;
    }

    /// <summary>The command bus over a SQLite file with the runtime's defaults (WAL, synchronous=FULL, group commit); the generated message types unless <paramref name="catalog"/> is given.</summary>
    public static (SqliteStore Store, CommandBus Bus) OpenBus(string path, Action<ConcordanceOptions>? configure = null, ComponentCatalog? catalog = null)
    {
        var store = SqliteStore.Open(new SqliteStoreOptions { ConnectionString = $"Data Source={path}", Synchronous = SqliteSynchronous.Full });
        var options = new ConcordanceOptions { Source = "/bench" };
        configure?.Invoke(options);
        return (store, new CommandBus(store, [new Account()], new MessageSerializer(catalog ?? Catalog()), options, TimeProvider.System));
    }

    /// <summary>
    /// The raw baseline's connection: the same file settings as the store (WAL, synchronous=FULL) and the same
    /// <c>events</c> table and stream index, with nothing else.
    /// </summary>
    public static SqliteConnection OpenRaw(string path)
    {
        var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var setup = connection.CreateCommand();
        setup.CommandText = """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;
            CREATE TABLE IF NOT EXISTS events (
                position INTEGER PRIMARY KEY AUTOINCREMENT,
                category TEXT NOT NULL,
                stream_key TEXT NOT NULL,
                version INTEGER NOT NULL,
                id TEXT NOT NULL,
                type TEXT,
                schema_version INTEGER NOT NULL,
                source TEXT NOT NULL,
                time INTEGER NOT NULL,
                correlation_id TEXT,
                causation_id TEXT,
                data BLOB);
            CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (category, stream_key, version);
            """;
        setup.ExecuteNonQuery();
        return connection;
    }

    /// <summary>The JSON of a typical deposit event, as the runtime stores it.</summary>
    public static byte[] DepositJson(string account) =>
        new MessageSerializer(Catalog()).Serialize(new FundsDeposited(account, 25m, "benchmark deposit", "CUST0001")).Data;
}

/// <summary>Runs a class's benchmarks in declared order but with the baseline last (BenchmarkDotNet runs them one after another).</summary>
public sealed class BaselineLastOrderer : BenchmarkDotNet.Order.IOrderer
{
    private readonly BenchmarkDotNet.Order.IOrderer _default = BenchmarkDotNet.Order.DefaultOrderer.Instance;

    public bool SeparateLogicalGroups => _default.SeparateLogicalGroups;

    public IEnumerable<BenchmarkDotNet.Running.BenchmarkCase> GetExecutionOrder(System.Collections.Immutable.ImmutableArray<BenchmarkDotNet.Running.BenchmarkCase> benchmarksCase, IEnumerable<BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule>? order = null) =>
        _default.GetExecutionOrder(benchmarksCase, order).OrderBy(b => b.Descriptor.Baseline);

    public IEnumerable<BenchmarkDotNet.Running.BenchmarkCase> GetSummaryOrder(System.Collections.Immutable.ImmutableArray<BenchmarkDotNet.Running.BenchmarkCase> benchmarksCases, BenchmarkDotNet.Reports.Summary summary) =>
        _default.GetSummaryOrder(benchmarksCases, summary);

    public string? GetHighlightGroupKey(BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => _default.GetHighlightGroupKey(benchmarkCase);

    public string? GetLogicalGroupKey(System.Collections.Immutable.ImmutableArray<BenchmarkDotNet.Running.BenchmarkCase> allBenchmarksCases, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) =>
        _default.GetLogicalGroupKey(allBenchmarksCases, benchmarkCase);

    public IEnumerable<IGrouping<string, BenchmarkDotNet.Running.BenchmarkCase>> GetLogicalGroupOrder(IEnumerable<IGrouping<string, BenchmarkDotNet.Running.BenchmarkCase>> logicalGroups, IEnumerable<BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule>? order = null) =>
        _default.GetLogicalGroupOrder(logicalGroups, order);
}

/// <summary>The default config with <see cref="BaselineLastOrderer"/>.</summary>
public sealed class BaselineLastConfig : BenchmarkDotNet.Configs.ManualConfig
{
    public BaselineLastConfig() => Orderer = new BaselineLastOrderer();
}
