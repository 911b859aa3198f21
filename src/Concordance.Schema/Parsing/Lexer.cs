using System.Collections.Generic;
using System.Text;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Parsing;

/// <summary>
/// Splits schema text into tokens in one linear pass. Comments are trivia; <c>///</c> comments
/// are collected and handed to the next token as its doc. Never throws.
/// </summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text, List<SchemaDiagnostic> diagnostics)
    {
        var tokens = new List<Token>(text.Length / 4 + 4);
        var docLines = new List<string>();
        var newLine = true;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n' || c == '\r')
            {
                newLine = true;
                i++;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                var lineEnd = i;
                while (lineEnd < text.Length && text[lineEnd] != '\n' && text[lineEnd] != '\r') lineEnd++;
                var isDoc = i + 2 < text.Length && text[i + 2] == '/' && !(i + 3 < text.Length && text[i + 3] == '/');
                if (isDoc)
                {
                    var contentStart = i + 3;
                    if (contentStart < lineEnd && text[contentStart] == ' ') contentStart++;
                    docLines.Add(text.Substring(contentStart, lineEnd - contentStart).TrimEnd());
                }
                i = lineEnd;
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var close = text.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                if (close < 0)
                {
                    diagnostics.Add(new SchemaDiagnostic(SchemaDiagnosticIds.SyntaxError, SchemaSeverity.Error,
                        "Unterminated block comment: add '*/' to close the comment that starts here.", new SourceSpan(i, 2)));
                    i = text.Length;
                    break;
                }
                for (var k = i + 2; k < close; k++)
                {
                    if (text[k] == '\n' || text[k] == '\r') { newLine = true; break; }
                }
                i = close + 2;
                continue;
            }

            var start = i;
            TokenKind kind;
            if (IsIdentifierStart(c))
            {
                i++;
                while (i < text.Length && IsIdentifierPart(text[i])) i++;
                kind = TokenKind.Identifier;
            }
            else if (c >= '0' && c <= '9')
            {
                i++;
                while (i < text.Length && text[i] >= '0' && text[i] <= '9') i++;
                kind = TokenKind.Number;
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '>')
            {
                i += 2;
                kind = TokenKind.Arrow;
            }
            else
            {
                kind = Punctuation(c);
                i++;
                if (kind == TokenKind.Bad)
                {
                    while (i < text.Length && IsBadStart(text, i)) i++;
                }
            }

            string? doc = null;
            if (docLines.Count > 0)
            {
                doc = string.Join("\n", docLines);
                docLines.Clear();
            }
            tokens.Add(new Token(kind, start, i - start, text.Substring(start, i - start), newLine, doc));
            newLine = false;
        }
        tokens.Add(new Token(TokenKind.EndOfFile, text.Length, 0, string.Empty, true, null));
        return tokens;
    }

    public static bool IsIdentifierStart(char c) => c == '_' || char.IsLetter(c);

    public static bool IsIdentifierPart(char c) => c == '_' || char.IsLetterOrDigit(c);

    private static TokenKind Punctuation(char c) => c switch
    {
        '{' => TokenKind.OpenBrace,
        '}' => TokenKind.CloseBrace,
        ',' => TokenKind.Comma,
        ':' => TokenKind.Colon,
        ';' => TokenKind.Semicolon,
        '?' => TokenKind.Question,
        '<' => TokenKind.LessThan,
        '>' => TokenKind.GreaterThan,
        '.' => TokenKind.Dot,
        _ => TokenKind.Bad,
    };

    /// <summary>True when the character at <paramref name="i"/> would start another bad token (so runs of junk make one token).</summary>
    private static bool IsBadStart(string text, int i)
    {
        var c = text[i];
        if (char.IsWhiteSpace(c) || IsIdentifierStart(c) || (c >= '0' && c <= '9')) return false;
        if (c == '/' && i + 1 < text.Length && (text[i + 1] == '/' || text[i + 1] == '*')) return false;
        if (c == '-' && i + 1 < text.Length && text[i + 1] == '>') return false;
        return Punctuation(c) == TokenKind.Bad;
    }

    /// <summary>Shortens very long text for messages.</summary>
    public static string Shorten(string text)
    {
        if (text.Length <= 60) return text;
        var sb = new StringBuilder(64);
        sb.Append(text, 0, 57).Append("...");
        return sb.ToString();
    }
}
