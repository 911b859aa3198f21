using System.Diagnostics;
using System.Text.Json;
using Concordance.Schema;
using Concordance.Schema.Formatting;

namespace Concordance.Tool.Tests;

/// <summary><c>format</c>, <c>check</c> and <c>lock</c> run as a process on copies of the bank sample's schema.</summary>
public sealed class SchemaCommandTests : IDisposable
{
    private static readonly string BankSchema = File.ReadAllText(Path.Combine(ToolProcess.RepositoryRoot, "samples", "BankAccount", "Bank.concordance"));
    private static readonly string BankLock = File.ReadAllText(Path.Combine(ToolProcess.RepositoryRoot, "samples", "BankAccount", "Bank.concordance.lock"));
    private const string FundsDepositedLine = "event FundsDeposited        { accountNumber: string, amount: decimal, note: string?, customerId: string }";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // ---- format ------------------------------------------------------------------------------

    [Fact]
    public void Format_check_on_an_unformatted_schema_names_it_exits_one_and_changes_nothing()
    {
        var path = _folder.Write("Bank.concordance", BankSchema);
        var run = ToolProcess.Run(_folder.Path, "format", "--check", "Bank.concordance");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Bank.concordance: not formatted", run.Output);
        Assert.Equal(BankSchema, File.ReadAllText(path));
    }

    [Fact]
    public void Format_rewrites_the_schema_in_the_canonical_layout_and_then_check_passes()
    {
        var path = _folder.Write("Bank.concordance", BankSchema);
        var run = ToolProcess.Run(_folder.Path, "format", "Bank.concordance");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(SchemaFormatter.Format(BankSchema), File.ReadAllText(path));
        Assert.NotEqual(BankSchema, File.ReadAllText(path));

        var check = ToolProcess.Run(_folder.Path, "format", "--check");
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public void Format_without_arguments_finds_every_schema_under_the_current_folder_but_not_in_bin_or_obj()
    {
        var nested = _folder.Write(Path.Combine("src", "Shop", "Shop.concordance"), "namespace Shop;\ncommand   Pay {id:string}\n");
        var built = _folder.Write(Path.Combine("src", "Shop", "obj", "Copy.concordance"), "namespace Shop;\ncommand   Pay {id:string}\n");
        var run = ToolProcess.Run(_folder.Path, "format");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("namespace Shop;\n\ncommand Pay { id: string }\n", File.ReadAllText(nested));
        Assert.Equal("namespace Shop;\ncommand   Pay {id:string}\n", File.ReadAllText(built));
    }

    [Fact]
    public void Format_leaves_a_schema_with_syntax_errors_alone_and_reports_where_with_exit_one()
    {
        const string broken = "namespace Shop;\ncommand Pay { id string }\n";
        var path = _folder.Write("Broken.concordance", broken);
        var run = ToolProcess.Run(_folder.Path, "format", "Broken.concordance");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Broken.concordance:2:", run.Error);
        Assert.Contains("error CC0001:", run.Error);
        Assert.Contains("error: Broken.concordance: not formatted: it has syntax errors", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.Equal(broken, File.ReadAllText(path));
    }

    // ---- check -------------------------------------------------------------------------------

    [Fact]
    public void Check_on_the_bank_sample_with_its_lock_finds_nothing_and_exits_zero()
    {
        var run = ToolProcess.Run(Path.Combine(ToolProcess.RepositoryRoot, "samples", "BankAccount"), "check");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("0 error(s), 0 warning(s)", run.Output.Trim());
    }

    [Fact]
    public void Check_on_a_schema_with_errors_prints_each_as_the_build_does_and_exits_one()
    {
        var broken = File.ReadAllText(Path.Combine(ToolProcess.RepositoryRoot, "tests", "Concordance.Schema.Tests", "Schemas", "Broken.concordance"));
        _folder.Write("Broken.concordance", broken);
        var run = ToolProcess.Run(_folder.Path, "check", "Broken.concordance");
        Assert.True(run.ExitCode == 1, run.ToString());

        var document = SchemaDocument.Analyze(broken, "Broken.concordance");
        var expected = document.Diagnostics.Select(d =>
        {
            var at = document.Syntax.Lines.GetPosition(d.Span.Start);
            return $"Broken.concordance:{at.Line + 1}:{at.Character + 1}: {(d.Severity == SchemaSeverity.Error ? "error" : d.Severity == SchemaSeverity.Warning ? "warning" : "info")} {d.Id}: {d.Message}";
        }).ToList();
        Assert.NotEmpty(expected);
        var printed = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("Broken.concordance:", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, printed.Where(l => !l.Contains(" CC0025: ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Check_against_the_lock_reports_a_changed_field_type_at_the_field_and_exits_one()
    {
        var changed = BankSchema.Replace(FundsDepositedLine, "event FundsDeposited { accountNumber: string, amount: int, note: string?, customerId: string }");
        Assert.NotEqual(BankSchema, changed);
        _folder.Write("Bank.concordance", changed);
        _folder.Write("Bank.concordance.lock", BankLock);

        var run = ToolProcess.Run(_folder.Path, "check");
        Assert.True(run.ExitCode == 1, run.ToString());
        var line = changed.Split('\n').ToList().FindIndex(l => l.StartsWith("event FundsDeposited", StringComparison.Ordinal)) + 1;
        var column = changed.Split('\n')[line - 1].IndexOf("int", StringComparison.Ordinal) + 1;
        Assert.Contains($"Bank.concordance:{line}:{column}: error CC0018: Field 'amount' of event 'FundsDeposited' v1 changed type from 'decimal' to 'int'", run.Output);
    }

    [Fact]
    public void Check_against_an_older_schema_file_reports_a_removed_field()
    {
        _folder.Write("old.concordance", BankSchema);
        _folder.Write("Bank.concordance", BankSchema.Replace(FundsDepositedLine, "event FundsDeposited { accountNumber: string, amount: decimal, customerId: string }"));
        var run = ToolProcess.Run(_folder.Path, "check", "Bank.concordance", "--against", "old.concordance");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("error CC0017: Field 'note' of event 'FundsDeposited' v1", run.Output);
    }

    [Fact]
    public void Check_against_a_git_revision_compares_with_the_schema_committed_there()
    {
        _folder.Write("Bank.concordance", BankSchema);
        Git("init", "-q");
        Git("add", "Bank.concordance");
        Git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "shipped");
        Git("tag", "shipped");
        var changed = BankSchema.Replace("event WireTransferFailed    { wireTransferId: string, note: string? }", "event WireTransferFailed    { wireTransferId: string }");
        Assert.NotEqual(BankSchema, changed);
        _folder.Write("Bank.concordance", changed);

        var run = ToolProcess.Run(_folder.Path, "check", "--against-git", "shipped");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("error CC0017: Field 'note' of event 'WireTransferFailed' v1", run.Output);

        var head = ToolProcess.Run(_folder.Path, "check", "--against-git", "HEAD~0");
        Assert.Equal(1, head.ExitCode);

        var unknown = ToolProcess.Run(_folder.Path, "check", "--against-git", "no-such-revision");
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("error: git revision 'no-such-revision' not found", unknown.Error);
    }

    [Fact]
    public void Check_of_a_schema_without_a_lock_says_how_to_create_one_and_exits_zero()
    {
        _folder.Write("Bank.concordance", BankSchema);
        var run = ToolProcess.Run(_folder.Path, "check");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Bank.concordance:1:1: info CC0025: " + Concordance.Schema.Locking.SchemaLockComparer.NoLockMessage("Bank.concordance"), run.Output);
    }

    [Fact]
    public void Check_reports_a_malformed_lock_in_the_lock_file_and_exits_one()
    {
        _folder.Write("Bank.concordance", BankSchema);
        _folder.Write("Bank.concordance.lock", "concordance-lock 1\nnamespace Bank\nevent\n");
        var run = ToolProcess.Run(_folder.Path, "check");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches(@"Bank\.concordance\.lock:\d+:\d+: error CC0024: ", run.Output);
    }

    [Fact]
    public void Check_with_json_writes_one_json_object_per_diagnostic()
    {
        _folder.Write("Bank.concordance", BankSchema.Replace(FundsDepositedLine, "event FundsDeposited { accountNumber: string, amount: int, note: string?, customerId: string }"));
        _folder.Write("Bank.concordance.lock", BankLock);
        var run = ToolProcess.Run(_folder.Path, "check", "--json");
        Assert.True(run.ExitCode == 1, run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var diagnostic = Assert.Single(lines);
        using var json = JsonDocument.Parse(diagnostic);
        Assert.Equal("CC0018", json.RootElement.GetProperty("id").GetString());
        Assert.Equal("error", json.RootElement.GetProperty("severity").GetString());
        Assert.Equal("Bank.concordance", json.RootElement.GetProperty("path").GetString());
        Assert.True(json.RootElement.GetProperty("line").GetInt32() > 1);
    }

    // ---- lock --------------------------------------------------------------------------------

    [Fact]
    public void Lock_writes_the_same_lock_the_build_wrote_for_the_bank_sample_and_then_reports_it_up_to_date()
    {
        _folder.Write("Bank.concordance", BankSchema);
        var run = ToolProcess.Run(_folder.Path, "lock");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Bank.concordance.lock: created", run.Output);
        Assert.Equal(BankLock, File.ReadAllText(Path.Combine(_folder.Path, "Bank.concordance.lock")));

        var again = ToolProcess.Run(_folder.Path, "lock");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Bank.concordance.lock: up to date", again.Output);
    }

    [Fact]
    public void Lock_does_not_lock_a_schema_with_errors_and_exits_one()
    {
        _folder.Write("Shop.concordance", "namespace Shop;\nevent Paid { id: Missing }\n");
        var run = ToolProcess.Run(_folder.Path, "lock");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("error: Shop.concordance has errors, so its lock was not written", run.Error);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "Shop.concordance.lock")));
    }

    private void Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = _folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var run = ToolProcess.Execute(start, TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
    }
}
