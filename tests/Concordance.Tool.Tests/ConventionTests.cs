namespace Concordance.Tool.Tests;

/// <summary>What every command shares: help, version, exit codes, one-line errors.</summary>
public sealed class ConventionTests
{
    private static string Repo => ToolProcess.RepositoryRoot;

    [Fact]
    public void Version_prints_the_informational_version_and_exits_zero()
    {
        var run = ToolProcess.Run(Repo, "--version");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Output.Trim());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("check", "--help")]
    public void Help_is_offered_on_every_command_and_exits_zero(params string[] arguments)
    {
        var run = ToolProcess.Run(Repo, arguments);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:", run.Output);
    }

    [Fact]
    public void Every_command_listed_in_the_root_help_has_its_own_help()
    {
        var root = ToolProcess.Run(Repo, "--help");
        var commands = root.Output[root.Output.IndexOf("Commands:", StringComparison.Ordinal)..]
            .Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => l.Split(' ')[0]).ToList();
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            var run = ToolProcess.Run(Repo, command, "--help");
            Assert.True(run.ExitCode == 0 && run.Output.Contains($"concordance {command}", StringComparison.Ordinal), run.ToString());
        }
    }

    [Theory]
    [InlineData("no-such-command")]
    [InlineData("check", "--no-such-option")]
    public void A_usage_error_is_reported_on_standard_error_with_exit_code_two(params string[] arguments)
    {
        var run = ToolProcess.Run(Repo, arguments);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public void A_missing_file_is_one_error_line_and_exit_code_two()
    {
        var run = ToolProcess.Run(Repo, "check", "no/such/file.concordance");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: no/such/file.concordance: no such file or directory", run.Error.Trim());
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void A_folder_without_schemas_is_one_error_line_and_exit_code_two()
    {
        using var folder = new TempFolder();
        folder.Write("readme.txt", "no schema here");
        var run = ToolProcess.Run(folder.Path, "check");
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.StartsWith("error: no .concordance files under ", run.Error);
    }

    private const string SchemaWithAnError = "namespace Shop;\ncommand PayTheInvoiceOfTheCustomerWithAVeryLongNameSoTheMessageIsLong { id string }\n";

    [Fact]
    public void Redirected_output_is_plain_text_without_escape_codes_or_wrapping()
    {
        using var folder = new TempFolder();
        folder.Write("Shop.concordance", SchemaWithAnError);
        var run = ToolProcess.Run(folder.Path, "check");
        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain('\u001b', run.Output);
        var line = Assert.Single(run.Output.Split('\n'), l => l.Contains("error CC0001", StringComparison.Ordinal));
        Assert.True(line.Length > 100, line);
    }

    [Fact]
    public void Output_to_a_terminal_is_coloured_unless_NO_COLOR_is_set()
    {
        using var folder = new TempFolder();
        folder.Write("Shop.concordance", SchemaWithAnError);
        // script(1) gives the tool a pseudo-terminal, as an interactive shell would.
        ToolRun InTerminal(string? noColor)
        {
            var start = new System.Diagnostics.ProcessStartInfo("script")
            {
                WorkingDirectory = folder.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "-qec", $"dotnet '{ToolProcess.ToolAssembly}' check", "/dev/null" }) start.ArgumentList.Add(argument);
            start.Environment["TERM"] = "xterm-256color";
            start.Environment.Remove("NO_COLOR");
            if (noColor is not null) start.Environment["NO_COLOR"] = noColor;
            return ToolProcess.Execute(start, TimeSpan.FromMinutes(1));
        }

        var coloured = InTerminal(null);
        Assert.Contains("error CC0001", coloured.Output);
        Assert.Contains("\u001b[38;5;9merror CC0001", coloured.Output);

        var plain = InTerminal("1");
        Assert.Contains("error CC0001", plain.Output);
        Assert.DoesNotContain("\u001b[38;", plain.Output);
    }
}
