using Concordance.Generators.Emit;
using Concordance.Generators.Model;
using Concordance.Schema;
using Concordance.Schema.Tests.Mutations;
using Microsoft.CodeAnalysis;
using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

/// <summary>
/// Ten thousand broken variants of the Bank sample through the generator. Every variant runs the
/// generator's own pipeline code (parse → model → emit) and must not throw nor write one hint name
/// twice; every tenth also runs through Roslyn's generator driver (no CS8785, every generated file
/// well-formed C#), and every thousandth is compiled.
/// </summary>
public sealed class GeneratorFuzzTests
{
    private const int VariantCount = 10_000;
    private const int DriveEvery = 10;
    private const int CompileEvery = 1_000;
    private const string SchemaPath = "/schemas/Bank.concordance";

    [Fact]
    public void Given_ten_thousand_mutated_Bank_schemas_when_generated_then_the_generator_never_fails_and_writes_valid_csharp()
    {
        var bank = ReadSchema("Bank");
        var inputs = SchemaMutator.Variants(bank, VariantCount, seed: 7_301)
            .Concat(SchemaMutator.Truncations(bank, step: 13))
            .ToList();
        var compilation = Compilation([]);
        var schema = new InMemoryAdditionalText(SchemaPath, bank);
        GeneratorDriver driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(
            [new ConcordanceGenerator().AsSourceGenerator()], [schema], GeneratorHarness.ParseOptions);
        var failures = new List<string>();
        var emittedFiles = 0;
        var drivenFiles = 0;

        for (var i = 0; i < inputs.Count && failures.Count < 5; i++)
        {
            try
            {
                var model = ModelBuilder.Build(SchemaPath, SchemaParser.Parse(inputs[i], SchemaPath));
                var files = SchemaEmitter.Emit(model).ToList();
                SchemaEmitter.Wiring([model.ToComponents()], []);
                emittedFiles += files.Count;
                var repeated = files.GroupBy(f => f.HintName).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                if (repeated.Count > 0) failures.Add($"variant {i} writes {string.Join(", ", repeated)} twice");
            }
            catch (Exception exception)
            {
                failures.Add($"variant {i} throws:\n{inputs[i]}\n{exception}");
                continue;
            }

            if (i % DriveEvery != 0) continue;
            var next = new InMemoryAdditionalText(SchemaPath, inputs[i]);
            driver = driver.ReplaceAdditionalText(schema, next);
            schema = next;
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
            var result = driver.GetRunResult().Results[0];
            var diagnostics = result.Diagnostics.Where(d => !d.Id.StartsWith("CC0", StringComparison.Ordinal)).ToList();
            if (result.Exception is not null || diagnostics.Count > 0)
                failures.Add($"variant {i}: {result.Exception?.ToString() ?? string.Join("\n", diagnostics)}");
            foreach (var tree in result.GeneratedSources.Select(s => s.SyntaxTree))
            {
                drivenFiles++;
                var syntaxErrors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).ToList();
                if (syntaxErrors.Count > 0) failures.Add($"variant {i}, {tree.FilePath}: {string.Join("\n", syntaxErrors)}");
            }
            if (i % CompileEvery == 0)
            {
                var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).ToList();
                if (errors.Count > 0) failures.Add($"variant {i} does not compile:\n{inputs[i]}\n{string.Join("\n", errors)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(inputs.Count >= VariantCount);
        // Most variants keep most of the schema: the fuzz must reach the emitters, not stop at the parser.
        Assert.True(emittedFiles > 10 * inputs.Count, $"only {emittedFiles} files were emitted for {inputs.Count} variants");
        Assert.True(drivenFiles > inputs.Count / DriveEvery, $"only {drivenFiles} files came through the driver");
    }

    /// <summary>
    /// The property of the schema checks: a schema set the checks accept (no error diagnostic) generates code that
    /// compiles and emits without one C# error. Names of the Bank sample are replaced by risky ones (members records
    /// have, generated type names, keywords, names at and over the metadata limit); every third set is two files in one
    /// namespace, the second a renamed copy of the first, so names collide across files. Refused sets must compile too:
    /// the generator leaves out what the errors are about.
    /// </summary>
    [Fact]
    public void Given_renamed_Bank_schemas_alone_and_in_pairs_when_generated_then_every_accepted_set_compiles_and_emits_cleanly()
    {
        var bank = ReadSchema("Bank");
        var mutator = new SchemaMutator(seed: 15_015);
        var failures = new List<string>();
        var accepted = 0;
        const int Sets = 45;

        for (var i = 0; i < Sets && failures.Count < 3; i++)
        {
            var first = mutator.Rename(bank);
            (string, string)[] files = i % 3 == 0
                ? [("/p/Bank.concordance", first), ("/p/More/Bank2.concordance", mutator.Rename(first))]
                : [("/p/Bank.concordance", first)];

            var (_, result, output) = Run(files, []);

            var schemaErrors = result.Diagnostics.Where(d => d.Id.StartsWith("CC0", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToList();
            if (schemaErrors.Count == 0) accepted++;
            var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).ToList();
            if (errors.Count == 0)
            {
                using var stream = new MemoryStream();
                errors = [.. output.Emit(stream).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(3)];
            }
            if (GeneratorFailures(result).Count > 0 || errors.Count > 0)
            {
                failures.Add($"set {i} ({(schemaErrors.Count == 0 ? "accepted" : "refused: " + string.Join(", ", schemaErrors.Select(d => d.Id).Distinct()))}):\n"
                    + string.Join("\n---\n", files.Select(f => Short(f.Item2))) + "\n" + Describe(GeneratorFailures(result).Concat(errors)));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        // Most renames keep the schema valid: the property is tested on accepted sets, not only on refused ones.
        Assert.True(accepted >= Sets / 4, $"only {accepted} of {Sets} sets were accepted");
    }

    private static string Short(string text) => text.Length <= 4_000 ? text : text.Substring(0, 4_000) + "…";
}
