using System.Runtime.CompilerServices;
using Concordance.Schema;
using Concordance.Schema.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Analyzers.Schema;

/// <summary>
/// One parse per schema text, shared by every analyzer that reads it. Keyed weakly on the
/// <see cref="SourceText"/> instance (immutable), so an edited file is parsed afresh and an
/// unused one is collected.
/// </summary>
internal static class ParsedSchemas
{
    private static readonly ConditionalWeakTable<SourceText, SchemaFile> Cache = new();

    /// <summary>The syntax tree of <paramref name="text"/>, read from <paramref name="path"/>.</summary>
    public static SchemaFile Get(SourceText text, string path)
    {
        var parsed = Cache.GetValue(text, t => SchemaParser.Parse(t.ToString(), path));
        // One text instance under two paths is unlikely; the path is part of the tree, so parse again.
        return parsed.Path == path ? parsed : SchemaParser.Parse(text.ToString(), path);
    }
}
