using System.Text.RegularExpressions;

namespace Concordance.Package.Tests;

/// <summary>
/// The README's quick start through the packed packages: `dotnet new install` of Concordance.Templates from the local
/// feed, `dotnet new concordance`, then build, run (the story, then an in-app operations command) and test the solution
/// it creates, as a user would. Templates are
/// installed into a private hive, so the user's own template cache is never touched.
/// </summary>
[Collection(nameof(PackageFeed))]
public sealed class TemplatePackageTests(PackageFeed feed)
{
    private const string QuickStart = "## Quick start";

    /// <summary>What a created solution restores besides Concordance (which the feed always has), and the template itself.</summary>
    private static readonly string[] TemplatePackages =
    [
        "src/Concordance.Nats/Concordance.Nats.csproj",
        "src/Concordance.Hosting.Commands/Concordance.Hosting.Commands.csproj",
        "templates/Concordance.Templates.csproj",
    ];

    [Fact]
    public void Given_the_template_installed_from_the_feed_when_a_solution_is_created_then_it_builds_runs_answers_concordance_status_and_passes_its_tests_as_the_README_shows()
    {
        var (hive, folder) = InstallTemplates();
        var blocks = ReadmeSection.Blocks(feed.RepositoryRoot, QuickStart);
        var solution = Path.Combine(folder, "Shop");

        var created = Dotnet.Run(folder, "new", "concordance", "-n", "Shop", "-o", solution, "--debug:custom-hive", hive);
        Assert.True(created.ExitCode == 0, created.Output);
        var project = File.ReadAllText(Path.Combine(solution, "src", "Shop", "Shop.csproj"));
        Assert.Contains($"<PackageReference Include=\"Concordance\" Version=\"{feed.Version}\" />", project);
        Assert.Contains($"<PackageReference Include=\"Concordance.Hosting.Commands\" Version=\"{feed.Version}\" />", project);

        var build = Dotnet.Run(solution, "build", "-nologo", "-tl:off");
        Assert.True(build.ExitCode == 0, build.Output);
        foreach (var line in Lines(blocks[2])) Assert.True(build.Output.Contains(line, StringComparison.Ordinal), $"'{line}' is not in:\n{build.Output}");

        var run = Dotnet.Run(solution, "run", "--project", "src/Shop", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(Lines(blocks[3]), Lines(run.Output).Intersect(Lines(blocks[3])).ToList());
        Assert.DoesNotContain("warn:", run.Output);
        Assert.DoesNotContain("fail:", run.Output);
        var again = Dotnet.Run(solution, "run", "--project", "src/Shop", "--no-build");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal(Lines(blocks[3]), Lines(again.Output).Intersect(Lines(blocks[3])).ToList());

        var status = Dotnet.Run(solution, "run", "--project", "src/Shop", "--no-build", "--", "concordance", "status");
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Equal(Lines(blocks[4]), Lines(status.Output));

        var test = Dotnet.Run(solution, "test", "--no-build", "-nologo");
        Assert.True(test.ExitCode == 0, test.Output);
        var summary = Regex.Match(test.Output, @"Passed!\s+-\s+Failed:\s+0, Passed:\s+(\d+), Skipped:\s+0");
        Assert.True(summary.Success, test.Output);
        var promised = Regex.Match(ReadmeSection.Text(feed.RepositoryRoot, QuickStart), @"`dotnet test` runs (\d+) tests");
        Assert.Equal(promised.Groups[1].Value, summary.Groups[1].Value);
    }

    [Fact]
    public void Given_a_dotted_name_when_a_solution_is_created_then_every_file_name_namespace_and_database_takes_it()
    {
        var (hive, folder) = InstallTemplates();
        var solution = Path.Combine(folder, "Acme.Orders");

        var created = Dotnet.Run(folder, "new", "concordance", "-n", "Acme.Orders", "-o", solution, "--debug:custom-hive", hive);

        Assert.True(created.ExitCode == 0, created.Output);
        var files = Directory.GetFiles(solution, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(solution, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            ".gitignore",
            "Acme.Orders.sln",
            "src/Acme.Orders/Acme.Orders.concordance",
            "src/Acme.Orders/Acme.Orders.csproj",
            "src/Acme.Orders/Cart.cs",
            "src/Acme.Orders/CartSummary.cs",
            "src/Acme.Orders/Program.cs",
            "tests/Acme.Orders.Tests/Acme.Orders.Tests.csproj",
            "tests/Acme.Orders.Tests/CartSummaryTests.cs",
            "tests/Acme.Orders.Tests/CartTests.cs",
        ], files);
        Assert.StartsWith("namespace Acme.Orders;", File.ReadAllText(Path.Combine(solution, "src/Acme.Orders/Acme.Orders.concordance")));
        Assert.Contains("using Acme.Orders.Testing;", File.ReadAllText(Path.Combine(solution, "tests/Acme.Orders.Tests/CartTests.cs")));
        Assert.Contains("Data Source=acme.orders.db", File.ReadAllText(Path.Combine(solution, "src/Acme.Orders/Program.cs")));
        Assert.Contains(@"""src\Acme.Orders\Acme.Orders.csproj""", File.ReadAllText(Path.Combine(solution, "Acme.Orders.sln")));
        var leftovers = files.Where(f => Regex.IsMatch(File.ReadAllText(Path.Combine(solution, f)), "shop", RegexOptions.IgnoreCase)).ToList();
        Assert.True(leftovers.Count == 0, "still named for the template's Shop: " + string.Join(", ", leftovers));
    }

    /// <summary>
    /// Packs the template package into the feed and installs it by name from there, as the README's
    /// <c>dotnet new install Concordance.Templates</c> does with the feed added as a source, into a fresh private hive.
    /// Returns the hive and a folder, wired to the feed, to create solutions in.
    /// </summary>
    private (string Hive, string Folder) InstallTemplates()
    {
        foreach (var project in TemplatePackages) feed.Pack(project);
        var folder = Path.Combine(feed.Root, "template-" + Guid.NewGuid().ToString("N")[..8]);
        var hive = Path.Combine(folder, ".hive");
        Directory.CreateDirectory(folder);
        feed.WireToFeed(folder);

        var install = Dotnet.Run(folder, "new", "install", $"Concordance.Templates::{feed.Version}", "--debug:custom-hive", hive);

        Assert.True(install.ExitCode == 0, install.Output);
        Assert.Contains("concordance", install.Output);
        return (hive, folder);
    }

    private static List<string> Lines(string text) =>
        text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
}
