using System.Collections.Generic;
using System.Collections.Immutable;
using Concordance.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Analyzers.Schema;

/// <summary>
/// Reports the problems of every <c>.concordance</c> additional file (CC0001–CC0015) at their
/// line and column in that file, so the IDE's error list and <c>dotnet build</c> show them.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SchemaDiagnosticAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.SchemaDescriptors;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterAdditionalFileAction(AnalyzeSchemaFile);
    }

    private static void AnalyzeSchemaFile(AdditionalFileAnalysisContext context)
    {
        var file = context.AdditionalFile;
        if (!SchemaFiles.IsSchema(file)) return;
        var text = file.GetText(context.CancellationToken);
        if (text is null) return;

        foreach (var diagnostic in Diagnose(text, file.Path))
        {
            context.ReportDiagnostic(ToRoslyn(diagnostic, file.Path, text));
        }
    }

    /// <summary>Syntax diagnostics of the parse followed by the checker's semantic ones, each once.</summary>
    internal static IEnumerable<SchemaDiagnostic> Diagnose(SourceText text, string path)
    {
        var schema = ParsedSchemas.Get(text, path);
        var seen = new HashSet<SchemaDiagnostic>();
        foreach (var diagnostic in schema.Diagnostics)
        {
            if (seen.Add(diagnostic)) yield return diagnostic;
        }
        foreach (var diagnostic in SchemaChecker.Check(schema))
        {
            if (seen.Add(diagnostic)) yield return diagnostic;
        }
    }

    private static Diagnostic ToRoslyn(SchemaDiagnostic diagnostic, string path, SourceText text)
    {
        var location = SchemaFiles.CreateLocation(path, text, diagnostic.Span);
        var descriptor = DiagnosticDescriptors.ForSchemaId(diagnostic.Id);
        // An ID newer than this assembly's descriptors still fails the build, under CC0001 with its own ID in the text.
        // The message is interned: the generator reports the same diagnostic (see ConcordanceGenerator), and the
        // compiler drops a repeated diagnostic only when its message arguments are the same instances.
        return descriptor is null
            ? Diagnostic.Create(DiagnosticDescriptors.SyntaxError, location, string.Intern($"{diagnostic.Id}: {diagnostic.Message}"))
            : Diagnostic.Create(descriptor, location, string.Intern(diagnostic.Message));
    }
}
