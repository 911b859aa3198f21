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
}
