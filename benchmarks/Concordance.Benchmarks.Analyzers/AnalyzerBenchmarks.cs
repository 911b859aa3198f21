using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Concordance.Analyzers.Purity;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Concordance.Benchmarks.Analyzers;

/// <summary>
/// Wall-clock cost on the synthetic application: the compile alone (bind + emit), and the compile
/// with the purity analyzers or BannedApiAnalyzers (same banned list). Each run starts from a
/// fresh clone so nothing bound earlier is reused.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private DiagnosticAnalyzer _bannedApi = null!;
    private AnalyzerOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _compilation = SyntheticSolution.Create();
        _bannedApi = SyntheticSolution.LoadBannedApiAnalyzer();
        _options = new AnalyzerOptions(ImmutableArray.Create(SyntheticSolution.BannedSymbolsFile()));
    }

    [Benchmark(Baseline = true)]
    public int Compile()
    {
        using var stream = new MemoryStream();
        return _compilation.Clone().Emit(stream).Diagnostics.Length;
    }

    [Benchmark]
    public Task<int> CompileWithPurityAnalyzers() => CompileWith(new PurityAnalyzer());

    [Benchmark]
    public Task<int> CompileWithBannedApiAnalyzers() => CompileWith(_bannedApi);

    private async Task<int> CompileWith(DiagnosticAnalyzer analyzer)
    {
        var compilation = _compilation.Clone();
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create(analyzer), _options).GetAllDiagnosticsAsync();
        using var stream = new MemoryStream();
        return diagnostics.Length + compilation.Emit(stream).Diagnostics.Length;
    }
}
