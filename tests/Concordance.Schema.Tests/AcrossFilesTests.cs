using Concordance.Schema.Syntax;

namespace Concordance.Schema.Tests;

/// <summary>The schema files of one project checked together: a C# type two of them would generate is an error in both.</summary>
public sealed class AcrossFilesTests
{
    // Lines: 1 namespace, 2 command Pay, 3 record Line, 4 event Paid, 5 aggregate Order, 6 key, 7 handle, 8 }.
    private const string Orders = """
        namespace Shop;
        command Pay { id: string, lines: list<Line> }
        record Line { sku: string }
        event Paid { id: string }
        aggregate Order {
            key id
            handle Pay -> Paid
        }

        """;

    private static IReadOnlyList<SchemaFileDiagnostic> Check(params (string Path, string Text)[] files) =>
        SchemaChecker.CheckAcrossFiles([.. files.Select(f => SchemaTypeNames.Of(SchemaParser.Parse(f.Text, f.Path)))]);

    private static string Place(SchemaFileDiagnostic d, string text)
    {
        var position = new LineMap(text).GetPosition(d.Diagnostic.Span.Start);
        return $"{d.Path}({position.Line + 1},{position.Character + 1}): {d.Diagnostic.Severity.ToString().ToLowerInvariant()} {d.Diagnostic.Id}";
    }

    [Fact]
    public void Given_two_files_declaring_the_same_command_record_and_aggregate_when_checked_together_then_each_name_is_CC0026_in_both_files()
    {
        var billing = Orders.Replace("event Paid { id: string }", "event Billed { id: string }").Replace("handle Pay -> Paid", "handle Pay -> Billed");

        var diagnostics = Check(("/src/Orders.concordance", Orders), ("/src/Billing/Billing.concordance", billing));

        var texts = new Dictionary<string, string> { ["/src/Orders.concordance"] = Orders, ["/src/Billing/Billing.concordance"] = billing };
        Assert.Equal(
        [
            "/src/Billing/Billing.concordance(2,9): error CC0026",
            "/src/Billing/Billing.concordance(3,8): error CC0026",
            "/src/Billing/Billing.concordance(5,11): error CC0026",
            "/src/Billing/Billing.concordance(7,12): error CC0026",
            "/src/Orders.concordance(2,9): error CC0026",
            "/src/Orders.concordance(3,8): error CC0026",
            "/src/Orders.concordance(5,11): error CC0026",
            "/src/Orders.concordance(7,12): error CC0026",
        ], diagnostics.Select(d => Place(d, texts[d.Path])));
        Assert.Equal(
            "'Shop.Pay' (command 'Pay') is also generated from Billing/Billing.concordance line 2 (command 'Pay'): two schema files of one project cannot generate the same C# type; rename one, or give the files different namespaces.",
            diagnostics.Single(d => d.Path == "/src/Orders.concordance" && d.Diagnostic.Span.Start == Orders.IndexOf("Pay", StringComparison.Ordinal)).Diagnostic.Message);
        Assert.Contains("is also generated from ../Orders.concordance line 7 (the decision type of 'handle Pay' in aggregate 'Order')",
            diagnostics.Single(d => d.Path == "/src/Billing/Billing.concordance" && d.Diagnostic.Span.Start == billing.IndexOf("Pay ->", StringComparison.Ordinal)).Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_two_files_with_the_same_stem_and_namespace_when_checked_together_then_their_schema_classes_collide_at_both_namespaces()
    {
        var a = "namespace Shop;\nrecord A { x: int }\n";
        var b = "namespace Shop;\nrecord B { x: int }\n";

        var diagnostics = Check(("/src/a/Orders.concordance", a), ("/src/b/Orders.concordance", b));

        Assert.Equal(["/src/a/Orders.concordance", "/src/b/Orders.concordance"], diagnostics.Select(d => d.Path));
        Assert.All(diagnostics, d => Assert.Equal(new SourceSpan(10, 4), d.Diagnostic.Span));
        Assert.StartsWith("'Shop.OrdersSchema' (the schema class of file 'Orders.concordance') is also generated from ../b/Orders.concordance line 1", diagnostics[0].Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_record_in_one_file_named_like_a_type_generated_from_another_when_checked_together_then_both_are_reported()
    {
        var other = "namespace Shop;\nrecord PayDecision { x: int }\n";

        var diagnostics = Check(("/src/Orders.concordance", Orders), ("/src/Other.concordance", other));

        Assert.Equal(["/src/Orders.concordance(7,12): error CC0026", "/src/Other.concordance(2,8): error CC0026"],
            diagnostics.Select(d => Place(d, d.Path.EndsWith("Orders.concordance", StringComparison.Ordinal) ? Orders : other)));
    }

    [Fact]
    public void Given_two_files_with_different_components_in_one_namespace_when_checked_together_then_their_shared_scenario_namespace_is_no_collision()
    {
        var other = "namespace Shop;\ncommand Ship { id: string }\nevent Shipped { id: string }\naggregate Shipment { key id handle Ship -> Shipped }\n";

        Assert.Empty(Check(("/src/Orders.concordance", Orders), ("/src/Shipping.concordance", other)));
    }

    [Fact]
    public void Given_a_record_named_Testing_in_one_file_and_an_aggregate_in_another_when_checked_together_then_both_are_reported()
    {
        var other = "namespace Shop;\nrecord Testing { x: int }\n";

        var diagnostics = Check(("/src/Orders.concordance", Orders), ("/src/Other.concordance", other));

        Assert.Equal(["/src/Orders.concordance(5,11): error CC0026", "/src/Other.concordance(2,8): error CC0026"],
            diagnostics.Select(d => Place(d, d.Path.EndsWith("Orders.concordance", StringComparison.Ordinal) ? Orders : other)));
        Assert.Contains("(the namespace of the test scenario of aggregate 'Order')", diagnostics[1].Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_same_names_in_different_namespaces_when_checked_together_then_nothing_is_reported()
    {
        Assert.Empty(Check(("/src/Orders.concordance", Orders), ("/src/Billing.concordance", Orders.Replace("namespace Shop;", "namespace Billing;"))));
    }

    [Fact]
    public void Given_two_files_each_under_the_literal_limit_but_over_it_together_when_checked_then_CC0028_is_in_each()
    {
        var half = NamesAndLimitsTests.LargeSchema(records: 200, fields: 20, nameLength: 400);

        var diagnostics = Check(("/src/A.concordance", half), ("/src/B.concordance", half.Replace("namespace Big;", "namespace Big2;").Replace("_x", "_y")));

        Assert.Equal(["/src/A.concordance", "/src/B.concordance"], diagnostics.Select(d => d.Path));
        Assert.All(diagnostics, d => Assert.Equal(SchemaDiagnosticIds.CompilerLimitExceeded, d.Diagnostic.Id));
        Assert.Contains("the 2 schema files of this project", diagnostics[0].Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_two_files_together_at_the_build_size_limit_when_checked_then_CC0029_is_not_reported()
    {
        var half = NamesAndLimitsTests.SchemaOfBuildSize(SchemaTypeNames.MaxBuildSize / 2);

        Assert.Empty(Check(("/src/A.concordance", half), ("/src/B.concordance", half.Replace("namespace Big;", "namespace Big2;"))));
    }

    [Fact]
    public void Given_two_files_each_under_the_build_size_limit_but_over_it_together_when_checked_then_CC0029_is_in_each_at_its_namespace()
    {
        var a = NamesAndLimitsTests.SchemaOfBuildSize(SchemaTypeNames.MaxBuildSize / 2);
        var b = NamesAndLimitsTests.SchemaOfBuildSize(SchemaTypeNames.MaxBuildSize / 2 + 1).Replace("namespace Big;", "namespace Big2;");

        var diagnostics = Check(("/src/A.concordance", a), ("/src/B.concordance", b));

        Assert.Equal(["/src/A.concordance(1,11): error CC0029", "/src/B.concordance(1,11): error CC0029"], diagnostics.Select(d => Place(d, d.Path.EndsWith("A.concordance", StringComparison.Ordinal) ? a : b)));
        var total = (SchemaTypeNames.MaxBuildSize + 1).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("The 2 schema files of this project are too large to build together: ", diagnostics[0].Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains(" generated C# types, " + total + " together; the limit is ", diagnostics[0].Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("(this file: ", diagnostics[1].Diagnostic.Message, StringComparison.Ordinal);
    }
}
