namespace Concordance.Hosting.Commands.Tests;

/// <summary>The bank sample's in-app commands (<c>BankAccount --db FILE concordance …</c>), run as a process on a store it wrote.</summary>
public sealed class InAppCommandsTests(BankStore bank) : IClassFixture<BankStore>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Given_the_bank_store_when_the_app_rebuilds_its_ledger_then_it_replays_the_log_and_reports_what_it_did()
    {
        var db = bank.CopyTo(_folder);

        var run = Processes.Bank("--db", db, "concordance", "projections", "rebuild", "AccountLedger");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Rebuilt AccountLedger: replayed up to position 12", run.Output);
        Assert.DoesNotContain("The story", run.Output);
    }

    [Fact]
    public void Given_an_unknown_projector_name_when_the_app_rebuilds_it_then_it_fails_with_one_line_naming_the_registered_ones_and_exit_code_2()
    {
        var db = bank.CopyTo(_folder);

        var run = Processes.Bank("--db", db, "concordance", "projections", "rebuild", "Ledgr");

        Processes.AssertOneLineError(run, "No projector is named 'Ledgr' (registered: Bank.AccountLedger)");
    }

    [Fact]
    public async Task Given_a_parked_poisoned_event_when_the_app_retries_it_then_it_fails_again_until_the_event_is_mended_and_then_it_is_processed()
    {
        var db = bank.CopyTo(_folder);
        var id = await BankStore.PoisonAsync(db);

        var failing = Processes.Bank("--db", db, "concordance", "dead-letters", "retry", id);
        BankStore.Mend(db);
        var mended = Processes.Bank("--db", db, "concordance", "dead-letters", "retry", "--all");
        var status = Processes.Bank("--db", db, "concordance", "status", "--json");

        Assert.True(failing.ExitCode == 1, failing.ToString());
        Assert.Contains($"Retried {id}: failed again, kept", failing.Output);
        Assert.True(mended.ExitCode == 0, mended.ToString());
        Assert.Contains($"Retried {id}: processed, removed.", mended.Output);
        Assert.Contains("\"component\":\"projector:Bank.AccountLedger\",\"kind\":\"projector\",\"name\":\"Bank.AccountLedger\",\"checkpoint\":13,\"head\":13,\"lag\":0,\"deadLetters\":0", status.Output);
    }

    [Fact]
    public void Given_the_app_without_a_concordance_argument_when_it_runs_then_it_tells_the_story_as_usual()
    {
        var db = _folder.File("fresh.db");

        var run = Processes.Bank("--db", db);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("The story reached its expected end", run.Output);
    }
}
