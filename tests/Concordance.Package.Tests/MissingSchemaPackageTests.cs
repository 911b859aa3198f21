using System.Text.RegularExpressions;

namespace Concordance.Package.Tests;

/// <summary>A project that references the package but whose schema the build does not see is told so, once, by name.</summary>
[Collection(nameof(PackageFeed))]
public sealed class MissingSchemaPackageTests(PackageFeed feed)
{
    private static int DistinctWarnings(string output) =>
        Regex.Matches(output, @"warning CC2004: .*").Select(m => m.Value).Distinct().Count();

    [Fact]
    public void Given_a_consumer_whose_schema_extension_is_misspelt_when_it_builds_then_one_CC2004_warning_names_the_file_before_the_CS0246_errors()
    {
        var consumer = feed.CreateConsumer("Shop");
        File.Move(Path.Combine(consumer, "Shop.concordance"), Path.Combine(consumer, "Shop.concordence"));

        var build = Dotnet.Run(consumer, "build", "-nologo", "-tl:off");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Equal(1, DistinctWarnings(build.Output));
        Assert.Matches(@"warning CC2004: This project references the Concordance package but has no schema file ending in \.concordance, so nothing is generated\. Found Shop\.concordence, which the build ignores", build.Output);
        var warning = build.Output.IndexOf("warning CC2004", StringComparison.Ordinal);
        var firstError = build.Output.IndexOf("error CS0246", StringComparison.Ordinal);
        Assert.True(firstError > warning, build.Output);
    }

    [Fact]
    public void Given_a_consumer_with_no_schema_at_all_when_it_builds_then_CC2004_names_the_expected_extension_and_the_property_turns_it_off()
    {
        var consumer = feed.CreateConsumer("Shop");
        File.Delete(Path.Combine(consumer, "Shop.concordance"));
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), "System.Console.WriteLine(\"no schema\");\n");
        File.WriteAllText(Path.Combine(consumer, "Recorder.cs"), "internal static class Recorder { }\n");

        var warned = Dotnet.Run(consumer, "build", "-nologo", "-tl:off", "-p:TreatWarningsAsErrors=false");
        var silenced = Dotnet.Run(consumer, "build", "-nologo", "-tl:off", "-p:ConcordanceReportMissingSchema=false");

        Assert.True(warned.ExitCode == 0, warned.Output);
        Assert.Equal(1, DistinctWarnings(warned.Output));
        Assert.Matches(@"warning CC2004: This project references the Concordance package but has no schema file ending in \.concordance in its folder or below, so nothing is generated\. Add one, e\.g\. Shop\.concordance beside the project file", warned.Output);
        Assert.DoesNotContain("Recorder.cs", Regex.Match(warned.Output, "warning CC2004: .*").Value);
        Assert.True(silenced.ExitCode == 0, silenced.Output);
        Assert.DoesNotContain("CC2004", silenced.Output);
    }

    [Fact]
    public void Given_a_library_with_a_schema_and_an_app_that_gets_the_package_only_through_it_when_both_build_then_neither_warns()
    {
        var library = feed.CreateConsumer("Shop");
        var app = Path.Combine(Path.GetDirectoryName(library)!, "App-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(app);
        File.Copy(Path.Combine(library, "NuGet.config"), Path.Combine(app, "NuGet.config"));
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(library, "Shop.csproj")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Uses.cs"), "internal static class Uses { internal static System.Type Cart => typeof(Shop.OpenCart); }\n");

        var build = Dotnet.Run(app, "build", "-nologo", "-tl:off");

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.DoesNotContain("CC2004", build.Output);
    }
}
