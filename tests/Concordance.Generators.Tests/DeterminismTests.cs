using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public void Given_two_files_with_the_same_stem_in_different_folders_when_generated_then_hint_names_do_not_collide_and_the_code_compiles()
    {
        var first = ReadSchema("Reporting");
        var second = first.Replace("namespace Samples.Reporting;", "namespace Other.Reporting;");

        var (_, result, output) = Run([("/app/a/Reporting.concordance", first), ("/app/b/Reporting.concordance", second)], []);

        Assert.Empty(GeneratorFailures(result));
        var hints = Generated(result).Select(g => g.HintName).ToList();
        Assert.Equal(hints.Count, hints.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(2, hints.Count(h => h.EndsWith(".SaleRecorded.g.cs", StringComparison.Ordinal)));
        Assert.Empty(Problems(output));
    }

    [Fact]
    public void Given_the_same_inputs_when_generated_twice_by_separate_drivers_then_the_text_is_identical()
    {
        var schemas = Directory.GetFiles(SchemasDirectory, "*.concordance").Select(p => ($"/schemas/{Path.GetFileName(p)}", File.ReadAllText(p))).ToList();

        var first = Generated(Run(schemas, SnapshotTests.ComponentSources).Result);
        var second = Generated(Run(Enumerable.Reverse(schemas), SnapshotTests.ComponentSources.Reverse()).Result);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Given_one_project_in_two_folders_built_for_CI_when_generated_then_hint_names_and_texts_are_identical()
    {
        // Texts hold #line paths: a CI build (ContinuousIntegrationBuild) maps the checkout folder to /_/ through PathMap, as the
        // compiler maps its own source paths; without PathMap (a developer's build) the full path stays, so the IDE opens it.
        var schemas = Directory.GetFiles(SchemasDirectory, "*.concordance").Select(p => (Name: "Schemas/" + Path.GetFileName(p), Text: File.ReadAllText(p))).ToList();

        IReadOnlyList<(string HintName, string Text)> GenerateIn(string projectDirectory)
        {
            var driver = CSharpGeneratorDriver.Create(
                [new ConcordanceGenerator().AsSourceGenerator()],
                schemas.Select(s => (AdditionalText)new InMemoryAdditionalText(projectDirectory + s.Name, s.Text)),
                GeneratorHarness.ParseOptions,
                new ProjectDirectoryOptions(projectDirectory, "/root/.nuget/packages/=/_1/," + projectDirectory + "=/_/,"));
            return Generated(driver.RunGenerators(Compilation(SnapshotTests.ComponentSources)).GetRunResult());
        }

        var first = GenerateIn("/home/ann/src/shop/");
        var second = GenerateIn("/builds/agent-7/checkout/shop/");

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
        Assert.Contains(first, f => f.Text.Contains("\"/_/Schemas/Bank.concordance\"", StringComparison.Ordinal));
        // A schema outside the project folder is named relative to it too.
        Assert.Equal("../common/Bank.concordance", ProjectPath.Relative("/repo/common/Bank.concordance", "/repo/app/"));
        Assert.Equal("Schemas/Bank.concordance", ProjectPath.Relative(@"C:\repo\app\Schemas\Bank.concordance", @"C:\repo\app\"));
    }

    [Fact]
    public void Given_names_near_the_metadata_limit_when_generated_then_every_hint_name_fits_a_file_name_and_they_stay_unique()
    {
        var longAscii = "R" + new string('x', 899);
        var longWide = "日" + new string('本', 299);
        var schema = $"namespace N;\nrecord {longAscii} {{ a: int }}\nrecord {longAscii}2 {{ a: int }}\nrecord {longWide} {{ a: int }}\n";

        var (_, result, _) = Run([("/app/Long.concordance", schema)], []);

        Assert.Empty(GeneratorFailures(result));
        var hints = Generated(result).Select(g => g.HintName).ToList();
        Assert.Equal(5, hints.Count); // three records, LongSchema and the wiring file
        Assert.All(hints, h => Assert.True(System.Text.Encoding.UTF8.GetByteCount(h) <= Emit.SchemaEmitter.MaxHintNameBytes, h));
        Assert.Equal(hints.Count, hints.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(hints, h => h.StartsWith("Long.", StringComparison.Ordinal) && h.Contains("x_", StringComparison.Ordinal) && h.EndsWith(".g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_path_when_hashed_then_the_hash_is_FNV_1a_and_stable_across_processes()
    {
        Assert.Equal("147d1186", Model.ModelBuilder.StableHash("/schemas/Bank.concordance"));
        Assert.NotEqual(Model.ModelBuilder.StableHash("/a/Bank.concordance"), Model.ModelBuilder.StableHash("/b/Bank.concordance"));
    }
}

/// <summary>Analyzer options carrying only MSBuild's <c>ProjectDir</c>, as the SDK passes it to generators.</summary>
/// <summary>The build properties MSBuild hands the generator: the project's folder and, for a CI build, the PathMap.</summary>
internal sealed class ProjectDirectoryOptions(string projectDirectory, string? pathMap = null) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
{
    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions { get; } = new Options(projectDirectory, pathMap);

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(string? projectDirectory, string? pathMap) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(null, null);

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            value = key switch
            {
                "build_property.ProjectDir" => projectDirectory,
                "build_property.PathMap" => pathMap,
                _ => null,
            };
            return value is not null;
        }
    }
}
