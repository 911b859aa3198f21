using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Parsing;

// Helpers: expecting, skipping to a resumption point, versions, spans and reporting.
internal sealed partial class Parser
{
    private bool ExpectOpenBrace(string what, bool allowFieldStart, string[]? clauses = null)
    {
        if (Current.Kind == TokenKind.OpenBrace)
        {
            Advance();
            return true;
        }
        Report(Current.Kind == TokenKind.EndOfFile || Current.NewLineBefore ? new SourceSpan(_lastEnd, 0) : Current.Span,
            "Expected '{' after " + what + ", found " + Describe(Current) + ".");
        // Resume inside the body when it plainly starts here, so its contents are not lost.
        if (allowFieldStart && Current.Kind == TokenKind.Identifier && Peek(1).Kind == TokenKind.Colon) return true;
        if (clauses is not null && Current.Kind == TokenKind.Identifier && Array.IndexOf(clauses, Current.Text) >= 0) return true;
        SkipTo(stopAtComma: false, stopAtCloseBrace: true, NoClauses, stopAtFieldStart: false);
        if (Current.Kind == TokenKind.CloseBrace) Advance();
        return false;
    }

    /// <summary>
    /// Skips tokens (balancing braces, without recursion) until a stop token at the current
    /// brace level or the start of a top-level declaration.
    /// </summary>
    private void SkipTo(bool stopAtComma, bool stopAtCloseBrace, string[] clauses, bool stopAtFieldStart)
    {
        var depth = 0;
        while (!AtEnd)
        {
            if (IsDeclarationStart(_pos)) return;
            var token = Current;
            if (depth == 0)
            {
                if (token.Kind == TokenKind.CloseBrace && stopAtCloseBrace) return;
                if (token.Kind == TokenKind.Comma && stopAtComma) return;
                if (token.Kind == TokenKind.Identifier && Array.IndexOf(clauses, token.Text) >= 0) return;
                if (stopAtFieldStart && token.NewLineBefore && token.Kind == TokenKind.Identifier && Peek(1).Kind == TokenKind.Colon) return;
            }
            if (token.Kind == TokenKind.OpenBrace) depth++;
            else if (token.Kind == TokenKind.CloseBrace && depth > 0) depth--;
            Advance();
        }
    }

    /// <summary>Skips to the next top-level keyword that starts a line (or plainly starts a declaration).</summary>
    private void SkipTopLevel()
    {
        while (!AtEnd)
        {
            var token = Current;
            if (token.Kind == TokenKind.Identifier
                && (token.NewLineBefore && (TopLevelKeywords.Contains(token.Text) || token.Text == "namespace") || IsDeclarationStart(_pos)))
            {
                return;
            }
            Advance();
        }
    }

    /// <summary>A top-level keyword followed by a name: a declaration starts here wherever we are.</summary>
    private bool IsDeclarationStart(int index)
    {
        var token = _tokens[index];
        if (token.Kind != TokenKind.Identifier || !TopLevelKeywords.Contains(token.Text)) return false;
        var next = _tokens[Math.Min(index + 1, _tokens.Count - 1)];
        return next.Kind == TokenKind.Identifier;
    }

    private static bool IsClauseKeywordOfAny(string text) =>
        Array.IndexOf(ProcessClauses, text) >= 0 || text == "handle" || text == "emit";

    private static bool IsKeyword(Token token, string keyword) =>
        token.Kind == TokenKind.Identifier && string.Equals(token.Text, keyword, StringComparison.Ordinal);

    private static bool IsVersionText(string text)
    {
        if (text.Length < 2 || text[0] != 'v') return false;
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] < '0' || text[i] > '9') return false;
        }
        return true;
    }

    private int? ParseVersion(Token token)
    {
        var digits = token.Text.Substring(1);
        if (digits.Length <= 9 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        Report(token.Span, "Version '" + Shorten(token.Text) + "' is too large: versions are small numbers counting up from v1.");
        return null;
    }

    private SourceSpan SpanFrom(Token first) => new(first.Start, Math.Max(_lastEnd, first.End) - first.Start);

    private void Report(SourceSpan span, string message, string id = SchemaDiagnosticIds.SyntaxError)
    {
        if (_diagnostics.Count > 0)
        {
            var last = _diagnostics[_diagnostics.Count - 1];
            if (last.Span.Start == span.Start && last.Id == id) return; // one report per place: no cascades
        }
        if (_diagnostics.Count >= MaxSyntaxDiagnostics)
        {
            if (!_tooManyReported)
            {
                _tooManyReported = true;
                _diagnostics.Add(new SchemaDiagnostic(SchemaDiagnosticIds.SyntaxError, SchemaSeverity.Error,
                    "Too many syntax errors: stopped reporting after " + MaxSyntaxDiagnostics + ". Fix the ones above first.", Clamp(span)));
            }
            return;
        }
        _diagnostics.Add(new SchemaDiagnostic(id, SchemaSeverity.Error, message, Clamp(span)));
    }

    private SourceSpan Clamp(SourceSpan span)
    {
        var start = Math.Max(0, Math.Min(span.Start, _text.Length));
        var length = Math.Max(0, Math.Min(span.Length, _text.Length - start));
        return new SourceSpan(start, length);
    }

    private static string Describe(Token token)
    {
        switch (token.Kind)
        {
            case TokenKind.EndOfFile:
                return "the end of the file";
            case TokenKind.Bad:
                var sb = new StringBuilder();
                foreach (var c in Shorten(token.Text))
                {
                    if (char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD') sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                }
                return "'" + sb + "'";
            default:
                return "'" + Shorten(token.Text) + "'";
        }
    }

    private static string Shorten(string text) => Lexer.Shorten(text);

    private static string ClauseList(string[] clauses)
    {
        var parts = new List<string>();
        foreach (var clause in clauses)
        {
            var shown = clause == "start" || clause == "end" ? clause + " on" : clause;
            parts.Add("'" + shown + "'");
        }
        return string.Join(", ", parts);
    }

    private static string Article(string noun) => (noun.Length > 0 && "aeiou".IndexOf(noun[0]) >= 0 ? "an " : "a ") + noun;

    private static string ExampleOr(string text, string fallback) => text.Length == 0 ? fallback : Shorten(text);

    private static string ExampleName(string keyword) => keyword switch
    {
        "command" => "CreateAccount",
        "event" => "AccountCreated",
        "record" => "Address",
        "enum" => "TransferStatus",
        "aggregate" => "BankAccount",
        "projector" => "AccountLedger",
        "process" => "InterbankTransfer",
        "gateway" => "WireNetwork",
        "upcast" => "AccountCreated v1 -> v2",
        _ => "Name",
    };
}
