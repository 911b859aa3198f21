using System;
using System.Collections.Generic;
using System.Linq;

namespace Concordance.Schema.Formatting;

/// <summary>
/// The canonical layout of a <c>.concordance</c> file, shared by <c>concordance format</c> and the language server.
/// Formatting is idempotent, keeps every comment (<c>//</c>, <c>///</c> and <c>/* */</c>) and never changes what the
/// file declares; a file with syntax errors is not formatted.
/// </summary>
/// <remarks>
/// The layout: <c>namespace</c> first, then the declarations, a blank line kept between them where the source has one
/// and always around a declaration of several lines. A command, event, record or enum is written on one line when it
/// fits in 120 columns and holds no comment, otherwise with one field or member per line; an aggregate, projector,
/// process or gateway has one clause per line; indentation is four spaces; name lists are never wrapped; optional
/// separators (<c>;</c> in bodies, a trailing comma) are dropped. Line breaks are the file's first line break outside comments (<c>\n</c> or <c>\r\n</c>).
/// </remarks>
public static class SchemaFormatter
{
    /// <summary>Formats <paramref name="text"/>.</summary>
    /// <param name="text">A schema file's contents.</param>
    /// <returns>The formatted text, ending with one line break.</returns>
    /// <exception cref="SchemaFormatException">The text has syntax errors (CC0001); <see cref="SchemaFormatException.Errors"/> lists them.</exception>
    public static string Format(string text)
    {
        if (!TryFormat(text, out var formatted, out var errors)) throw new SchemaFormatException(errors);
        return formatted;
    }

    /// <summary>Formats <paramref name="text"/> unless it has syntax errors.</summary>
    /// <param name="text">A schema file's contents.</param>
    /// <param name="formatted">The formatted text; <paramref name="text"/> itself when it cannot be formatted.</param>
    /// <param name="syntaxErrors">The syntax errors that prevent formatting; empty on success.</param>
    /// <returns>True when the text was formatted.</returns>
    public static bool TryFormat(string text, out string formatted, out IReadOnlyList<SchemaDiagnostic> syntaxErrors)
    {
        text ??= string.Empty;
        formatted = text;
        var parsed = SchemaParser.Parse(text, string.Empty);
        syntaxErrors = parsed.Diagnostics.Where(d => d.Id == SchemaDiagnosticIds.SyntaxError).ToList();
        if (syntaxErrors.Count > 0) return false;

        var tokens = FormatScanner.Scan(text, out var newLine);
        var comments = Comments(tokens).ToList();
        string result;
        try
        {
            result = SchemaLayout.Format(tokens, newLine);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw new InvalidOperationException("The schema formatter could not lay out this file; it was left unchanged. " + e.Message, e);
        }

        // The layout must never change what the file says: check the result before handing it out.
        var reparsed = SchemaParser.Parse(result, string.Empty);
        if (reparsed.Diagnostics.Any(d => d.Id == SchemaDiagnosticIds.SyntaxError)
            || SchemaShape.Of(reparsed) != SchemaShape.Of(parsed)
            || !comments.SequenceEqual(Comments(FormatScanner.Scan(result))))
        {
            throw new InvalidOperationException("The schema formatter would have changed the meaning or the comments of this file; it was left unchanged.");
        }
        formatted = result;
        return true;
    }

    /// <summary>Whether <paramref name="text"/> is already in the canonical layout (false when it has syntax errors).</summary>
    /// <param name="text">A schema file's contents.</param>
    public static bool IsFormatted(string text) => TryFormat(text, out var formatted, out _) && formatted == text;

    private static IEnumerable<string> Comments(List<FormatToken> tokens) =>
        tokens.SelectMany(t => t.Leading.Concat(t.Trailing)).Select(c => c.Text);
}

/// <summary>Thrown by <see cref="SchemaFormatter.Format"/> for a schema with syntax errors: such a file is never reformatted.</summary>
public sealed class SchemaFormatException : Exception
{
    /// <summary>An exception listing <paramref name="errors"/>.</summary>
    /// <param name="errors">The syntax errors.</param>
    public SchemaFormatException(IReadOnlyList<SchemaDiagnostic> errors)
        : base("The schema has syntax errors and was not formatted: " + string.Join(" ", errors.Select(e => e.Message)))
    {
        Errors = errors;
    }

    /// <summary>The syntax errors (CC0001).</summary>
    public IReadOnlyList<SchemaDiagnostic> Errors { get; }
}
