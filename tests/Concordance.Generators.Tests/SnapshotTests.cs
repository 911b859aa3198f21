using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

public sealed class SnapshotTests
{
    public static TheoryData<string> SchemaNames =>
        new(Directory.GetFiles(SchemasDirectory, "*.concordance").Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal));

    public static IEnumerable<string> ComponentSources =>
        Directory.GetFiles(ComponentsDirectory, "*.cs").Order(StringComparer.Ordinal).Select(File.ReadAllText);

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void Given_a_schema_when_the_generator_runs_then_every_file_matches_its_checked_in_baseline(string name)
    {
        var (_, result, _) = Run([($"/schemas/{name}.concordance", ReadSchema(name))], ComponentSources);

        Assert.Empty(GeneratorFailures(result));
        Snapshot.Match(name, Generated(result));
    }
}
