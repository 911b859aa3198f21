namespace Concordance.Package.Tests;

[Collection(nameof(PackageFeed))]
public sealed class PackageConsumptionTests(PackageFeed feed)
{
    [Fact]
    public void Package_holds_runtime_analyzers_and_props()
    {
        var package = Path.Combine(feed.FeedDirectory, $"Concordance.{feed.Version}.nupkg");
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("lib/net10.0/Concordance.Runtime.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Concordance.Schema.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Concordance.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Concordance.Analyzers.dll", entries);
        Assert.Contains("build/Concordance.props", entries);
    }

    [Fact]
    public void Given_a_fresh_consumer_with_a_PackageReference_when_it_runs_then_generated_code_works()
    {
        var consumer = feed.CreateConsumer("Shop");

        var run = Dotnet.Run(consumer, "run", "-nologo");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("aggregate: Shop.Cart", run.Output);
        Assert.Contains("open: accepted CartOpened", run.Output);
        Assert.Contains("items: 3", run.Output);
        Assert.Contains("add to unopened: rejected: cart c2 is not open", run.Output);
        Assert.Contains("\"tags\":[\"red\",\"fresh\"]", run.Output);
        Assert.Contains("round trip equal: True", run.Output);
        Assert.Contains("projectors: 1", run.Output);
    }

    [Fact]
    public void Given_a_consumer_whose_schema_has_an_error_when_it_builds_then_the_error_points_into_the_schema_file()
    {
        var consumer = feed.CreateConsumer("Shop");
        var schema = Path.Combine(consumer, "Shop.concordance");
        File.WriteAllText(schema, File.ReadAllText(schema).Replace("handle AddItem  -> ItemAdded", "handle AddItem  -> ItemAddd"));

        var build = Dotnet.Run(consumer, "build", "-nologo");

        Assert.NotEqual(0, build.ExitCode);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(build.Output, @"Shop\.concordance\(14,\d+\): error CC0002: .*ItemAddd"), build.Output);
    }

    [Fact]
    public void Given_a_schema_warning_and_compiling_csharp_when_it_builds_then_the_warning_is_printed_once_at_its_place()
    {
        var consumer = feed.CreateConsumer("Shop");
        var schema = Path.Combine(consumer, "Shop.concordance");
        File.AppendAllText(schema, "\ncommand Ping { cartId: string }\n");
        // The consumer treats warnings as errors; this test wants the warning as it ships.
        var project = Path.Combine(consumer, "Shop.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>", ""));

        var build = Dotnet.Run(consumer, "build", "-nologo", "-tl:off");

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Matches(@"Shop\.concordance\(21,9\): warning CC0004: .*Ping", build.Output);
        // The analyzer and the generator both report it; the compiler must print it once.
        Assert.True(build.Output.Contains("    1 Warning(s)"), build.Output);
    }

    [Fact]
    public void Given_an_aggregate_that_reaches_a_file_write_through_helpers_when_it_builds_then_CC1001_names_the_chain()
    {
        var consumer = feed.CreateConsumer("Shop", new Dictionary<string, string>
        {
            ["Audit.cs"] = """
                public static class Audit
                {
                    public static bool Log(string cartId)
                    {
                        Writer.Write(cartId);
                        return true;
                    }
                }

                public static class Writer
                {
                    public static void Write(string line) => System.IO.File.AppendAllText("audit.log", line);
                }
                """,
        });
        var program = Path.Combine(consumer, "Program.cs");
        File.WriteAllText(program, File.ReadAllText(program).Replace(
            "public override OpenCartDecision Handle(OpenCart command, CartState? state) =>\n",
            "public override OpenCartDecision Handle(OpenCart command, CartState? state) =>\n        Audit.Log(command.CartId) is var _ && state is not null ? Reject(\"logged\") :\n"));

        var build = Dotnet.Run(consumer, "build", "-nologo", "-tl:off");

        Assert.NotEqual(0, build.ExitCode);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(build.Output,
            @"Program\.cs\(\d+,\d+\): error CC1001: Cart\.Handle\(OpenCart.*\) reaches System\.IO\.File\.AppendAllText through Audit\.Log → Writer\.Write"), build.Output);
    }

    [Fact]
    public void Given_an_aggregate_calling_an_interface_whose_implementation_reads_the_clock_when_it_builds_then_CC1002_fails_the_build_naming_the_override()
    {
        var consumer = feed.CreateConsumer("Shop", new Dictionary<string, string>
        {
            ["Naming.cs"] = """
                public interface ICartNaming { string Name(string cartId); }

                public sealed class PlainNaming : ICartNaming
                {
                    public string Name(string cartId) => cartId;
                }

                public sealed class DatedNaming : ICartNaming
                {
                    public string Name(string cartId) => cartId + System.DateTime.Now.ToString("yyyyMMdd");
                }

                public static class Naming
                {
                    public static readonly ICartNaming Current = new PlainNaming();
                }
                """,
        });
        var program = Path.Combine(consumer, "Program.cs");
        File.WriteAllText(program, File.ReadAllText(program).Replace(
            "public override OpenCartDecision Handle(OpenCart command, CartState? state) =>\n",
            "public override OpenCartDecision Handle(OpenCart command, CartState? state) =>\n        Naming.Current.Name(command.CartId).Length == 0 ? Reject(\"unnamed\") :\n"));

        var build = Dotnet.Run(consumer, "build", "-nologo", "-tl:off");

        Assert.NotEqual(0, build.ExitCode);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(build.Output,
            @"Program\.cs\(\d+,\d+\): error CC1002: Cart\.Handle\(OpenCart.*\) reaches System\.DateTime\.Now through DatedNaming\.Name"), build.Output);
    }
}
