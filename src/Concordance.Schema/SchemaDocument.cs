using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;

namespace Concordance.Schema;

/// <summary>A parsed and checked schema file: the tree plus every diagnostic, syntax and semantic.</summary>
public sealed class SchemaDocument
{
    private SchemaDocument(SchemaFile syntax, IReadOnlyList<SchemaDiagnostic> diagnostics)
    {
        Syntax = syntax;
        Diagnostics = diagnostics;
    }

    /// <summary>The syntax tree.</summary>
    public SchemaFile Syntax { get; }

    /// <summary>Syntax diagnostics followed by semantic ones, each group in file order.</summary>
    public IReadOnlyList<SchemaDiagnostic> Diagnostics { get; }

    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == SchemaSeverity.Error);

    /// <summary>Parses and checks <paramref name="text"/>. Never throws.</summary>
    /// <param name="text">The file's contents.</param>
    /// <param name="path">The file's path.</param>
    public static SchemaDocument Analyze(string text, string path)
    {
        var file = SchemaParser.Parse(text, path);
        var diagnostics = new List<SchemaDiagnostic>(file.Diagnostics);
        diagnostics.AddRange(SchemaChecker.Check(file));
        return new SchemaDocument(file, diagnostics);
    }
}
