using Concordance.Schema.Parsing;
using Concordance.Schema.Syntax;

namespace Concordance.Schema;

/// <summary>Parses <c>.concordance</c> text into a <see cref="SchemaFile"/>.</summary>
public static class SchemaParser
{
    /// <summary>
    /// Parses <paramref name="text"/>. Never throws: however broken the input, the result holds
    /// every declaration that could be recovered and a CC0001 diagnostic for each syntax error.
    /// Runs in time linear in the length of the text.
    /// </summary>
    /// <param name="text">The file's contents.</param>
    /// <param name="path">The file's path, kept on the result for diagnostics.</param>
    public static SchemaFile Parse(string text, string path) =>
        new Parser(text ?? string.Empty, path ?? string.Empty).Parse();
}
