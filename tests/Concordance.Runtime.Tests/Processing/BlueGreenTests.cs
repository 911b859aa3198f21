using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using Concordance.Storage.InMemory;
using Concordance.Storage.Sqlite;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

/// <summary>
/// Blue/green projections: a new version, or a rebuild, is built in a shadow collection while readers keep the previous
/// build whole, then switched to in one step. Readers query all along; none may fail or see a partial model.
/// </summary>
public sealed class BlueGreenTests : IDisposable
{
    private const int Accounts = 12, Deposits = 60;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private IConcordanceStore Open(string store) => store switch
    {
        "sqlite" => SqliteStore.Open(new SqliteStoreOptions { ConnectionString = _database.ConnectionString, Synchronous = SqliteSynchronous.Normal }),
        _ => new InMemoryStore(),
    };

    /// <summary>Every account's log, projected by version 1; returns the last deposit's note of each account.</summary>
    private static async Task SeedAsync(Harness harness)
    {
        for (var a = 0; a < Accounts; a++)
            await harness.AppendAsync(Harness.Account($"a{a}"), [new Opened($"a{a}", 0m), .. Enumerable.Range(1, Deposits).Select(i => new Deposited($"a{a}", i, $"d{i}"))]);
        await harness.Projector().CatchUpAsync();
    }

    private static AccountSummary Complete(int account, string prefix) =>
        new($"a{account}", Deposits * (Deposits + 1) / 2, Deposits + 1, $"{prefix}d{Deposits}");

    /// <summary>Reads every account in turn until stopped; returns how many reads saw each version, and the failures.</summary>
    private static async Task<(int Old, int New, List<string> Failures)> ReadAllAlongAsync(IReadModels readModels, string newPrefix, CountdownEvent firstPass, CancellationToken stop)
    {
        int old = 0, @new = 0;
        var failures = new List<string>();
        var sawNew = false;
        var firstPassDone = false;
        while (!stop.IsCancellationRequested)
        {
            for (var a = 0; a < Accounts; a++)
            {
                try
                {
                    var model = await readModels.GetAsync<AccountSummary>("Ledger", $"a{a}");
                    if (model == Complete(a, "")) { old++; if (sawNew) failures.Add($"a{a}: the old model after the new one"); }
                    else if (model == Complete(a, newPrefix)) { @new++; sawNew = true; }
                    else failures.Add($"a{a}: {model?.ToString() ?? "nothing"}");
                }
                catch (Exception ex)
                {
                    failures.Add($"a{a}: {ex.GetType().Name}: {ex.Message}");
                }
            }
            if (!firstPassDone) firstPass.Signal();
            firstPassDone = true;
            await Task.Yield();
        }
        return (old, @new, failures);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public async Task Given_readers_querying_all_along_when_a_host_starts_a_new_projector_version_then_every_read_is_the_whole_old_or_whole_new_model_and_it_switches_once(string kind)
    {
        var store = Open(kind);
        await using (var v1 = new Harness(store, projectors: [new Ledger()]))
        {
            await SeedAsync(v1);
        }
        var logs = new CapturingLoggerFactory();
        var ledger = new Ledger { Version = 2, NotePrefix = "v2:", BeforeProject = _ => Thread.SpinWait(2000) };
        await using var v2 = new Harness(kind == "sqlite" ? Open(kind) : store, projectors: [ledger], configure: o => o.BatchSize = o.CatchUpBatchSize = 20, loggerFactory: logs);
        using var stop = new CancellationTokenSource();
        using var firstPass = new CountdownEvent(2);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() => ReadAllAlongAsync(v2.ReadModels, "v2:", firstPass, stop.Token))).ToArray();
        Assert.True(firstPass.Wait(TimeSpan.FromSeconds(30)), "the readers did not start");
        using var running = new CancellationTokenSource();
        var worker = Task.Run(() => v2.Projector().RunAsync(running.Token));

        var switched = await Eventually.Get(() => v2.Store.Components.GetProjectionAsync(Ledger.ProjectorName).AsTask(),
            g => g is { Active.Version: 2, Retired: null }, "the switch to version 2", seconds: 60);
        await Task.Delay(100);
        await stop.CancelAsync();
        var results = await Task.WhenAll(readers);
        await running.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => worker);

        Assert.Empty(results.SelectMany(r => r.Failures));
        Assert.All(results, r => Assert.True(r.New > 0, "a reader never saw the new version"));
        Assert.True(results.Sum(r => r.Old) > 0, "no read came before the switch: the test did not read during the build");
        Assert.Equal(new ProjectionGenerations(new ProjectionGeneration(2, 1)), switched);
        Assert.Null(await v2.Store.Components.GetDocumentAsync(Ledger.ProjectorName, "a0"));
        Assert.Equal(0, await v2.Store.Components.GetCheckpointAsync("projector:" + Ledger.ProjectorName));
        Assert.Single(logs.Entries, e => e.Message.Contains("readers switched"));
        var tenths = logs.Entries.Where(e => e.Message.Contains("building v2.1:")).ToList();
        Assert.True(tenths.Count >= 9, $"expected a progress line every 10 %, got {tenths.Count}");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public async Task Given_readers_querying_all_along_when_a_projection_is_rebuilt_then_no_read_fails_progress_is_reported_and_it_keeps_following_the_log(string kind)
    {
        var ledger = new Ledger();
        await using var harness = new Harness(Open(kind), projectors: [ledger], configure: o => o.BatchSize = o.CatchUpBatchSize = 20);
        await SeedAsync(harness);
        using var stop = new CancellationTokenSource();
        using var firstPass = new CountdownEvent(2);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() => ReadAllAlongAsync(harness.ReadModels, "", firstPass, stop.Token))).ToArray();
        Assert.True(firstPass.Wait(TimeSpan.FromSeconds(30)), "the readers did not start");
        var reports = new List<ProjectionRebuildProgress>();

        await harness.Rebuilder.RebuildAsync("Ledger", new SynchronousProgress(reports.Add));
        await harness.Rebuilder.RebuildAsync("Ledger");
        await stop.CancelAsync();
        var results = await Task.WhenAll(readers);

        Assert.Empty(results.SelectMany(r => r.Failures));
        Assert.True(results.Sum(r => r.Old) > 0);
        Assert.True(reports.Count > 2, "progress was reported along the way");
        Assert.Equal(reports.Select(r => r.Position).Order(), reports.Select(r => r.Position));
        Assert.True(reports[^1] is { IsSwitched: true, Fraction: 1.0 });
        Assert.Equal(new ProjectionGenerations(new ProjectionGeneration(1, 2)), await harness.Store.Components.GetProjectionAsync(Ledger.ProjectorName));
        await harness.AppendAsync(Harness.Account("a0"), new Deposited("a0", 1000m, "late"));
        await harness.Projector().CatchUpAsync();
        Assert.Equal(Complete(0, "") with { Balance = Deposits * (Deposits + 1) / 2 + 1000m, Operations = Deposits + 2, LastNote = "late" },
            await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "a0"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public async Task Given_a_poison_event_during_a_rebuild_when_readers_are_switched_then_its_dead_letter_is_listed_under_the_projector_and_a_retry_lands_in_the_active_build(string kind)
    {
        var ledger = new Ledger();
        await using var harness = new Harness(Open(kind), projectors: [ledger], configure: o => o.MaxAttempts = 1);
        await harness.AppendAsync(Harness.Account("ok"), new Opened("ok", 0m), new Deposited("ok", 5m, "d1"));
        var poison = (await harness.AppendAsync(Harness.Account("poison"), new Opened("poison", 0m)))[0];
        await harness.Projector().CatchUpAsync();
        ledger.FailFor.Add("poison");

        await harness.Rebuilder.RebuildAsync("Ledger");

        Assert.Equal(new ProjectionGenerations(new ProjectionGeneration(1, 1)), await harness.Store.Components.GetProjectionAsync(Ledger.ProjectorName));
        var letter = Assert.Single(await harness.DeadLetters.ListAsync());
        Assert.Equal(("projector:" + Ledger.ProjectorName, "v1.1", poison.Position), (letter.Component, letter.Generation, letter.Position));
        Assert.Equal(letter.Id, Assert.Single(await harness.DeadLetters.ListAsync("projector:" + Ledger.ProjectorName)).Id);
        Assert.Null(await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "poison"));
        ledger.FailFor.Clear();
        Assert.True(await harness.DeadLetters.RetryAsync(letter.Id));
        Assert.Empty(await harness.DeadLetters.ListAsync());
        Assert.Equal(new AccountSummary("poison", 0m, 1, "opened"), await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "poison"));
        Assert.Equal(new AccountSummary("poison", 0m, 1, "opened"),
            ReadModelJsonOf(await harness.Store.Components.GetDocumentAsync(Ledger.ProjectorName + "#v1.1", "poison")));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public async Task Given_a_dead_letter_of_the_active_build_when_a_rebuild_projects_its_event_and_is_switched_to_then_the_replaced_builds_dead_letter_is_removed(string kind)
    {
        var ledger = new Ledger();
        await using var harness = new Harness(Open(kind), projectors: [ledger], configure: o => o.MaxAttempts = 1);
        ledger.FailFor.Add("poison");
        await harness.AppendAsync(Harness.Account("poison"), new Opened("poison", 0m));
        await harness.Projector().CatchUpAsync();
        var parked = Assert.Single(await harness.DeadLetters.ListAsync());
        Assert.Null(parked.Generation);
        ledger.FailFor.Clear();

        await harness.Rebuilder.RebuildAsync("Ledger");

        Assert.Empty(await harness.DeadLetters.ListAsync());
        Assert.Equal(new AccountSummary("poison", 0m, 1, "opened"), await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "poison"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public async Task Given_a_host_still_on_the_old_version_beside_one_on_the_new_version_when_the_new_version_is_built_then_only_the_new_versions_code_projects_it(string kind)
    {
        var store = Open(kind);
        var old = new Ledger();
        await using var v1 = new Harness(store, projectors: [old], configure: o => o.BatchSize = o.CatchUpBatchSize = 20);
        await SeedAsync(v1);
        var ledger = new Ledger { Version = 2, NotePrefix = "v2:" };
        await using var v2 = new Harness(kind == "sqlite" ? Open(kind) : store, projectors: [ledger], configure: o => o.BatchSize = o.CatchUpBatchSize = 20);
        Assert.True(await v2.Projector().AdvanceBuildAsync(CancellationToken.None), "version 2's host did not start its build");
        var callsBefore = old.Calls;

        // During a rolling deploy the old host's worker keeps stepping the builds: it must leave version 2's to version 2's code.
        for (var i = 0; i < 5; i++) Assert.False(await v1.Projector().AdvanceBuildAsync(CancellationToken.None));
        while (await v2.Projector().AdvanceBuildAsync(CancellationToken.None))
        {
            await v1.Projector().AdvanceBuildAsync(CancellationToken.None);
        }

        Assert.Equal(callsBefore, old.Calls);
        Assert.Equal(new ProjectionGenerations(new ProjectionGeneration(2, 1)), await v2.Store.Components.GetProjectionAsync(Ledger.ProjectorName));
        for (var a = 0; a < Accounts; a++)
            Assert.Equal(Complete(a, "v2:"), await v2.ReadModels.GetAsync<AccountSummary>("Ledger", $"a{a}"));
    }

    private static AccountSummary? ReadModelJsonOf(StoredDocument? document) =>
        document is null ? null : System.Text.Json.JsonSerializer.Deserialize<AccountSummary>(document.Data.Span, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

    private sealed class SynchronousProgress(Action<ProjectionRebuildProgress> report) : IProgress<ProjectionRebuildProgress>
    {
        public void Report(ProjectionRebuildProgress value) => report(value);
    }
}
