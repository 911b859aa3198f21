using Concordance.LanguageServer.Protocol;
using Concordance.LanguageServer.Workspace;
using Concordance.Schema.Formatting;
using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Features;

/// <summary>Formatting: the whole document through <see cref="SchemaFormatter"/>, the formatter of <c>concordance format</c>.</summary>
internal static class Formatting
{
    /// <summary>One edit replacing the document with its canonical layout; none when it already is. A file with syntax errors is refused, as the command refuses it.</summary>
    public static TextEdit[] Format(SchemaSource source)
    {
        string formatted;
        try
        {
            if (!SchemaFormatter.TryFormat(source.Text, out formatted, out var errors))
            {
                var first = source.Lines.PositionOf(errors[0].Span.Start);
                throw new RequestException(ErrorCodes.RequestFailed,
                    "Not formatted: the file has " + errors.Count + " syntax error" + (errors.Count == 1 ? "" : "s") + " (the first at line " + (first.Line + 1) + ": " + errors[0].Message + ").");
            }
        }
        catch (InvalidOperationException e)
        {
            throw new RequestException(ErrorCodes.RequestFailed, e.Message);
        }
        return formatted == source.Text ? [] : [new TextEdit(source.Lines.RangeOf(new SourceSpan(0, source.Text.Length)), formatted)];
    }
}
