using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Concordance.Benchmarks.Analyzers;

// A measuring stick inside the benchmark program, never shipped: the rules for shipped analyzers do not apply.
#pragma warning disable RS1012, RS1036, RS1041, RS2008

/// <summary>
/// An analyzer that looks at nothing: what it adds to a compile is the analyzer driver's own cost
/// (compilation events, cached semantic models), which any analyzer pays the first time and which a
/// real build pays once for all of them (the SDK's analyzers and Concordance's schema analyzers run anyway).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class DriverOnlyAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Unused = new("BENCH0001", "unused", "unused", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(_ => { });
    }
}
