using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Concordance.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Analyzers.Schema;

/// <summary>
/// Reports the problems of every <c>.concordance</c> additional file (CC0001–CC0015, CC0027–CC0029) at their
/// line and column in that file, so the IDE's error list and <c>dotnet build</c> show them; and those only the
/// project's schema files together show (CC0026, CC0028, CC0029), in each file they concern.
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
        context.RegisterCompilationStartAction(start =>
        {
            // The checks across files read every schema of the project once per compilation, when the first file asks.
            var acrossFiles = new Lazy<ILookup<string, SchemaDiagnostic>>(() => AcrossFiles(start.Options.AdditionalFiles, start.CancellationToken));
            start.RegisterAdditionalFileAction(file => AnalyzeSchemaFile(file, acrossFiles));
        });
    }

    private static void AnalyzeSchemaFile(AdditionalFileAnalysisContext context, Lazy<ILookup<string, SchemaDiagnostic>> acrossFiles)
    {
        var file = context.AdditionalFile;
        if (!SchemaFiles.IsSchema(file)) return;
        var text = file.GetText(context.CancellationToken);
        if (text is null) return;

        foreach (var diagnostic in Diagnose(text, file.Path).Concat(acrossFiles.Value[file.Path]))
        {
            context.ReportDiagnostic(ToRoslyn(diagnostic, file.Path, text));
        }
    }

    /// <summary>The diagnostics of the checks across all schema files, by the path of the file each is in.</summary>
    internal static ILookup<string, SchemaDiagnostic> AcrossFiles(IEnumerable<AdditionalText> files, CancellationToken cancellationToken)
    {
        var names = new List<SchemaTypeNames>();
        foreach (var file in files)
        {
            if (!SchemaFiles.IsSchema(file) || file.GetText(cancellationToken) is not { } text) continue;
            names.Add(SchemaTypeNames.Of(ParsedSchemas.Get(text, file.Path)));
        }
        return SchemaChecker.CheckAcrossFiles(names).ToLookup(d => d.Path, d => d.Diagnostic, StringComparer.Ordinal);
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
