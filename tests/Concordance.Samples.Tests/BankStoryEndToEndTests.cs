using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Bank;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concordance.Samples.Tests;

/// <summary>
/// Issue 5's story end to end on a real SQLite file: the host, the command bus, the InterbankTransfer process through
/// the outbox, the WireNetwork gateway calling the simulated network over HTTP, and the AccountLedger projector. The
/// outcome is read back from the file by a second, independent set of services.
/// </summary>
public sealed class BankStoryEndToEndTests : IDisposable
{
    internal static readonly LedgerLine[] ExpectedLedger =
    [
        new("opened", 4000m, 4000m),
        new("deposit", 3000m, 7000m),
        new("deposit", 1000m, 8000m),
        new("withdrawal", 2000m, 6000m),
        new("hold", 2500m, 6000m),
        new("wire out", 2500m, 3500m),
        new("hold", 1000m, 3500m),
        new("release", 1000m, 3500m),
    ];

    // Every event once: one reservation, one network answer and one settlement per wire.
    internal static readonly string[] ExpectedLog =
    [
        "Bank.BankAccount/ABC123 1 Bank.AccountCreated",
        "Bank.BankAccount/ABC123 2 Bank.FundsDeposited",
        "Bank.BankAccount/ABC123 3 Bank.FundsDeposited",
        "Bank.BankAccount/ABC123 4 Bank.FundsWithdrawn",
        "Bank.BankAccount/ABC123 5 Bank.WireTransferInitiated",
        "Bank.BankAccount/ABC123 6 Bank.FundsReserved",
        "Bank.WireNetwork/ABC123 1 Bank.WireTransferSucceeded",
        "Bank.BankAccount/ABC123 7 Bank.FundsCommitted",
        "Bank.BankAccount/ABC123 8 Bank.WireTransferInitiated",
        "Bank.BankAccount/ABC123 9 Bank.FundsReserved",
        "Bank.WireNetwork/ABC123 2 Bank.WireTransferFailed",
        "Bank.BankAccount/ABC123 10 Bank.FundsReleased",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("concordance-bank-story-").FullName;

    private string DbPath => Path.Combine(_directory, "bank.db");

    [Fact]
    public async Task Given_a_fresh_sqlite_file_when_the_story_runs_then_the_balances_ledger_and_processes_end_as_the_issue_says()
    {
        var output = new StringWriter();

        var result = await BankStory.RunAsync(DbPath, output);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems) + Environment.NewLine + output);
        var text = output.ToString();
        Assert.Contains("withdraw 6000", text);
        Assert.Contains("rejected: cannot withdraw 6000: available 6000 would leave 0, below the minimum balance 100", text);

        await using var file = OpenFile();
        var account = await file.GetRequiredService<IReadModels>().GetAsync<AccountView>("AccountLedger", "ABC123");
        Assert.NotNull(account);
        Assert.Equal(3500m, account.Balance);
        Assert.Equal(3500m, account.Available);
        Assert.Empty(account.Holds);
        Assert.Equal(ExpectedLedger, account.Lines);

        var store = file.GetRequiredService<IConcordanceStore>();
        Assert.True(await ProcessEndedAsync(store, BankStory.ApprovedWire));
        Assert.True(await ProcessEndedAsync(store, BankStory.DeclinedWire));
        Assert.Equal(ExpectedLog, await EventLogAsync(store));
        Assert.Empty(await store.Outbox.GetPendingAsync(10));
        Assert.Empty(await store.DeadLetters.ListAsync());
    }

    [Fact]
    public async Task Given_a_finished_story_when_it_runs_again_on_the_same_file_then_every_command_is_answered_from_its_first_outcome_and_nothing_applies_twice()
    {
        Assert.True((await BankStory.RunAsync(DbPath, new StringWriter())).Succeeded);
        var output = new StringWriter();

        var again = await BankStory.RunAsync(DbPath, output);

        Assert.True(again.Succeeded, string.Join(Environment.NewLine, again.Problems) + Environment.NewLine + output);
        Assert.Contains("create ABC123 (initial 4000, min 100, CUSTBOB) accepted: AccountCreated", output.ToString());
        await using var file = OpenFile();
        Assert.Equal(ExpectedLog, await EventLogAsync(file.GetRequiredService<IConcordanceStore>()));
        Assert.Equal(ExpectedLedger, (await file.GetRequiredService<IReadModels>().GetAsync<AccountView>("AccountLedger", "ABC123"))!.Lines);
    }

    [Fact]
    public async Task Given_the_built_sample_when_dotnet_run_is_given_a_db_path_then_it_exits_0_and_prints_the_final_ledger()
    {
        // The test's own build built the sample (a project reference), in this configuration: run that build rather than
        // rebuilding it inside the test, which would take minutes on a small machine and race other test assemblies.
        var configuration = typeof(BankStoryEndToEndTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", "--project", "samples/BankAccount", "-c", configuration, "--no-build", "--", "--db", DbPath })
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }

        var text = await stdout;
        Assert.True(child.ExitCode == 0, $"exit code {child.ExitCode}{Environment.NewLine}{text}{Environment.NewLine}{await stderr}");
        Assert.Contains($"Event store: {DbPath}", text);
        Assert.Contains("Ledger of ABC123: balance 3500, available 3500, no holds", text);
        Assert.Matches(@"6\s+wire out\s+2500\s+3500", text);
        Assert.Matches(@"8\s+release\s+1000\s+3500", text);
        Assert.Contains("Bank.BankAccount/ABC123        10  Bank.FundsReleased", text);
        Assert.True(File.Exists(DbPath));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle may still be closing; the temp folder is left for the OS to clean.
        }
    }

    /// <summary>A second, independent view of the file: the runtime's services without the host (no workers run).</summary>
    private ServiceProvider OpenFile()
    {
        var services = new ServiceCollection();
        services.AddConcordance(o => o.UseSqlite($"Data Source={DbPath}"))
            .AddMessages(BankSchema.MessageTypes)
            .AddAggregate<BankAccount>()
            .AddProjector<AccountLedger>()
            .AddProcessManager<InterbankTransfer>();
        return services.BuildServiceProvider();
    }

    /// <summary>Whether the process instance document (<c>{"ended":…,"state":…}</c>) of <paramref name="wireTransferId"/> says ended.</summary>
    internal static async Task<bool> ProcessEndedAsync(IConcordanceStore store, string wireTransferId)
    {
        var document = await store.Components.GetDocumentAsync("process:Bank.InterbankTransfer", wireTransferId);
        Assert.NotNull(document);
        using var json = JsonDocument.Parse(document.Data);
        return json.RootElement.GetProperty("ended").GetBoolean();
    }

    internal static async Task<string[]> EventLogAsync(IConcordanceStore store) =>
        (await store.Events.ReadAllAsync(0, 1000)).Select(e => $"{e.Stream} {e.Version} {e.Type}").ToArray();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Concordance.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Concordance.sln above {AppContext.BaseDirectory}.");
    }
}
