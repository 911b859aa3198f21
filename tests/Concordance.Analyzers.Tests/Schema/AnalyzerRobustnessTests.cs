using System.Collections.Immutable;
using Concordance.Analyzers.Tests.Infrastructure;
using Concordance.Schema.Tests.Mutations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Analyzers.Tests.Schema;

public sealed class AnalyzerRobustnessTests
{
    private const int SchemaCount = 10_000;
    private const int FilesPerRun = 100;

    [Fact]
    public async Task Given_ten_thousand_mutated_schemas_when_analyzed_then_no_analyzer_fails_and_every_location_is_inside_its_file()
    {
        // One compilation for every run (with the Bank sample's bases and implementations so the
        // wiring analyzer resolves components); only the additional files change.
        var compilation = AnalyzerHarness.Compile(("/src/Bases.cs", Samples.BankGeneratedBases), ("/src/Impl.cs", Samples.BankImplementations));
        var mutator = new SchemaMutator(seed: 20_240_601);
        var mutants = new HashSet<string>(StringComparer.Ordinal);
        for (var draws = 0; mutants.Count < SchemaCount && draws < SchemaCount * 3; draws++) mutants.Add(mutator.Mutate(Samples.BankSchema));
        Assert.Equal(SchemaCount, mutants.Count); // distinct variants, not repeats of the common ones

        var reported = 0;
        foreach (var batch in mutants.Chunk(FilesPerRun))
        {
            var files = batch.Select((text, i) => new InMemoryAdditionalText($"/src/Mutant{i:D3}.concordance", text)).ToList();
            var texts = files.ToDictionary(f => f.Path, f => f.GetText()!);

            // RunAsync fails the test on any analyzer exception (what the compiler shows as AD0001).
            var diagnostics = await AnalyzerHarness.RunAsync(compilation, files);

            foreach (var diagnostic in diagnostics)
            {
                Assert.NotEqual("AD0001", diagnostic.Id);
                Assert.StartsWith("CC", diagnostic.Id);
                if (diagnostic.Location.Kind == LocationKind.SourceFile) continue; // CC2002 on a class in Impl.cs
                AssertInsideItsFile(diagnostic, texts);
                reported++;
            }
        }
        Assert.True(reported > SchemaCount, $"mutated schemas should be full of problems; only {reported} were reported");
    }

    private static void AssertInsideItsFile(Diagnostic diagnostic, Dictionary<string, SourceText> texts)
    {
        var location = diagnostic.Location;
        Assert.Equal(LocationKind.ExternalFile, location.Kind);
        var lineSpan = location.GetLineSpan();
        Assert.True(texts.TryGetValue(lineSpan.Path, out var text), $"{diagnostic} is in no analyzed file");
        Assert.InRange(location.SourceSpan.Start, 0, text.Length);
        Assert.InRange(location.SourceSpan.End, location.SourceSpan.Start, text.Length);
        Assert.Equal(text.Lines.GetLinePositionSpan(location.SourceSpan), lineSpan.Span);
    }
}
