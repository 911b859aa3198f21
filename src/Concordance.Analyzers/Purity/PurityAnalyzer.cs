using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Concordance.Analyzers.Purity;

/// <summary>
/// CC1001–CC1007: nothing reachable from an aggregate, projector, process manager or event upcast may do I/O,
/// read the clock, the environment or a random source, start or await concurrent work, write
/// static state, or use a member banned in <c>ConcordanceBanned.txt</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PurityAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The additional file users extend the banned list with.</summary>
    public const string UserBannedListFileName = "ConcordanceBanned.txt";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.PurityDescriptors;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.TryCreate(start.Compilation);
            if (known is null)
            {
                return; // no Concordance runtime referenced: no components to check
            }

            var list = BannedSymbolList.Default.WithUserEntries(ReadUserLists(start.Options, start.CancellationToken));
            var analysis = new PurityAnalysis(start.Compilation, known, new BannedSymbolMatcher(list));
            // Every member's code is handed over once the compiler has bound it, with the semantic model that holds
            // the bound body: components' members are analysed from there, and a helper the compiler bound before a
            // component reaches it is read from there too instead of being bound again. Code block actions cost the
            // driver almost nothing (no operation trees are built for code no rule looks at), and they run in an
            // editor's analysis of one document as in a build.
            start.RegisterCodeBlockAction(block =>
                analysis.AnalyzeCodeBlock(block.OwningSymbol, block.SemanticModel, block.ReportDiagnostic, block.CancellationToken));
        });
    }

    private static IEnumerable<string> ReadUserLists(AnalyzerOptions options, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var file in options.AdditionalFiles)
        {
            if (string.Equals(System.IO.Path.GetFileName(file.Path), UserBannedListFileName, StringComparison.OrdinalIgnoreCase) &&
                file.GetText(cancellationToken) is { } text)
            {
                yield return text.ToString();
            }
        }
    }
}
