using System.Collections.Generic;
using Concordance.Schema.Parsing;

namespace Concordance.Schema.Formatting;

/// <summary>
/// Splits schema text into <see cref="FormatToken"/>s with their comments, the same tokens the parser's lexer makes
/// (identifiers, numbers, <c>-&gt;</c>, single punctuation) but with comments and line breaks kept as trivia.
/// </summary>
internal static class FormatScanner
{
    public static List<FormatToken> Scan(string text) => Scan(text, out _);

    /// <summary>Scans <paramref name="text"/>; <paramref name="newLine"/> is its first line break outside comments (<c>\n</c> when none).</summary>
    public static List<FormatToken> Scan(string text, out string newLine)
    {
        string? firstNewLine = null;
        var tokens = new List<FormatToken>();
        var pending = new List<FormatComment>();
        var newLines = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\r' || c == '\n')
            {
                var crlf = c == '\r' && i + 1 < text.Length && text[i + 1] == '\n';
                firstNewLine ??= crlf ? "\r\n" : c.ToString();
                if (crlf) i++;
                newLines++;
                i++;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c == '/' && i + 1 < text.Length && (text[i + 1] == '/' || text[i + 1] == '*'))
            {
                var isLine = text[i + 1] == '/';
                int end;
                if (isLine)
                {
                    end = i;
                    while (end < text.Length && text[end] != '\n' && text[end] != '\r') end++;
                }
                else
                {
                    var close = text.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                    end = close < 0 ? text.Length : close + 2;
                }
                var comment = new FormatComment(isLine ? text.Substring(i, end - i).TrimEnd() : text.Substring(i, end - i), newLines, isLine);
                // A comment on the line of the previous token, with nothing but comments between, trails that token.
                if (tokens.Count > 0 && pending.Count == 0 && newLines == 0) tokens[tokens.Count - 1].Trailing.Add(comment);
                else pending.Add(comment);
                newLines = 0;
                i = end;
                continue;
            }

            var start = i;
            var isIdentifier = false;
            if (Lexer.IsIdentifierStart(c))
            {
                i++;
                while (i < text.Length && Lexer.IsIdentifierPart(text[i])) i++;
                isIdentifier = true;
            }
            else if (c >= '0' && c <= '9')
            {
                i++;
                while (i < text.Length && text[i] >= '0' && text[i] <= '9') i++;
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '>')
            {
                i += 2;
            }
            else
            {
                i++;
            }
            var token = new FormatToken(text.Substring(start, i - start), isIdentifier, newLines);
            token.Leading.AddRange(pending);
            pending.Clear();
            tokens.Add(token);
            newLines = 0;
        }
        var endOfFile = new FormatToken(string.Empty, false, newLines);
        endOfFile.Leading.AddRange(pending);
        tokens.Add(endOfFile);
        newLine = firstNewLine ?? "\n";
        return tokens;
    }
}
