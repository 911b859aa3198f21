using Microsoft.CodeAnalysis;
using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

/// <summary>
/// The generator reports the schema's diagnostics too, because the command-line compiler skips
/// analyzers once C# has errors, and a broken schema usually breaks the user's C#.
/// </summary>
public sealed class GeneratorDiagnosticsTests
{
    [Fact]
    public void Given_a_schema_with_an_unknown_event_when_generated_then_the_generator_reports_CC0002_at_its_place_in_the_schema()
    {
        const string schema = """
            namespace Shop;
            command Open { id: string }
            aggregate Cart {
                key id
                handle Open -> Opend
            }
            """;

        var (_, result, _) = Run([("/schemas/Shop.concordance", schema)], []);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "CC0002");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("'Opend'", diagnostic.GetMessage());
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("/schemas/Shop.concordance", span.Path);
        Assert.Equal((4, 19), (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Equal("https://github.com/concordance-dotnet/concordance/blob/main/docs/diagnostics/CC0002.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Empty(GeneratorFailures(result));
    }

    [Fact]
    public void Given_a_valid_schema_when_generated_then_the_generator_reports_nothing()
    {
        var (_, result, _) = Run([("/schemas/Bank.concordance", ReadSchema("Bank"))], []);

        Assert.Empty(result.Diagnostics);
    }
}
