using System.Reflection;
using Concordance.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Concordance.Analyzers.Tests;

/// <summary>Every diagnostic is documented, linked and tracked; every schema ID has a descriptor.</summary>
public sealed class DescriptorCatalogTests
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    /// <summary>Every descriptor of every analyzer in the Concordance.Analyzers assembly.</summary>
    public static TheoryData<string> AllIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in AllDescriptors().Select(d => d.Id).Distinct().Order(StringComparer.Ordinal)) data.Add(id);
        return data;
    }

    private static IEnumerable<DiagnosticDescriptor> AllDescriptors() =>
        typeof(DiagnosticDescriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics);

    private static DiagnosticDescriptor Descriptor(string id) => AllDescriptors().First(d => d.Id == id);

    [Theory]
    [MemberData(nameof(AllIds))]
    public void Given_a_diagnostic_when_its_help_link_is_followed_then_it_leads_to_its_page_and_the_page_exists(string id)
    {
        var descriptor = Descriptor(id);

        Assert.Equal($"https://github.com/concordance-dotnet/concordance/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        var page = Path.Combine(RepositoryRoot, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        Assert.StartsWith($"# {id}: ", File.ReadAllLines(page)[0]);
    }

    [Theory]
    [MemberData(nameof(AllIds))]
    public void Given_a_diagnostic_when_the_docs_index_is_read_then_it_has_a_row_with_its_severity(string id)
    {
        var descriptor = Descriptor(id);
        var index = File.ReadAllLines(Path.Combine(RepositoryRoot, "docs", "diagnostics", "README.md"));

        var row = Assert.Single(index, line => line.StartsWith($"| [{id}]({id}.md) |", StringComparison.Ordinal));
        Assert.Contains($"| {descriptor.DefaultSeverity} |", row);
    }

    [Theory]
    [MemberData(nameof(AllIds))]
    public void Given_a_diagnostic_when_release_tracking_is_read_then_it_is_listed_with_its_category_and_severity(string id)
    {
        var descriptor = Descriptor(id);
        var releases = File.ReadAllLines(Path.Combine(RepositoryRoot, "src", "Concordance.Analyzers", "AnalyzerReleases.Unshipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(RepositoryRoot, "src", "Concordance.Analyzers", "AnalyzerReleases.Shipped.md")));

        var row = Assert.Single(releases, line => line.StartsWith(id + " ", StringComparison.Ordinal));
        Assert.Equal([id, descriptor.Category, descriptor.DefaultSeverity.ToString()], row.Split('|').Take(3).Select(c => c.Trim()));
    }

    [Fact]
    public void Given_every_schema_diagnostic_ID_when_looked_up_then_it_has_a_schema_descriptor_with_a_pass_through_message()
    {
        var ids = typeof(SchemaDiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(29, ids.Count);
        foreach (var id in ids)
        {
            var descriptor = DiagnosticDescriptors.ForSchemaId(id);
            Assert.NotNull(descriptor);
            Assert.Equal("Concordance.Schema", descriptor.Category);
            Assert.Equal("{0}", descriptor.MessageFormat.ToString());
            Assert.True(descriptor.IsEnabledByDefault);
        }
        Assert.Equal(
            ["CC0004", "CC0010", "CC0022"],
            ids.Where(id => DiagnosticDescriptors.ForSchemaId(id)!.DefaultSeverity == DiagnosticSeverity.Warning));
        Assert.Equal(["CC0025"], ids.Where(id => DiagnosticDescriptors.ForSchemaId(id)!.DefaultSeverity == DiagnosticSeverity.Info));
        Assert.All(ids.Except(["CC0004", "CC0010", "CC0022", "CC0025"]), id => Assert.Equal(DiagnosticSeverity.Error, DiagnosticDescriptors.ForSchemaId(id)!.DefaultSeverity));
    }

    [Fact]
    public void Given_the_wiring_descriptors_when_read_then_they_are_compilation_end_errors_in_the_wiring_category()
    {
        foreach (var descriptor in new[] { DiagnosticDescriptors.ComponentNotImplemented, DiagnosticDescriptors.ComponentImplementedTwice })
        {
            Assert.Equal("Concordance.Wiring", descriptor.Category);
            Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
            Assert.Contains(WellKnownDiagnosticTags.CompilationEnd, descriptor.CustomTags);
        }
        Assert.Equal(["CC2001", "CC2002"], [DiagnosticDescriptors.ComponentNotImplemented.Id, DiagnosticDescriptors.ComponentImplementedTwice.Id]);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Concordance.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("No Concordance.sln above " + AppContext.BaseDirectory);
    }
}
