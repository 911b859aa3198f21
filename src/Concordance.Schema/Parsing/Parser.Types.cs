using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Parsing;

// Fields and types.
internal sealed partial class Parser
{
    /// <summary>Parses fields up to and including the closing brace.</summary>
    private void ParseFieldList(List<FieldSyntax> fields, string what, bool inState = false)
    {
        while (true)
        {
            var token = Current;
            if (token.Kind == TokenKind.CloseBrace) { Advance(); return; }
            if (token.Kind == TokenKind.EndOfFile || IsDeclarationStart(_pos) || IsClauseStartAfterBrokenBlock(inState))
            {
                Report(token.Span, "Expected '}' to close " + what + ", found " + Describe(token) + ".");
                return;
            }
            if (token.Kind == TokenKind.Identifier)
            {
                var reported = _diagnostics.Count;
                var field = ParseField(what);
                fields.Add(field);
                if (Current.Kind == TokenKind.Comma) { Advance(); continue; }
                if (Current.Kind == TokenKind.CloseBrace) continue;
                if (Current.Kind == TokenKind.Identifier && !IsDeclarationStart(_pos) && !IsClauseStartAfterBrokenBlock(inState))
                {
                    // A field that already failed gets no second 'missing comma' report.
                    if (_diagnostics.Count == reported) Report(Current.Span, "Expected ',' after field '" + Shorten(field.Name.Text) + "' in " + what + " (fields are separated by commas).");
                    continue;
                }
                if (Current.Kind == TokenKind.EndOfFile || IsDeclarationStart(_pos) || IsClauseStartAfterBrokenBlock(inState)) continue;
                Report(Current.Span, "Unexpected " + Describe(Current) + " after field '" + Shorten(field.Name.Text) + "' in " + what + ": expected ',' or '}'.");
                Advance();
                SkipTo(stopAtComma: true, stopAtCloseBrace: true, NoClauses, stopAtFieldStart: true);
                if (Current.Kind == TokenKind.Comma) Advance();
                continue;
            }
            if (token.Kind == TokenKind.Comma)
            {
                Report(token.Span, "Unexpected ',' in " + what + ": expected a field such as 'name: string'.");
                Advance();
                continue;
            }
            Report(token.Span, "Unexpected " + Describe(token) + " in " + what + ": expected a field such as 'name: string', or '}'.");
            Advance();
            SkipTo(stopAtComma: true, stopAtCloseBrace: true, NoClauses, stopAtFieldStart: true);
            if (Current.Kind == TokenKind.Comma) Advance();
        }
    }

    /// <summary>
    /// Inside a state block, a line starting with a component clause keyword that cannot be a
    /// field (no ':' after it) means the block's '}' is missing.
    /// </summary>
    private bool IsClauseStartAfterBrokenBlock(bool inState)
    {
        var token = Current;
        return inState && token.Kind == TokenKind.Identifier && token.NewLineBefore && IsClauseKeywordOfAny(token.Text)
            && Peek(1).Kind != TokenKind.Colon;
    }

    private FieldSyntax ParseField(string what)
    {
        var nameToken = Advance();
        var name = new NameSyntax(nameToken.Text, nameToken.Span);
        TypeSyntax? type = null;
        if (Current.Kind == TokenKind.Colon)
        {
            Advance();
            type = ParseTypeOrReport(name, what);
        }
        else if (Current.Kind == TokenKind.Identifier && !Current.NewLineBefore && !IsDeclarationStart(_pos))
        {
            Report(Current.Span, "Expected ':' after field name '" + Shorten(name.Text) + "' in " + what + " (write '" + Shorten(name.Text) + ": " + Shorten(Current.Text) + "').");
            type = ParseTypeOrReport(name, what);
        }
        else
        {
            Report(Current.Kind == TokenKind.EndOfFile || Current.NewLineBefore ? nameToken.Span : Current.Span,
                "Expected ':' after field name '" + Shorten(name.Text) + "' in " + what + ", then its type (e.g. '" + Shorten(name.Text) + ": string').");
        }
        return new FieldSyntax(name, type, nameToken.Doc, SpanFrom(nameToken));
    }

    private TypeSyntax? ParseTypeOrReport(NameSyntax field, string what)
    {
        // 'name:' then a new line starting 'other:' is a missing type, not a type called 'other'.
        var nextFieldStarts = Current.NewLineBefore && Peek(1).Kind == TokenKind.Colon;
        if (Current.Kind != TokenKind.Identifier || IsDeclarationStart(_pos) || nextFieldStarts)
        {
            Report(Current.Kind == TokenKind.EndOfFile || Current.NewLineBefore ? new SourceSpan(_lastEnd, 0) : Current.Span,
                "Expected a type for field '" + Shorten(field.Text) + "' in " + what + ", found " + Describe(Current) + " (e.g. string, decimal, list<T>, map<string, T>).");
            return null;
        }
        _typeTooDeep = false;
        return ParseType(0, what);
    }

    private TypeSyntax? ParseType(int depth, string what)
    {
        var start = Current;
        if (depth > MaxTypeDepth)
        {
            Report(start.Span, "Type nesting too deep in " + what + ": at most " + MaxTypeDepth + " nested type arguments are allowed.");
            _typeTooDeep = true;
            SkipExcessTypeArguments(depth);
            return null;
        }
        if (start.Kind != TokenKind.Identifier || IsDeclarationStart(_pos))
        {
            Report(start.Kind == TokenKind.EndOfFile || start.NewLineBefore ? new SourceSpan(_lastEnd, 0) : start.Span,
                "Expected a type in " + what + ", found " + Describe(start) + ".");
            return null;
        }
        var nameToken = Advance();
        var name = new NameSyntax(nameToken.Text, nameToken.Span);
        TypeSyntax? type;
        if (Current.Kind == TokenKind.LessThan)
        {
            var open = Advance();
            var arguments = new List<TypeSyntax?>();
            arguments.Add(ParseType(depth + 1, what));
            while (Current.Kind == TokenKind.Comma && !_typeTooDeep)
            {
                Advance();
                arguments.Add(ParseType(depth + 1, what));
            }
            if (_typeTooDeep)
            {
                return null;
            }
            if (Current.Kind == TokenKind.GreaterThan)
            {
                Advance();
            }
            else
            {
                Report(Current.Kind == TokenKind.EndOfFile || Current.NewLineBefore ? open.Span : Current.Span,
                    "Expected '>' to close the type arguments of '" + Shorten(name.Text) + "' in " + what + ", found " + Describe(Current) + ".");
            }

            var valid = arguments.TrueForAll(a => a is not null);
            switch (name.Text)
            {
                case "list" when arguments.Count == 1:
                    type = valid ? new TypeSyntax(TypeSyntaxKind.List, name, new[] { arguments[0]! }, SpanFrom(nameToken)) : null;
                    break;
                case "map" when arguments.Count == 2:
                    type = valid ? new TypeSyntax(TypeSyntaxKind.Map, name, new[] { arguments[0]!, arguments[1]! }, SpanFrom(nameToken)) : null;
                    break;
                case "list":
                    Report(name.Span, "'list' takes one type argument: write list<T>, found " + arguments.Count + " in " + what + ".");
                    type = null;
                    break;
                case "map":
                    Report(name.Span, "'map' takes two type arguments: write map<string, T>, found " + arguments.Count + " in " + what + ".");
                    type = null;
                    break;
                default:
                    Report(name.Span, "'" + Shorten(name.Text) + "' takes no type arguments in " + what + ": only list<T> and map<string, T> are generic.");
                    type = null;
                    break;
            }
        }
        else
        {
            type = new TypeSyntax(TypeSyntaxKind.Named, name, Array.Empty<TypeSyntax>(), name.Span);
        }

        while (Current.Kind == TokenKind.Question)
        {
            Advance();
            if (type is not null) type = new TypeSyntax(TypeSyntaxKind.Nullable, null, new[] { type }, SpanFrom(nameToken));
        }
        return type;
    }

    /// <summary>
    /// Past the depth limit: drop the rest of the whole type, up to the '>' that closes the
    /// outermost argument list (<paramref name="open"/> lists are open), so no frame reports again.
    /// </summary>
    private void SkipExcessTypeArguments(int open)
    {
        var balance = open;
        while (balance > 0)
        {
            switch (Current.Kind)
            {
                case TokenKind.LessThan:
                    balance++;
                    break;
                case TokenKind.GreaterThan:
                    balance--;
                    break;
                case TokenKind.Identifier:
                    if (IsDeclarationStart(_pos)) return;
                    break;
                case TokenKind.Question:
                case TokenKind.Comma:
                    break;
                default:
                    return;
            }
            Advance();
        }
    }
}
