using System.Collections.Immutable;
using Concordance.Analyzers.Tests.Infrastructure;
using Concordance.Analyzers.Wiring;
using Concordance.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Concordance.Analyzers.Tests.Wiring;

/// <summary>
/// Components are found however they are declared, and the two places that look agree: what the generator registers
/// in <c>AddGeneratedComponents()</c> and what the wiring analyzer counts as an implementation follow one rule. Each
/// case runs both: the generator over the schema and the C#, then the analyzer over the compilation with the generated
/// bases.
/// </summary>
public sealed class ComponentDiscoveryTests
{
    private const string Schema = """
        namespace Shop;

        command OpenCart { cartId: string }
        event CartOpened { cartId: string }
        aggregate Cart {
            key cartId
            handle OpenCart -> CartOpened
        }
        """;

    private static readonly ImmutableArray<MetadataReference> References = [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard.dll" or "Concordance.Runtime.dll"))
        .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];

    public static TheoryData<string, string[], string?> Shapes() => new()
    {
        { "direct base", ["namespace App; public sealed class Cart : Shop.CartAggregateBase { }"], "global::App.Cart" },
        { "base through a using of its namespace", ["using Shop; namespace App; public sealed class Cart : CartAggregateBase { }"], "global::App.Cart" },
        { "base through a using alias", ["using CartBase = Shop.CartAggregateBase; namespace App; public sealed class Cart : CartBase { }"], "global::App.Cart" },
        { "base through a global alias", ["global using global::Shop;", "namespace App; internal sealed class Cart : global::Shop.CartAggregateBase { }"], "global::App.Cart" },
        { "abstract intermediate", ["namespace App; public abstract class CartCore : Shop.CartAggregateBase { }", "namespace App; public sealed class Cart : CartCore { }"], "global::App.Cart" },
        { "two abstract intermediates", ["namespace App; public abstract class A : Shop.CartAggregateBase { } public abstract class B : A { } public sealed class Cart : B { }"], "global::App.Cart" },
        { "partial class, base on one part", ["namespace App; public sealed partial class Cart { }", "namespace App; public sealed partial class Cart : Shop.CartAggregateBase { }"], "global::App.Cart" },
        { "partial class, base on both parts", ["namespace App; public sealed partial class Cart : Shop.CartAggregateBase { }", "namespace App; public sealed partial class Cart : Shop.CartAggregateBase { }"], "global::App.Cart" },
        { "nested namespaces", ["namespace App { namespace Domain.Carts { public sealed class Cart : Shop.CartAggregateBase { } } }"], "global::App.Domain.Carts.Cart" },
        { "public class nested in a static class", ["namespace App; public static class Components { public sealed class Cart : Shop.CartAggregateBase { } }"], "global::App.Components.Cart" },
        { "private nested class", ["namespace App; public static class Components { private sealed class Cart : Shop.CartAggregateBase { } }"], null },
        { "generic class", ["namespace App; public sealed class Cart<T> : Shop.CartAggregateBase { }"], null },
        { "file-local class", ["namespace App; file sealed class Cart : Shop.CartAggregateBase { }"], null },
        { "only an abstract class", ["namespace App; public abstract class Cart : Shop.CartAggregateBase { }"], null },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Given_a_way_of_declaring_a_component_then_registration_and_the_wiring_analyzer_agree(string shape, string[] sources, string? registered)
    {
        var compilation = CSharpCompilation.Create("Subject",
            sources.Select((code, i) => CSharpSyntaxTree.ParseText(code, path: $"/src/App/File{i}.cs")),
            References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var schema = new InMemoryAdditionalText("/src/App/Shop.concordance", Schema);

        CSharpGeneratorDriver.Create([new ConcordanceGenerator().AsSourceGenerator()], [schema])
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var wiring = output.SyntaxTrees.Single(t => t.FilePath.EndsWith(ConcordanceGenerator.WiringHintName, StringComparison.Ordinal)).ToString();
        var registrations = wiring.Split('\n').Where(line => line.Contains("builder.AddAggregate<", StringComparison.Ordinal)).Select(line => line.Trim()).ToArray();
        var diagnostics = (await AnalyzerHarness.RunAsync(output, [schema], [new ComponentImplementationAnalyzer()])).Select(d => d.Id).ToArray();

        if (registered is null)
        {
            Assert.True(registrations.Length == 0, $"{shape}: registered {string.Join(", ", registrations)}");
            Assert.Contains("CC2001", diagnostics);
        }
        else
        {
            Assert.Equal([$"builder.AddAggregate<{registered}>();"], registrations);
            Assert.True(diagnostics.Length == 0, $"{shape}: {string.Join(", ", diagnostics)}");
        }
    }

    [Fact]
    public async Task Given_a_private_nested_implementation_when_analyzed_then_CC2003_says_why_it_cannot_be_registered()
    {
        var compilation = CSharpCompilation.Create("Subject",
            [CSharpSyntaxTree.ParseText("namespace App; public static class Components { private sealed class Cart : Shop.CartAggregateBase { } }", path: "/src/App/Components.cs")],
            References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var schema = new InMemoryAdditionalText("/src/App/Shop.concordance", Schema);
        CSharpGeneratorDriver.Create([new ConcordanceGenerator().AsSourceGenerator()], [schema])
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        var diagnostics = (await AnalyzerHarness.RunAsync(output, [schema], [new ComponentImplementationAnalyzer()])).Select(AnalyzerHarness.Format).ToArray();

        Assert.Contains("/src/App/Components.cs(1,70): warning CC2003: 'App.Components.Cart' derives from Shop.CartAggregateBase but AddGeneratedComponents() cannot register it: it is not public or internal; make it a public or internal, non-generic class, or abstract if it is shared code", diagnostics);
        Assert.Contains(diagnostics, d => d.Contains("error CC2001", StringComparison.Ordinal));
    }
}
