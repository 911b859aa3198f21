namespace Concordance.Package.Tests;

/// <summary>
/// The README's hand-written path (the section after the template's quick start), followed literally through the packed
/// package: its schema and programs are the README's own code blocks, and what it says the build and the runs print is
/// what they print.
/// </summary>
[Collection(nameof(PackageFeed))]
public sealed class QuickStartPackageTests(PackageFeed feed)
{
    /// <summary>The fenced blocks of the README's hand-written path, in order: commands, schema, build output, program, run output, …</summary>
    private static IReadOnlyList<string> Blocks(PackageFeed feed) => ReadmeSection.Blocks(feed.RepositoryRoot, "## Without the template");

    private string Consumer(IReadOnlyList<string> blocks, string program)
    {
        var consumer = feed.CreateConsumer("Shop");
        File.WriteAllText(Path.Combine(consumer, "Shop.concordance"), blocks[1]);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), program);
        return consumer;
    }

    [Fact]
    public void Given_the_quick_start_schema_and_the_console_template_when_built_once_then_the_output_is_what_the_README_shows()
    {
        var blocks = Blocks(feed);
        var consumer = Consumer(blocks, "Console.WriteLine(\"Hello, World!\");\n");

        var build = Dotnet.Run(consumer, "build", "-nologo", "-tl:off");

        Assert.NotEqual(0, build.ExitCode);
        var shown = blocks[2].Replace("~/Shop", consumer).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, shown.Length);
        Assert.All(shown, line => Assert.True(build.Output.Contains(line.Trim(), StringComparison.Ordinal), $"'{line.Trim()}' is not in:\n{build.Output}"));
        Assert.DoesNotMatch(@"(?m)^(?!.*CC2001).*\b(error|warning) [A-Z]+\d+", build.Output);
    }

    [Fact]
    public void Given_the_quick_start_program_when_run_twice_then_it_prints_what_the_README_shows_and_then_two_rejections()
    {
        var blocks = Blocks(feed);
        var consumer = Consumer(blocks, blocks[3]);

        var build = Dotnet.Run(consumer, "build", "-nologo", "-tl:off");
        var first = Dotnet.Run(consumer, "run", "--no-build");
        var second = Dotnet.Run(consumer, "run", "--no-build");

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Matches(@"Concordance CC0025: no lock file beside Shop\.concordance", build.Output);
        Assert.Contains("0 Warning(s)", build.Output);
        Assert.Equal(blocks[4], first.Output);
        Assert.Equal("Rejected: cart c1 is already open\nRejected: cart c1 is already open\n", second.Output);
    }

    [Fact]
    public void Given_the_quick_start_projector_on_the_generic_host_when_run_then_the_read_model_is_there_after_waiting()
    {
        var blocks = Blocks(feed);
        var cart = blocks[3][blocks[3].IndexOf("public sealed class Cart", StringComparison.Ordinal)..];
        var consumer = Consumer(blocks, blocks[6].Replace("// … the Cart class as before\n", cart));
        File.AppendAllText(Path.Combine(consumer, "Shop.concordance"), "\n" + blocks[5]);
        var project = Path.Combine(consumer, "Shop.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("</ItemGroup>",
            "  <PackageReference Include=\"Microsoft.Extensions.Hosting\" Version=\"10.0.0\" />\n  </ItemGroup>"));

        var run = Dotnet.Run(consumer, "run", "-nologo");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Accepted: 1 event(s), version 1\n", run.Output);
        Assert.Contains("CartLine { CartId = c2, Customer = carol }\n", run.Output);
        Assert.DoesNotContain("warn:", run.Output);
    }
}
