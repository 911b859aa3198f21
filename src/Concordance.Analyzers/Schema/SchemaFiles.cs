using System;
using Concordance.Schema.Syntax;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Analyzers.Schema;

/// <summary>Finds schema files among the additional files and places diagnostics in them.</summary>
internal static class SchemaFiles
{
    /// <summary>The extension that marks an additional file as a Concordance schema.</summary>
    public const string Extension = ".concordance";

    /// <summary>True when <paramref name="file"/> is a <c>.concordance</c> schema.</summary>
    public static bool IsSchema(AdditionalText file) =>
        file.Path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A location in the schema file at <paramref name="path"/>. The span is clamped into
    /// <paramref name="text"/> first, so the location is inside the file whatever the span says.
    /// </summary>
    public static Location CreateLocation(string path, SourceText text, SourceSpan span)
    {
        var start = Clamp(span.Start, 0, text.Length);
        var end = Clamp((long)span.Start + span.Length, start, text.Length);
        var textSpan = TextSpan.FromBounds(start, end);
        return Location.Create(path, textSpan, text.Lines.GetLinePositionSpan(textSpan));
    }

    private static int Clamp(long value, int min, int max) => (int)Math.Max(min, Math.Min(value, max));
}
