using System.Collections.Immutable;
using Concordance.Analyzers.Tests.Infrastructure;
using Concordance.Analyzers.Wiring;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Concordance.Analyzers.Tests.Wiring;

public sealed class ComponentImplementationTests
{
    private const string SchemaPath = "/src/Shop/Shop.concordance";

    // The component under test is declared on line 6, its name at column 11 (aggregate),
    // 11 (projector), 9 (process) and 9 (gateway).
    private const string Schema = """
        namespace Shop;

        command PlaceOrder { orderId: string }
        event OrderPlaced { orderId: string }
        event OrderShipped { orderId: string }
        aggregate Order {
            key orderId
            handle PlaceOrder -> OrderPlaced
        }
        """;

    private static readonly ImmutableArray<DiagnosticAnalyzer> Wiring =
        ImmutableArray.Create<DiagnosticAnalyzer>(new ComponentImplementationAnalyzer());

    private const string OrderBase = "namespace Shop { public abstract class OrderAggregateBase { } }";

    private static async Task<string[]> RunAsync(string schema, params string[] sources)
    {
        var compilation = AnalyzerHarness.Compile(sources.Select((code, i) => ($"/src/Shop/File{i}.cs", code)).ToArray());
        var diagnostics = await AnalyzerHarness.RunAsync(compilation, [new InMemoryAdditionalText(SchemaPath, schema)], Wiring);
        return diagnostics.Select(AnalyzerHarness.Format).ToArray();
    }

    [Fact]
    public async Task Given_an_aggregate_without_a_deriving_class_when_analyzed_then_CC2001_is_reported_at_its_name_in_the_schema()
    {
        var diagnostics = await RunAsync(Schema, OrderBase);

        Assert.Equal(
            ["/src/Shop/Shop.concordance(6,11): error CC2001: Aggregate 'Order' has no implementation: add a class deriving from Shop.OrderAggregateBase"],
            diagnostics);
    }

    [Theory]
    [InlineData("projector Ledger { on OrderPlaced }", "ProjectorBase", "Projector", 11)]
    [InlineData("process Shipping {\n    key orderId\n    start on OrderPlaced\n    end on OrderShipped\n}", "ProcessManagerBase", "Process manager", 9)]
    [InlineData("gateway Courier {\n    on OrderPlaced\n    emit OrderShipped\n}", "GatewayBase", "Gateway", 9)]
    public async Task Given_a_component_of_each_kind_without_a_deriving_class_when_analyzed_then_CC2001_names_its_generated_base(
        string declaration, string baseSuffix, string kindTitle, int column)
    {
        var name = declaration.Split(' ')[1];
        var schema = Schema + "\n" + declaration + "\n";
        var implementedOrder = "namespace Shop { public sealed class Order : OrderAggregateBase { } }";

        var diagnostics = await RunAsync(schema, OrderBase, implementedOrder, $"namespace Shop {{ public abstract class {name}{baseSuffix} {{ }} }}");

        Assert.Equal(
            [$"/src/Shop/Shop.concordance(10,{column}): error CC2001: {kindTitle} '{name}' has no implementation: add a class deriving from Shop.{name}{baseSuffix}"],
            diagnostics);
    }

    [Fact]
    public async Task Given_exactly_one_deriving_class_when_analyzed_then_nothing_is_reported()
    {
        var diagnostics = await RunAsync(Schema, OrderBase, "namespace App { public sealed class Order : Shop.OrderAggregateBase { } }");

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Given_a_class_deriving_through_an_abstract_intermediate_when_analyzed_then_it_counts_as_the_one_implementation()
    {
        var diagnostics = await RunAsync(Schema, OrderBase, """
            namespace App
            {
                public abstract class AuditedOrder : Shop.OrderAggregateBase { }
                public sealed class Order : AuditedOrder { }
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Given_two_deriving_classes_when_analyzed_then_CC2002_is_reported_at_each_class_naming_the_other()
    {
        var diagnostics = await RunAsync(Schema, OrderBase, """
            namespace App
            {
                public sealed class Order : Shop.OrderAggregateBase { }
                public sealed class OrderV2 : Shop.OrderAggregateBase { }
            }
            """);

        Assert.Equal(
            [
                "/src/Shop/File1.cs(3,25): error CC2002: Aggregate 'Order' is implemented by 'App.Order' and also by 'App.OrderV2': keep exactly one non-abstract class deriving from Shop.OrderAggregateBase",
                "/src/Shop/File1.cs(4,25): error CC2002: Aggregate 'Order' is implemented by 'App.OrderV2' and also by 'App.Order': keep exactly one non-abstract class deriving from Shop.OrderAggregateBase",
            ],
            diagnostics);
    }

    [Fact]
    public async Task Given_three_implementations_in_separate_files_when_analyzed_then_each_names_the_two_others_and_points_at_them()
    {
        var compilation = AnalyzerHarness.Compile(
            ("/src/Shop/Base.cs", OrderBase),
            ("/src/Shop/A.cs", "namespace App { public class A : Shop.OrderAggregateBase { } }"),
            ("/src/Shop/B.cs", "namespace App { public sealed class B : A { } }"),
            ("/src/Shop/C.cs", "namespace App { sealed class C : Shop.OrderAggregateBase { } }"));

        var diagnostics = await AnalyzerHarness.RunAsync(compilation, [new InMemoryAdditionalText(SchemaPath, Schema)], Wiring);

        Assert.Equal(
            [
                "/src/Shop/A.cs(1,30): error CC2002: Aggregate 'Order' is implemented by 'App.A' and also by 'App.B', 'App.C': keep exactly one non-abstract class deriving from Shop.OrderAggregateBase",
                "/src/Shop/B.cs(1,37): error CC2002: Aggregate 'Order' is implemented by 'App.B' and also by 'App.A', 'App.C': keep exactly one non-abstract class deriving from Shop.OrderAggregateBase",
                "/src/Shop/C.cs(1,30): error CC2002: Aggregate 'Order' is implemented by 'App.C' and also by 'App.A', 'App.B': keep exactly one non-abstract class deriving from Shop.OrderAggregateBase",
            ],
            diagnostics.Select(AnalyzerHarness.Format));
        var first = diagnostics[0];
        Assert.Equal(["/src/Shop/B.cs", "/src/Shop/C.cs"], first.AdditionalLocations.Select(l => l.GetLineSpan().Path));
    }

    [Fact]
    public async Task Given_only_abstract_and_generic_deriving_classes_when_analyzed_then_the_component_still_has_no_implementation_and_the_generic_one_is_CC2003()
    {
        var diagnostics = await RunAsync(Schema, OrderBase, """
            namespace App
            {
                public abstract class OrderBase : Shop.OrderAggregateBase { }
                public sealed class Order<T> : OrderBase { }
            }
            """);

        Assert.Equal(["CC2003", "CC2001"], diagnostics.Select(d => d.Split(' ')[2].TrimEnd(':')));
        Assert.Contains("it is generic", diagnostics[0]);
    }

    [Fact]
    public async Task Given_no_generated_base_in_the_compilation_when_analyzed_then_no_implementation_is_demanded()
    {
        // Without the base class (generator not run, or schema too broken to generate it) there is nothing to derive from.
        var diagnostics = await RunAsync(Schema, "namespace App { public sealed class Unrelated { } }");

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Given_a_schema_without_namespace_when_analyzed_then_the_file_stem_is_the_base_class_namespace()
    {
        var schema = Schema.Replace("namespace Shop;", "");
        var compilation = AnalyzerHarness.Compile(("/src/Base.cs", "namespace Wallet { public abstract class OrderAggregateBase { } }"));

        var diagnostics = await AnalyzerHarness.RunAsync(compilation, [new InMemoryAdditionalText("/src/Wallet.concordance", schema)], Wiring);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("CC2001", diagnostic.Id);
        Assert.Contains("Wallet.OrderAggregateBase", diagnostic.GetMessage());
    }

    [Fact]
    public async Task Given_files_that_are_not_schemas_when_analyzed_then_they_are_ignored()
    {
        var compilation = AnalyzerHarness.Compile(("/src/Base.cs", OrderBase));

        var diagnostics = await AnalyzerHarness.RunAsync(compilation, [new InMemoryAdditionalText("/src/Shop.txt", Schema)], Wiring);

        Assert.Empty(diagnostics);
    }
}
