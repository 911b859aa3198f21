using Microsoft.CodeAnalysis;
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
    public void Given_a_path_when_hashed_then_the_hash_is_FNV_1a_and_stable_across_processes()
    {
        Assert.Equal("147d1186", Model.ModelBuilder.StableHash("/schemas/Bank.concordance"));
        Assert.NotEqual(Model.ModelBuilder.StableHash("/a/Bank.concordance"), Model.ModelBuilder.StableHash("/b/Bank.concordance"));
    }
}
