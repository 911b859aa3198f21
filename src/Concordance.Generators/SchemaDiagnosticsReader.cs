using System.Collections.Generic;
using Concordance.Generators.Model;
using Concordance.Schema;
using Concordance.Schema.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Generators;

/// <summary>Computes a schema file's diagnostics as plain data for the generator to report.</summary>
internal static class SchemaDiagnosticsReader
{
    /// <summary>The parse and check diagnostics of <paramref name="file"/> (parsed from <paramref name="text"/>), placed as the analyzer places them.</summary>
    public static SchemaDiagnosticsModel Read(SchemaFile file, string text)
    {
        var path = file.Path;
        var source = SourceText.From(text);
        var seen = new HashSet<SchemaDiagnostic>();
        var infos = new List<SchemaDiagnosticInfo>();
        foreach (var diagnostic in file.Diagnostics) Add(diagnostic);
        foreach (var diagnostic in SchemaChecker.Check(file)) Add(diagnostic);
        return new SchemaDiagnosticsModel(path, new EquatableArray<SchemaDiagnosticInfo>(infos.ToArray()));

        void Add(SchemaDiagnostic diagnostic)
        {
            if (seen.Add(diagnostic)) infos.Add(Place(path, source, diagnostic));
        }
    }

    /// <summary><paramref name="diagnostic"/> of the file at <paramref name="path"/> with text <paramref name="source"/>, placed as the analyzer places it.</summary>
    public static SchemaDiagnosticInfo Place(string path, SourceText source, SchemaDiagnostic diagnostic)
    {
        var location = Concordance.Analyzers.Schema.SchemaFiles.CreateLocation(path, source, diagnostic.Span);
        var lines = location.GetLineSpan().Span;
        return new SchemaDiagnosticInfo(diagnostic.Id, diagnostic.Message, location.SourceSpan.Start, location.SourceSpan.End,
            lines.Start.Line, lines.Start.Character, lines.End.Line, lines.End.Character);
    }
}
