using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

/// <summary>
/// What a new user tried through the package: a reserved field name, one set of names in two schema files, a
/// 2,000-character name and a schema too large to compile. Each is a schema error at its place, and the generated
/// code has no C# error (compiled and emitted, so metadata limits are checked too).
/// </summary>
public sealed class SchemaLimitsCompileTests
{
    private static IReadOnlyList<Diagnostic> CompileErrors(Compilation output)
    {
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) return errors;
        using var stream = new MemoryStream();
        return [.. output.Emit(stream).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)];
    }

    private static string Place(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {d.Id}";
    }

    [Fact]
    public void Given_an_event_with_a_field_named_clone_when_generated_then_CC0015_is_at_the_field_and_the_code_compiles()
    {
        var (_, result, output) = Run([("/s/Shop.concordance", "namespace Shop;\nevent Done { id: string, clone: string }\n")], []);

        Assert.Equal(["/s/Shop.concordance(2,26): CC0015"], result.Diagnostics.Select(Place));
        Assert.Empty(GeneratorFailures(result));
        var errors = CompileErrors(output);
        Assert.True(errors.Count == 0, Describe(errors));
        Assert.DoesNotContain(output.GetTypeByMetadataName("Shop.Done")!.GetMembers(), m => m.Name == "Clone" && !m.IsImplicitlyDeclared);
    }

    [Fact]
    public void Given_two_schema_files_declaring_the_same_command_record_and_aggregate_when_generated_then_CC0026_is_in_both_and_no_CSharp_error()
    {
        const string Orders = """
            namespace Shop;
            command Pay { id: string, lines: list<Line> }
            record Line { sku: string }
            event Paid { id: string }
            aggregate Order {
                key id
                handle Pay -> Paid
            }
            """;
        var billing = Orders.Replace("Paid", "Billed");

        var (_, result, output) = Run([("/p/Orders.concordance", Orders), ("/p/Billing.concordance", billing)], []);

        Assert.Equal(
        [
            "/p/Billing.concordance(2,9): CC0026", "/p/Billing.concordance(3,8): CC0026", "/p/Billing.concordance(5,11): CC0026", "/p/Billing.concordance(7,12): CC0026",
            "/p/Orders.concordance(2,9): CC0026", "/p/Orders.concordance(3,8): CC0026", "/p/Orders.concordance(5,11): CC0026", "/p/Orders.concordance(7,12): CC0026",
        ], result.Diagnostics.Select(Place).Order(StringComparer.Ordinal));
        Assert.Empty(GeneratorFailures(result));
        var errors = CompileErrors(output);
        Assert.True(errors.Count == 0, Describe(errors.Take(10)));
        // The first file in path order keeps the shared names; the other keeps only its own.
        Assert.NotNull(output.GetTypeByMetadataName("Shop.Billed"));
        Assert.NotNull(output.GetTypeByMetadataName("Shop.Paid"));
        Assert.NotNull(output.GetTypeByMetadataName("Shop.OrderAggregateBase"));
        Assert.Contains("Billed", output.GetTypeByMetadataName("Shop.OrderAggregateBase")!.GetMembers("Apply").OfType<IMethodSymbol>().Single().Parameters[0].Type.Name);
    }

    [Fact]
    public void Given_two_schema_files_with_one_stem_and_namespace_when_generated_then_CC0026_is_at_both_namespaces_and_no_CSharp_error()
    {
        var (_, result, output) = Run([("/p/a/Orders.concordance", "namespace Shop;\nrecord A { x: int }\n"), ("/p/b/Orders.concordance", "namespace Shop;\nrecord B { x: int }\n")], []);

        Assert.Equal(["/p/a/Orders.concordance(1,11): CC0026", "/p/b/Orders.concordance(1,11): CC0026"], result.Diagnostics.Select(Place).Order(StringComparer.Ordinal));
        var errors = CompileErrors(output);
        Assert.True(errors.Count == 0, Describe(errors));
        Assert.NotNull(output.GetTypeByMetadataName("Shop.A"));
    }

    [Fact]
    public void Given_a_record_name_of_2000_characters_when_generated_then_CC0027_is_at_the_name_and_the_assembly_emits()
    {
        var (_, result, output) = Run([("/s/Shop.concordance", "namespace Shop;\nrecord R" + new string('a', 1999) + " { x: int }\nrecord Ok { y: int }\n")], []);

        Assert.Equal(["/s/Shop.concordance(2,8): CC0027"], result.Diagnostics.Select(Place));
        var errors = CompileErrors(output);
        Assert.True(errors.Count == 0, Describe(errors));
        Assert.NotNull(output.GetTypeByMetadataName("Shop.Ok"));
    }

    [Fact]
    public void Given_a_record_named_Testing_beside_an_aggregate_when_generated_then_CC0015_is_at_it_and_the_scenarios_compile()
    {
        const string Schema = "namespace Shop;\ncommand Open { id: string }\nevent Opened { id: string }\naggregate Account { key id handle Open -> Opened }\nrecord Testing { x: int }\n";

        var (_, result, output) = Run([("/s/Shop.concordance", Schema)], []);

        Assert.Equal(["/s/Shop.concordance(5,8): CC0015"], result.Diagnostics.Select(Place));
        var errors = CompileErrors(output);
        Assert.True(errors.Count == 0, Describe(errors));
        Assert.NotNull(output.GetTypeByMetadataName("Shop.Testing.AccountScenario"));
    }

    [Fact]
    public void Given_a_schema_over_the_compilers_literal_limit_when_generated_then_CC0028_is_reported_and_nothing_is_generated_for_it()
    {
        var (_, result, _) = Run([("/s/Big.concordance", Records("Big", count: 1_000, fields: 20, nameLength: 400))], []);

        Assert.Equal(["/s/Big.concordance(1,11): CC0028"], result.Diagnostics.Select(Place));
        Assert.DoesNotContain(result.Results.Single().GeneratedSources, s => s.HintName.StartsWith("Big.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Bank")]
    [InlineData("AllTypes")]
    [InlineData("Shipping")]
    [InlineData("Records")]
    public void Given_a_schema_when_compiled_then_its_estimated_literal_bytes_bound_the_user_string_heap_closely(string name)
    {
        var text = name == "Records" ? Records("Big", count: 60, fields: 20, nameLength: 40) : ReadSchema(name);
        var estimate = Concordance.Schema.SchemaTypeNames.Of(Concordance.Schema.SchemaParser.Parse(text, $"/s/{name}.concordance")).UserStringBytes;

        var (_, _, output) = Run([($"/s/{name}.concordance", text)], []);
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, Describe(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        stream.Position = 0;
        using var pe = new PEReader(stream);
        var heap = pe.GetMetadataReader().GetHeapSize(HeapIndex.UserString);

        // An upper bound (a schema it accepts compiles) that stays close (it refuses no schema that would compile).
        Assert.InRange(estimate, heap, 2L * heap + 1_024);
    }

    [Fact]
    public void Given_a_schema_one_field_over_the_build_size_limit_when_generated_then_CC0029_is_reported_and_only_the_empty_wiring_is_generated()
    {
        var text = RecordsOfBuildSize(Concordance.Schema.SchemaTypeNames.MaxBuildSize + 1);

        var (_, result, _) = Run([("/s/Big.concordance", text)], []);

        var line = text.Count(c => c == '\n');
        Assert.Equal([$"/s/Big.concordance({line},8): CC0029"], result.Diagnostics.Select(Place));
        var generated = Assert.Single(result.Results.Single().GeneratedSources);
        Assert.Equal(Concordance.Generators.ConcordanceGenerator.WiringHintName, generated.HintName);
        Assert.True(generated.SourceText.Length < 4_000, $"{generated.SourceText.Length} characters of wiring for a refused schema");
    }

    [Fact]
    public void Given_the_issues_6215_record_schema_when_generated_then_CC0029_is_at_record_1090_and_only_the_empty_wiring_is_generated()
    {
        var (_, result, _) = Run([("/s/Big.concordance", Records("Big", count: 6_215, fields: 20))], []);

        Assert.Equal(["/s/Big.concordance(1092,8): CC0029"], result.Diagnostics.Select(Place));
        Assert.Equal([Concordance.Generators.ConcordanceGenerator.WiringHintName], result.Results.Single().GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void Given_two_schemas_each_under_the_build_size_limit_but_over_it_together_when_generated_then_neither_is_generated()
    {
        var half = RecordsOfBuildSize(Concordance.Schema.SchemaTypeNames.MaxBuildSize / 2 + 1);

        var (_, result, _) = Run([("/s/A.concordance", half), ("/s/B.concordance", half.Replace("namespace Big;", "namespace Big2;"))], []);

        Assert.Equal(["/s/A.concordance(1,11): CC0029", "/s/B.concordance(1,11): CC0029"], result.Diagnostics.Select(Place).Order(StringComparer.Ordinal));
        Assert.Equal([Concordance.Generators.ConcordanceGenerator.WiringHintName], result.Results.Single().GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void Given_a_schema_at_the_build_size_limit_when_generated_then_every_record_is_generated_without_a_diagnostic()
    {
        var (_, result, _) = Run([("/s/Big.concordance", RecordsOfBuildSize(Concordance.Schema.SchemaTypeNames.MaxBuildSize))], []);

        Assert.Empty(result.Diagnostics);
        // 1,090 records of 20 fields and one of 17 (each with its converter), the schema class, the wiring.
        Assert.Equal(1_091 + 2, result.Results.Single().GeneratedSources.Length);
    }

    [Theory]
    [InlineData("Bank")]
    [InlineData("AllTypes")]
    [InlineData("Shipping")]
    [InlineData("Versions")]
    [InlineData("Reporting")]
    public void Given_a_schema_when_generated_then_the_types_and_fields_the_build_size_counts_are_the_top_level_types_and_record_properties_the_generator_writes(string name)
    {
        var text = ReadSchema(name);
        var size = Concordance.Schema.SchemaTypeNames.Of(Concordance.Schema.SchemaParser.Parse(text, $"/s/{name}.concordance"));

        var (_, result, _) = Run([($"/s/{name}.concordance", text)], []);
        var trees = result.GeneratedTrees.Where(t => !t.FilePath.EndsWith(Concordance.Generators.ConcordanceGenerator.WiringHintName, StringComparison.Ordinal)).ToList();
        var types = trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax>()).ToList();
        var properties = types.OfType<Microsoft.CodeAnalysis.CSharp.Syntax.RecordDeclarationSyntax>()
            .Where(r => r.AttributeLists.ToString().Contains("JsonConverter", StringComparison.Ordinal))
            .Sum(r => r.ParameterList?.Parameters.Count ?? 0);

        Assert.Equal(types.Count(t => t.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax), size.GeneratedTypeCount);
        Assert.Equal(properties, size.Fields);
    }

    /// <summary>Records of string fields whose fields and generated types come to exactly <paramref name="size"/> (see <c>SchemaTypeNames.BuildSize</c>): 20 fields each, the last what remains.</summary>
    private static string RecordsOfBuildSize(int size)
    {
        var remaining = size - 1; // the schema class
        var sb = new StringBuilder("namespace Big;\n");
        for (var r = 0; remaining > 0; r++)
        {
            var fields = remaining >= 24 ? 20 : remaining - 2; // a record is its fields, itself and its converter
            sb.Append("record Record").Append(r).Append(" { ").AppendJoin(", ", Enumerable.Range(0, fields).Select(f => "field" + f + ": string")).Append(" }\n");
            remaining -= fields + 2;
        }
        return sb.ToString();
    }

    /// <summary><paramref name="count"/> records of <paramref name="fields"/> fields, string and decimal in turn; names distinct and padded to <paramref name="nameLength"/> when it is given.</summary>
    private static string Records(string ns, int count, int fields, int nameLength = 0)
    {
        var sb = new StringBuilder("namespace ").Append(ns).Append(";\n");
        for (var r = 0; r < count; r++)
        {
            sb.Append("record Record").Append(r).Append(" { ");
            for (var f = 0; f < fields; f++)
            {
                var name = nameLength == 0 ? "field" + f : ("field" + f + "_" + r + "_").PadRight(nameLength, 'x');
                sb.Append(f == 0 ? "" : ", ").Append(name).Append(f % 2 == 0 ? ": string" : ": decimal");
            }
            sb.Append(" }\n");
        }
        return sb.ToString();
    }
}
