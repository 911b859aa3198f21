using System;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Concordance.Schema;
using Concordance.Schema.Locking;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Analyzers.Schema;

/// <summary>
/// The shipped-schema gate. For each <c>.concordance</c> additional file with a
/// <c>.concordance.lock</c> beside it, reports every change that would stop the schema reading
/// events recorded in the lock (CC0016–CC0023) at its place in the schema; reports a lock that
/// cannot be read (CC0024) in the lock; and, once per project, says how to create a lock for a
/// schema that has none (CC0025, info).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SchemaLockAnalyzer : DiagnosticAnalyzer
{
    private static readonly ConditionalWeakTable<SourceText, SchemaLockReadResult> Locks = new();

    /// <summary>The extension of a lock file, as an additional file.</summary>
    public const string LockExtension = SchemaFiles.Extension + SchemaLock.FileExtension;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.LockDescriptors;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterAdditionalFileAction(Analyze);
    }

    private static void Analyze(AdditionalFileAnalysisContext context)
    {
        var file = context.AdditionalFile;
        if (file.Path.EndsWith(LockExtension, StringComparison.OrdinalIgnoreCase)) AnalyzeLock(context);
        else if (SchemaFiles.IsSchema(file)) AnalyzeSchema(context);
    }

    private static void AnalyzeLock(AdditionalFileAnalysisContext context)
    {
        var text = context.AdditionalFile.GetText(context.CancellationToken);
        if (text is null) return;
        foreach (var diagnostic in Read(text).Diagnostics)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MalformedLock,
                SchemaFiles.CreateLocation(context.AdditionalFile.Path, text, diagnostic.Span), diagnostic.Message));
        }
    }

    private static void AnalyzeSchema(AdditionalFileAnalysisContext context)
    {
        var schema = context.AdditionalFile;
        var text = schema.GetText(context.CancellationToken);
        if (text is null) return;
        var lockFile = context.Options.AdditionalFiles.FirstOrDefault(f => SamePath(f.Path, SchemaLock.PathFor(schema.Path)));
        if (lockFile is null)
        {
            if (IsFirstSchemaWithoutLock(schema, context.Options.AdditionalFiles))
            {
                var message = SchemaLockComparer.NoLockMessage(FileName(schema.Path));
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NoLock,
                    SchemaFiles.CreateLocation(schema.Path, text, new Concordance.Schema.Syntax.SourceSpan(0, 0)), message));
            }
            return;
        }
        var lockText = lockFile.GetText(context.CancellationToken);
        if (lockText is null || Read(lockText).Lock is not { } locked) return;
        var parsed = ParsedSchemas.Get(text, schema.Path);
        // A schema that does not parse would look as if its unparsed declarations were removed.
        if (parsed.Diagnostics.Count > 0) return;
        foreach (var diagnostic in SchemaLockComparer.Compare(locked, parsed))
        {
            var descriptor = DiagnosticDescriptors.ForSchemaId(diagnostic.Id) ?? DiagnosticDescriptors.SyntaxError;
            context.ReportDiagnostic(Diagnostic.Create(descriptor, SchemaFiles.CreateLocation(schema.Path, text, diagnostic.Span), diagnostic.Message));
        }
    }

    private static SchemaLockReadResult Read(SourceText text) => Locks.GetValue(text, t => SchemaLockReader.Read(t.ToString()));

    // The info is said once per project: by the first schema, in path order, that has no lock.
    private static bool IsFirstSchemaWithoutLock(AdditionalText schema, ImmutableArray<AdditionalText> files)
    {
        var first = files
            .Where(f => SchemaFiles.IsSchema(f) && !files.Any(l => SamePath(l.Path, SchemaLock.PathFor(f.Path))))
            .Select(f => f.Path)
            .OrderBy(p => p, StringComparer.Ordinal)
            .FirstOrDefault();
        return first == schema.Path;
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(a.Replace('\\', '/'), b.Replace('\\', '/'), StringComparison.OrdinalIgnoreCase);

    private static string FileName(string path)
    {
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return path.Substring(slash + 1);
    }
}
