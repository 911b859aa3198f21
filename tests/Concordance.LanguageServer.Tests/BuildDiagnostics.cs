using System.Collections.Immutable;
using Concordance.Analyzers.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.LanguageServer.Tests;

/// <summary>One diagnostic as both sides can say it: ID, LSP severity (1 error, 2 warning, 3 info), message, zero-based span.</summary>
public sealed record ComparableDiagnostic(string Id, int Severity, string Message, int StartLine, int StartCharacter, int EndLine, int EndCharacter)
{
    public override string ToString() => $"{Id} ({Severity}) {StartLine}:{StartCharacter}-{EndLine}:{EndCharacter} {Message}";
}

/// <summary>What the build reports for schema files: the package's schema analyzers run over them as additional files.</summary>
public static class BuildDiagnostics
{
    public static async Task<IReadOnlyList<ComparableDiagnostic>> OfAsync(IReadOnlyList<string> schemaPaths, string path)
    {
        var files = new List<AdditionalText>();
        foreach (var schema in schemaPaths)
        {
            files.Add(new FileText(schema));
            if (File.Exists(schema + ".lock")) files.Add(new FileText(schema + ".lock"));
        }
        var compilation = CSharpCompilation.Create("Schemas", [CSharpSyntaxTree.ParseText("class C { }")], [],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new SchemaDiagnosticAnalyzer(), new SchemaLockAnalyzer());
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new AnalyzerOptions([.. files]));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        return diagnostics
            .Where(d => d.Location.GetLineSpan().Path == path)
            .Select(d =>
            {
                var span = d.Location.GetLineSpan();
                var severity = d.Severity switch { DiagnosticSeverity.Error => 1, DiagnosticSeverity.Warning => 2, _ => 3 };
                return new ComparableDiagnostic(d.Id, severity, d.GetMessage(), span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character);
            })
            .OrderBy(d => d.ToString(), StringComparer.Ordinal)
            .ToList();
    }

    public static IReadOnlyList<ComparableDiagnostic> FromLsp(System.Text.Json.Nodes.JsonArray diagnostics) => diagnostics
        .Select(d => new ComparableDiagnostic((string)d!["code"]!, (int)d["severity"]!, (string)d["message"]!,
            (int)d["range"]!["start"]!["line"]!, (int)d["range"]!["start"]!["character"]!, (int)d["range"]!["end"]!["line"]!, (int)d["range"]!["end"]!["character"]!))
        .OrderBy(d => d.ToString(), StringComparer.Ordinal)
        .ToList();

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(Path));
    }
}
