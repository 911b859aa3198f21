using System.Reflection;
using Concordance.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

public sealed class IncrementalTests
{
    private static readonly string[] StepNames =
    [
        TrackingNames.SchemaTexts, TrackingNames.SchemaModels, TrackingNames.SchemaComponents, TrackingNames.AllSchemaComponents,
        TrackingNames.Components, TrackingNames.AllComponents, TrackingNames.Wiring,
    ];

    private static readonly string BankImplementation = File.ReadAllText(Path.Combine(ComponentsDirectory, "Bank.cs"));

    [Fact]
    public void Given_a_generated_compilation_when_unrelated_CSharp_is_edited_then_every_step_and_output_is_cached_or_unchanged()
    {
        var (driver, _, _) = Run([("/schemas/Bank.concordance", ReadSchema("Bank"))], [BankImplementation, "class Other { }"], trackSteps: true);
        var compilation = Compilation([BankImplementation, "class Other { }"]);
        var edited = compilation
            .ReplaceSyntaxTree(compilation.SyntaxTrees[1], CSharpSyntaxTree.ParseText("class Other { int Unrelated() => 42; }", GeneratorHarness.ParseOptions, path: compilation.SyntaxTrees[1].FilePath))
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Added { }", GeneratorHarness.ParseOptions));

        var result = driver.RunGenerators(compilation).RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var name in StepNames)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"step {name} was not tracked");
            var reasons = result.TrackedSteps[name].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {r}"));
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Given_a_component_file_when_its_code_changes_but_not_its_components_then_the_collected_components_and_the_wiring_output_are_unchanged()
    {
        var (driver, _, _) = Run([("/schemas/Bank.concordance", ReadSchema("Bank"))], [BankImplementation], trackSteps: true);
        var compilation = Compilation([BankImplementation]);
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees[0],
            CSharpSyntaxTree.ParseText(BankImplementation.Replace("Insufficient funds.", "Not enough money."), GeneratorHarness.ParseOptions, path: compilation.SyntaxTrees[0].FilePath));

        var result = driver.RunGenerators(compilation).RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[TrackingNames.AllComponents].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Given_two_schema_files_when_one_is_edited_then_only_its_steps_and_outputs_run_again()
    {
        var bank = new InMemoryAdditionalText("/schemas/Bank.concordance", ReadSchema("Bank"));
        var shipping = new InMemoryAdditionalText("/schemas/Shipping.concordance", ReadSchema("Shipping"));
        var compilation = Compilation([BankImplementation]);
        var driver = Driver([], trackSteps: true).AddAdditionalTexts([bank, shipping]).RunGenerators(compilation);
        var editedShipping = new InMemoryAdditionalText(shipping.Path, ReadSchema("Shipping").Replace("items: int }", "items: int, note: string? }"));

        var result = driver.ReplaceAdditionalText(shipping, editedShipping).RunGenerators(compilation).GetRunResult().Results.Single();

        var models = result.TrackedSteps[TrackingNames.SchemaModels].Select(s => (Model: (SchemaModel)s.Outputs[0].Value, s.Outputs[0].Reason)).ToList();
        Assert.Equal(IncrementalStepRunReason.Cached, models.Single(m => m.Model.Path == bank.Path).Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, models.Single(m => m.Model.Path == shipping.Path).Reason);
        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).ToList();
        var bankOutput = outputs.Single(s => s.Inputs.Any(i => i.Source.Outputs[i.OutputIndex].Value is SchemaModel { Path: "/schemas/Bank.concordance" }));
        var shippingOutput = outputs.Single(s => s.Inputs.Any(i => i.Source.Outputs[i.OutputIndex].Value is SchemaModel { Path: "/schemas/Shipping.concordance" }));
        Assert.Equal(IncrementalStepRunReason.Cached, bankOutput.Outputs.Single().Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, shippingOutput.Outputs.Single().Reason);
        Assert.Contains(result.GeneratedSources, s => s.SourceText.ToString().Contains("string? Note"));
    }

    [Fact]
    public void Given_the_model_types_when_their_fields_are_walked_recursively_then_none_holds_a_Roslyn_type()
    {
        var generator = typeof(ConcordanceGenerator).Assembly;
        var modelTypes = generator.GetTypes().Where(t => t.Namespace == typeof(SchemaModel).Namespace).ToList();
        var seen = new HashSet<Type>();
        var offenders = new List<string>();

        void Walk(Type type, string path)
        {
            if (!seen.Add(type)) return;
            if (type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true) offenders.Add(path + ": " + type);
            if (type.IsGenericType) foreach (var argument in type.GetGenericArguments()) Walk(argument, path + "<" + argument.Name + ">");
            if (type.IsArray) Walk(type.GetElementType()!, path + "[]");
            if (type.Assembly != generator) return;
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)) Walk(field.FieldType, path + "." + field.Name);
        }

        Assert.Contains(typeof(SchemaModel), modelTypes);
        Assert.Contains(typeof(ComponentModel), modelTypes);
        foreach (var type in modelTypes.Where(t => !t.IsGenericTypeDefinition)) Walk(type, type.Name);
        Walk(typeof(EquatableArray<FieldModel>), "EquatableArray<FieldModel>");
        Assert.Empty(offenders);
        Assert.DoesNotContain(seen, t => typeof(ISymbol).IsAssignableFrom(t) || typeof(SyntaxNode).IsAssignableFrom(t) || t == typeof(Location) || typeof(Compilation).IsAssignableFrom(t));
    }
}
