using Microsoft.CodeAnalysis;
using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

/// <summary>The generator never throws and emits compiling code for the valid parts of a broken schema.</summary>
public sealed class BrokenSchemaTests
{
    private static IReadOnlyList<Diagnostic> Errors(Compilation output) =>
        [.. output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];

    [Fact]
    public void Given_a_schema_with_unknown_names_duplicates_and_invalid_identifiers_when_generated_then_the_valid_parts_compile()
    {
        const string schema = """
            namespace Broken;
            command Open { id: string, size: Nonexistent, count: int, count: long, class: string, equals: int }
            command Open { other: string }
            event Opened { id: string }
            event Opened { id: int }
            event lowercase { id: string }
            record Opened { x: int }
            enum Shade { Light, Light, Dark, Shade }
            record Bad { m: map<int, string>, n: string??, ok: Shade }
            event Moved v2 { id: string }
            event Moved v1 { id: string }
            upcast Moved v1 -> v7
            upcast Ghost v1 -> v2
            aggregate Door {
                key id
                state { open: bool, where: Nowhere }
                handle Open -> Opened, Missing, Opened
                handle Close -> Opened
                handle Open -> Moved
            }
            aggregate Door { key id handle Open -> Opened }
            projector View { on Opened, Unknown }
            process Flow { key id start on Opened send Open, Nothing }
            gateway Edge { on Nothing emit Moved }
            """;

        var (_, result, output) = Run([("/schemas/Broken.concordance", schema)], []);

        Assert.Empty(GeneratorFailures(result));
        Assert.True(Errors(output).Count == 0, Describe(Errors(output)));
        var open = output.GetTypeByMetadataName("Broken.Open")!;
        Assert.Equal(["Id", "Count", "Class"], open.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsImplicitlyDeclared).Select(p => p.Name));
        Assert.Equal(["Light", "Dark"], output.GetTypeByMetadataName("Broken.Shade")!.GetMembers().OfType<IFieldSymbol>().Where(f => f.IsConst).Select(f => f.Name));
        Assert.NotNull(output.GetTypeByMetadataName("Broken.DoorAggregateBase"));
        Assert.NotNull(output.GetTypeByMetadataName("Broken.MovedV1"));
        Assert.Null(output.GetTypeByMetadataName("Broken.lowercase"));
        Assert.Null(output.GetTypeByMetadataName("Broken.CloseDecision"));
    }

    [Fact]
    public void Given_a_schema_without_a_namespace_when_generated_then_the_file_stem_is_the_namespace()
    {
        var (_, result, output) = Run([("/x/my-orders.concordance", "command Place { id: string }")], []);

        Assert.Empty(GeneratorFailures(result));
        Assert.Empty(Errors(output));
        Assert.NotNull(output.GetTypeByMetadataName("My_orders.Place"));
        Assert.NotNull(output.GetTypeByMetadataName("My_orders.My_ordersSchema"));
    }

    [Fact]
    public void Given_many_mutations_of_the_Bank_sample_when_generated_then_the_generator_never_fails_and_its_code_compiles()
    {
        var bank = ReadSchema("Bank");
        var random = new Random(20240601);
        var failures = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var text = bank;
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                var start = random.Next(text.Length);
                var length = Math.Min(random.Next(1, 30), text.Length - start);
                text = random.Next(3) switch
                {
                    0 => text.Remove(start, length),
                    1 => text.Insert(start, text.Substring(random.Next(text.Length - length), length)),
                    _ => text.Remove(start, length).Insert(start, new string("{}<>,:?;/ vX1"[random.Next(13)], random.Next(1, 3))),
                };
            }

            var (_, result, output) = Run([("/schemas/Bank.concordance", text)], []);

            if (GeneratorFailures(result).Count > 0 || Errors(output).Count > 0)
                failures.Add($"--- mutation {i}:\n{text}\n{Describe(GeneratorFailures(result))}{Describe(Errors(output).Take(5))}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
