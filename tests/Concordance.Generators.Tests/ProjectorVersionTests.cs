using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

/// <summary>A projector's schema version reaches the runtime through the generated base class.</summary>
public sealed class ProjectorVersionTests
{
    private const string Schema = """
        namespace Shop;
        command Open { id: string }
        event Opened { id: string }
        aggregate Cart {
            key id
            handle Open -> Opened
        }
        projector Carts v3 { on Opened }
        projector Orders { on Opened }
        """;

    [Fact]
    public void Given_a_projector_declared_v3_when_generated_then_its_base_reports_version_3_and_a_projector_without_one_keeps_the_default()
    {
        var (_, result, output) = Run([("/schemas/Shop.concordance", Schema)], []);

        Assert.Empty(GeneratorFailures(result));
        var generated = Generated(result);
        var carts = Assert.Single(generated, g => g.Text.Contains("class CartsProjectorBase", StringComparison.Ordinal)).Text;
        var orders = Assert.Single(generated, g => g.Text.Contains("class OrdersProjectorBase", StringComparison.Ordinal)).Text;
        Assert.Contains("int global::Concordance.IProjector.Version => 3;", carts, StringComparison.Ordinal);
        Assert.DoesNotContain("IProjector.Version", orders, StringComparison.Ordinal);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.Contains("Projector", StringComparison.Ordinal) == true));
    }
}
