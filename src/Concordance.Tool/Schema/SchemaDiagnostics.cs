using Concordance.Schema;
using Concordance.Schema.Syntax;
using Concordance.Tool.CommandLine;
using Spectre.Console;

namespace Concordance.Tool.Schema;

/// <summary>A schema diagnostic placed in its file, as the build shows it: ID, file, one-based line and column, text.</summary>
/// <param name="Id">The diagnostic ID (<c>CC0001</c>…).</param>
/// <param name="Severity">Error, warning or info.</param>
/// <param name="Path">The file, as the user named it.</param>
/// <param name="Line">The one-based line.</param>
/// <param name="Column">The one-based column.</param>
/// <param name="Message">The text.</param>
public sealed record PlacedDiagnostic(string Id, SchemaSeverity Severity, string Path, int Line, int Column, string Message)
{
    /// <summary>The line the tool prints: <c>path:line:col: error CC0001: text</c>.</summary>
    public override string ToString() => $"{Path}:{Line}:{Column}: {SeverityText(Severity)} {Id}: {Message}";

    /// <summary>The severity as compilers print it.</summary>
    public static string SeverityText(SchemaSeverity severity) => severity switch
    {
        SchemaSeverity.Error => "error",
        SchemaSeverity.Warning => "warning",
        _ => "info",
    };

    /// <summary>Places <paramref name="diagnostic"/> in <paramref name="path"/> using <paramref name="lines"/>.</summary>
    public static PlacedDiagnostic At(string path, LineMap lines, SchemaDiagnostic diagnostic)
    {
        var start = lines.GetPosition(diagnostic.Span.Start);
        return new PlacedDiagnostic(diagnostic.Id, diagnostic.Severity, path, start.Line + 1, start.Character + 1, diagnostic.Message);
    }
}

/// <summary>The ordinary schema diagnostics of a set of files (parser, checker, the check across files) and how they are shown.</summary>
public static class SchemaDiagnostics
{
    /// <summary>Parses and checks each file, then the files together, as one project's build does.</summary>
    /// <param name="inputs">The schema files.</param>
    public static IReadOnlyList<PlacedDiagnostic> Analyze(IReadOnlyList<SchemaInput> inputs)
    {
        var result = new List<PlacedDiagnostic>();
        var lines = new Dictionary<string, (SchemaInput Input, LineMap Lines)>(StringComparer.Ordinal);
        var typeNames = new List<SchemaTypeNames>();
        foreach (var input in inputs)
        {
            var document = SchemaDocument.Analyze(input.Text, input.FullPath);
            lines[input.FullPath] = (input, document.Syntax.Lines);
            typeNames.Add(SchemaTypeNames.Of(document.Syntax));
            result.AddRange(document.Diagnostics.Select(d => PlacedDiagnostic.At(input.Path, document.Syntax.Lines, d)));
        }
        foreach (var across in SchemaChecker.CheckAcrossFiles(typeNames))
        {
            var (input, map) = lines[across.Path];
            result.Add(PlacedDiagnostic.At(input.Path, map, across.Diagnostic));
        }
        return result;
    }

    /// <summary>Writes each diagnostic on its own line (or as JSON lines), then a summary line in text mode.</summary>
    /// <param name="console">The console.</param>
    /// <param name="diagnostics">The diagnostics.</param>
    /// <param name="json">Whether to write JSON lines.</param>
    public static void Write(ToolConsole console, IReadOnlyList<PlacedDiagnostic> diagnostics, bool json)
    {
        if (json)
        {
            foreach (var d in diagnostics)
                JsonOutput.WriteLine(console, new { d.Id, Severity = PlacedDiagnostic.SeverityText(d.Severity), d.Path, d.Line, d.Column, d.Message });
            return;
        }
        foreach (var d in diagnostics)
        {
            if (!console.IsTerminal)
            {
                console.WriteLine(d.ToString());
                continue;
            }
            var colour = d.Severity switch { SchemaSeverity.Error => "red", SchemaSeverity.Warning => "yellow", _ => "blue" };
            console.Out.MarkupLine($"{Markup.Escape($"{d.Path}:{d.Line}:{d.Column}:")} [{colour}]{PlacedDiagnostic.SeverityText(d.Severity)} {d.Id}[/]: {Markup.Escape(d.Message)}");
        }
        var errors = diagnostics.Count(d => d.Severity == SchemaSeverity.Error);
        var warnings = diagnostics.Count(d => d.Severity == SchemaSeverity.Warning);
        console.WriteLine($"{errors} error(s), {warnings} warning(s)");
    }
}
