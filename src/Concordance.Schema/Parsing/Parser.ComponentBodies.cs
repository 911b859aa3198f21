using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Parsing;

// Component bodies: clauses, keys, states, handles and name lists.
internal sealed partial class Parser
{
    private void ParseComponentBody(string what, string[] clauses, Action<Token> parseClause)
    {
        if (!ExpectOpenBrace(what, allowFieldStart: false, clauses)) return;
        while (true)
        {
            var token = Current;
            if (token.Kind == TokenKind.CloseBrace) { Advance(); return; }
            if (token.Kind == TokenKind.Semicolon) { Advance(); continue; }
            if (token.Kind == TokenKind.EndOfFile || IsDeclarationStart(_pos))
            {
                Report(token.Span, "Expected '}' to close " + what + ", found " + Describe(token) + ".");
                return;
            }
            if (token.Kind == TokenKind.Identifier && Array.IndexOf(clauses, token.Text) >= 0)
            {
                parseClause(token);
                continue;
            }
            Report(token.Span, "Unexpected " + Describe(token) + " in " + what + ": expected " + ClauseList(clauses) + " or '}'.");
            Advance();
            SkipTo(stopAtComma: false, stopAtCloseBrace: true, clauses, stopAtFieldStart: false);
        }
    }

    private void ParseKey(string what, ref NameSyntax? key)
    {
        var keyword = Advance();
        if (Current.Kind == TokenKind.Identifier && !IsDeclarationStart(_pos) && !(Current.NewLineBefore && IsClauseKeywordOfAny(Current.Text)))
        {
            var token = Advance();
            var name = new NameSyntax(token.Text, token.Span);
            if (key is null) key = name;
            else Report(token.Span, what + " already has 'key " + Shorten(key.Text) + "': a component has one key; remove this second 'key' clause.", SchemaDiagnosticIds.DuplicateName);
        }
        else
        {
            Report(Current.Kind == TokenKind.EndOfFile || Current.NewLineBefore ? keyword.Span : Current.Span,
                "Expected the key field's name after 'key' in " + what + " (e.g. 'key accountNumber').");
        }
    }

    private void ParseState(string what, ref List<FieldSyntax>? state)
    {
        var keyword = Advance();
        var fields = new List<FieldSyntax>();
        var owner = "the state of " + what;
        if (ExpectOpenBrace(owner, allowFieldStart: true)) ParseFieldList(fields, owner, inState: true);
        if (state is null) state = fields;
        else Report(keyword.Span, what + " already has a 'state' block: merge the two blocks into one.", SchemaDiagnosticIds.DuplicateName);
    }

    private HandleSyntax ParseHandle(string what)
    {
        var keyword = Advance();
        NameSyntax command;
        var events = new List<NameSyntax>();
        if (Current.Kind == TokenKind.Identifier && !Current.NewLineBefore && !IsDeclarationStart(_pos))
        {
            var token = Advance();
            command = new NameSyntax(token.Text, token.Span);
        }
        else
        {
            Report(Current.NewLineBefore ? keyword.Span : Current.Span, "Expected a command name after 'handle' in " + what + " (e.g. 'handle CreateAccount -> AccountCreated').");
            command = new NameSyntax(string.Empty, new SourceSpan(keyword.End, 0));
            return new HandleSyntax(command, events, SpanFrom(keyword));
        }

        if (Current.Kind == TokenKind.Arrow)
        {
            Advance();
            ParseNameList(events, "event", "'->'", what, AggregateClauses);
        }
        else
        {
            var sameLine = !Current.NewLineBefore && Current.Kind == TokenKind.Identifier && !IsDeclarationStart(_pos);
            Report(sameLine || Current.Kind != TokenKind.EndOfFile && !Current.NewLineBefore ? Current.Span : command.Span,
                "Expected '->' after 'handle " + Shorten(command.Text) + "' in " + what + ", then the events it may emit (e.g. 'handle " + Shorten(command.Text) + " -> SomethingHappened').");
            if (sameLine) ParseNameList(events, "event", "'->'", what, AggregateClauses);
        }
        return new HandleSyntax(command, events, SpanFrom(keyword));
    }

    /// <summary>Parses <c>A, B, C</c>; the list ends at the first name not preceded by a comma.</summary>
    private void ParseNameList(List<NameSyntax> into, string itemKind, string after, string what, string[] clauses)
    {
        if (!IsListItem(clauses))
        {
            Report(Current.Kind == TokenKind.EndOfFile || Current.NewLineBefore ? new SourceSpan(_lastEnd, 0) : Current.Span,
                "Expected " + Article(itemKind) + " name after " + after + " in " + what + ", found " + Describe(Current) + ".");
            return;
        }
        while (true)
        {
            var token = Advance();
            into.Add(new NameSyntax(token.Text, token.Span));
            if (Current.Kind == TokenKind.Comma)
            {
                var comma = Advance();
                if (IsListItem(clauses)) continue;
                Report(Current.Kind == TokenKind.EndOfFile || Current.NewLineBefore ? comma.Span : Current.Span,
                    "Expected " + Article(itemKind) + " name after ',' in " + what + ", found " + Describe(Current) + ": remove the trailing comma or add the name.");
                return;
            }
            if (Current.Kind == TokenKind.Identifier && !Current.NewLineBefore && IsListItem(clauses))
            {
                Report(Current.Span, "Expected ',' between '" + Shorten(token.Text) + "' and '" + Shorten(Current.Text) + "' in " + what + ".");
                continue;
            }
            return;
        }
    }

    private bool IsListItem(string[] clauses) =>
        Current.Kind == TokenKind.Identifier
        && !IsDeclarationStart(_pos)
        && !(Current.NewLineBefore && Array.IndexOf(clauses, Current.Text) >= 0);
}
