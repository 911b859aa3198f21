using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Parsing;

/// <summary>
/// Recursive-descent parser over the token list. Every loop consumes a token or stops, recursion
/// happens only in type references and is bounded, so any input parses in linear time. On an
/// unexpected token it reports CC0001 with a hint and skips to the next place it can resume at:
/// a comma, a closing brace, a clause keyword or the next top-level declaration.
/// </summary>
internal sealed class Parser
{
    internal const int MaxTypeDepth = 64;
    internal const int MaxSyntaxDiagnostics = 500;

    private static readonly HashSet<string> TopLevelKeywords = new(StringComparer.Ordinal)
    {
        "command", "event", "record", "enum", "aggregate", "projector", "process", "gateway", "upcast",
    };

    private static readonly string[] AggregateClauses = { "key", "state", "handle" };
    private static readonly string[] ProcessClauses = { "key", "state", "start", "on", "end", "send" };
    private static readonly string[] ProjectorClauses = { "on" };
    private static readonly string[] GatewayClauses = { "on", "emit" };
    private static readonly string[] NoClauses = Array.Empty<string>();

    private readonly string _text;
    private readonly string _path;
    private readonly List<Token> _tokens;
    private readonly List<SchemaDiagnostic> _diagnostics;
    private int _pos;
    private int _lastEnd;
    private bool _typeTooDeep;
    private bool _tooManyReported;

    public Parser(string text, string path)
    {
        _text = text;
        _path = path;
        _diagnostics = new List<SchemaDiagnostic>();
        _tokens = Lexer.Tokenize(text, _diagnostics);
    }

    private Token Current => _tokens[_pos];

    private Token Peek(int n) => _tokens[Math.Min(_pos + n, _tokens.Count - 1)];

    private bool AtEnd => Current.Kind == TokenKind.EndOfFile;

    private Token Advance()
    {
        var token = Current;
        if (_pos < _tokens.Count - 1)
        {
            _pos++;
            _lastEnd = token.End;
        }
        return token;
    }

    public SchemaFile Parse()
    {
        var declarations = new List<DeclarationSyntax>();
        NameSyntax? ns = null;

        if (IsKeyword(Current, "namespace"))
        {
            ns = ParseNamespace();
        }
        else
        {
            var at = AtEnd ? new SourceSpan(0, 0) : Current.Span;
            Report(at, "The file has no namespace: start it with a namespace declaration such as 'namespace Bank;' (it becomes the C# namespace of the generated code).");
        }

        while (!AtEnd)
        {
            var token = Current;
            if (IsKeyword(token, "namespace"))
            {
                var start = token.Span;
                var parsed = ParseNamespace();
                if (ns is null)
                {
                    Report(start, "The namespace declaration must come first in the file: move 'namespace " + Shorten(parsed?.Text ?? "") + ";' above every other declaration.");
                    ns = parsed;
                }
                else
                {
                    Report(start, "A file has one namespace; it is already '" + Shorten(ns.Text) + "'. Remove this second namespace declaration.");
                }
                continue;
            }
            if (token.Kind == TokenKind.Identifier && TopLevelKeywords.Contains(token.Text))
            {
                var declaration = ParseDeclaration();
                if (declaration is not null) declarations.Add(declaration);
                continue;
            }
            if (token.Kind == TokenKind.Semicolon)
            {
                Advance();
                continue;
            }

            Report(token.Span, "Unexpected " + Describe(token) + " at the top level: expected a declaration (command, event, record, enum, aggregate, projector, process, gateway or upcast).");
            Advance();
            SkipTopLevel();
        }

        return new SchemaFile(_path, ns, declarations, _diagnostics, new LineMap(_text));
    }

    // ---- namespace --------------------------------------------------------------------------

    private NameSyntax? ParseNamespace()
    {
        Advance(); // namespace
        if (Current.Kind != TokenKind.Identifier)
        {
            Report(Current.Span, "Expected the namespace's name after 'namespace', found " + Describe(Current) + " (e.g. 'namespace Bank;').");
            if (Current.Kind == TokenKind.Semicolon) Advance();
            return null;
        }
        var first = Advance();
        var sb = new StringBuilder(first.Text);
        var span = first.Span;
        while (Current.Kind == TokenKind.Dot)
        {
            Advance();
            if (Current.Kind != TokenKind.Identifier || IsDeclarationStart(_pos))
            {
                Report(Current.Span, "Expected a name after '.' in namespace '" + Shorten(sb.ToString()) + "', found " + Describe(Current) + ".");
                break;
            }
            var part = Advance();
            sb.Append('.').Append(part.Text);
            span = SourceSpan.Cover(span, part.Span);
        }
        var name = new NameSyntax(sb.ToString(), span);
        if (Current.Kind == TokenKind.Semicolon)
        {
            Advance();
        }
        else
        {
            Report(Current.Kind == TokenKind.EndOfFile || Current.NewLineBefore ? new SourceSpan(_lastEnd, 0) : Current.Span,
                "Expected ';' after namespace '" + Shorten(name.Text) + "'.");
            if (!Current.NewLineBefore && !AtEnd) SkipTopLevel();
        }
        return name;
    }

    // ---- declarations -----------------------------------------------------------------------

    private DeclarationSyntax? ParseDeclaration()
    {
        var keyword = Current;
        switch (keyword.Text)
        {
            case "command": return ParseMessage(DeclarationKind.Command);
            case "event": return ParseMessage(DeclarationKind.Event);
            case "record": return ParseMessage(DeclarationKind.Record);
            case "enum": return ParseEnum();
            case "aggregate": return ParseAggregate();
            case "projector": return ParseProjector();
            case "process": return ParseProcess();
            case "gateway": return ParseGateway();
            case "upcast": return ParseUpcast();
            default:
                Advance();
                return null;
        }
    }

    private NameSyntax ParseDeclarationName(string keyword)
    {
        if (Current.Kind == TokenKind.Identifier && !IsDeclarationStart(_pos))
        {
            var token = Advance();
            return new NameSyntax(token.Text, token.Span);
        }
        Report(Current.Span, "Expected a name after '" + keyword + "', found " + Describe(Current) + " (e.g. '" + keyword + " " + ExampleName(keyword) + "').");
        return new NameSyntax(string.Empty, new SourceSpan(Current.Start, 0));
    }

    private MessageSyntax ParseMessage(DeclarationKind kind)
    {
        var keyword = Advance();
        var keywordText = keyword.Text;
        var name = ParseDeclarationName(keywordText);
        var what = keywordText + " '" + Shorten(name.Text) + "'";

        int? version = null;
        SourceSpan? versionSpan = null;
        if (Current.Kind == TokenKind.Identifier && IsVersionText(Current.Text))
        {
            var versionToken = Advance();
            var parsed = ParseVersion(versionToken);
            if (kind == DeclarationKind.Event)
            {
                version = parsed;
                versionSpan = versionToken.Span;
            }
            else
            {
                Report(versionToken.Span, "Only events are versioned: remove '" + Shorten(versionToken.Text) + "' from " + what + ".");
            }
        }

        var fields = new List<FieldSyntax>();
        if (ExpectOpenBrace(what, allowFieldStart: true))
        {
            ParseFieldList(fields, what);
        }
        return new MessageSyntax(kind, name, keyword.Doc, SpanFrom(keyword), version, versionSpan, fields);
    }

    private EnumSyntax ParseEnum()
    {
        var keyword = Advance();
        var name = ParseDeclarationName("enum");
        var what = "enum '" + Shorten(name.Text) + "'";
        var members = new List<EnumMemberSyntax>();
        if (ExpectOpenBrace(what, allowFieldStart: false))
        {
            while (true)
            {
                var token = Current;
                if (token.Kind == TokenKind.CloseBrace) { Advance(); break; }
                if (token.Kind == TokenKind.EndOfFile || IsDeclarationStart(_pos))
                {
                    Report(token.Span, "Expected '}' to close " + what + ", found " + Describe(token) + ".");
                    break;
                }
                if (token.Kind == TokenKind.Identifier)
                {
                    // 'fallback Name' marks the member unknown stored values read as; 'fallback' alone is a member's name.
                    var fallback = token.Text == "fallback" && Peek(1).Kind == TokenKind.Identifier;
                    var start = token;
                    if (fallback)
                    {
                        Advance();
                        token = Current;
                    }
                    Advance();
                    members.Add(new EnumMemberSyntax(new NameSyntax(token.Text, token.Span), start.Doc, SpanFrom(start), fallback));
                    if (Current.Kind == TokenKind.Comma) { Advance(); continue; }
                    if (Current.Kind == TokenKind.Identifier && !IsDeclarationStart(_pos))
                    {
                        Report(Current.Span, "Expected ',' between the members '" + Shorten(token.Text) + "' and '" + Shorten(Current.Text) + "' of " + what + ".");
                    }
                    continue;
                }
                Report(token.Span, "Unexpected " + Describe(token) + " in " + what + ": expected a member name, ',' or '}'.");
                Advance();
                SkipTo(stopAtComma: true, stopAtCloseBrace: true, clauses: NoClauses, stopAtFieldStart: false);
                if (Current.Kind == TokenKind.Comma) Advance();
            }
        }
        return new EnumSyntax(name, keyword.Doc, SpanFrom(keyword), members);
    }

    private AggregateSyntax ParseAggregate()
    {
        var keyword = Advance();
        var name = ParseDeclarationName("aggregate");
        var what = "aggregate '" + Shorten(name.Text) + "'";
        NameSyntax? key = null;
        List<FieldSyntax>? state = null;
        var handles = new List<HandleSyntax>();
        ParseComponentBody(what, AggregateClauses, clause =>
        {
            switch (clause.Text)
            {
                case "key":
                    ParseKey(what, ref key);
                    break;
                case "state":
                    ParseState(what, ref state);
                    break;
                case "handle":
                    handles.Add(ParseHandle(what));
                    break;
            }
        });
        return new AggregateSyntax(name, keyword.Doc, SpanFrom(keyword), key, (IReadOnlyList<FieldSyntax>?)state ?? Array.Empty<FieldSyntax>(), handles);
    }

    private ProjectorSyntax ParseProjector()
    {
        var keyword = Advance();
        var name = ParseDeclarationName("projector");
        var what = "projector '" + Shorten(name.Text) + "'";
        var on = new List<NameSyntax>();
        ParseComponentBody(what, ProjectorClauses, _ =>
        {
            Advance();
            ParseNameList(on, "event", "'on'", what, ProjectorClauses);
        });
        return new ProjectorSyntax(name, keyword.Doc, SpanFrom(keyword), on);
    }

    private ProcessSyntax ParseProcess()
    {
        var keyword = Advance();
        var name = ParseDeclarationName("process");
        var what = "process '" + Shorten(name.Text) + "'";
        NameSyntax? key = null;
        List<FieldSyntax>? state = null;
        var startOn = new List<NameSyntax>();
        var on = new List<NameSyntax>();
        var endOn = new List<NameSyntax>();
        var send = new List<NameSyntax>();
        ParseComponentBody(what, ProcessClauses, clause =>
        {
            switch (clause.Text)
            {
                case "key":
                    ParseKey(what, ref key);
                    break;
                case "state":
                    ParseState(what, ref state);
                    break;
                case "start":
                case "end":
                    Advance();
                    if (IsKeyword(Current, "on"))
                    {
                        Advance();
                    }
                    else
                    {
                        Report(Current.Span, "Expected 'on' after '" + clause.Text + "' in " + what + " (write '" + clause.Text + " on EventName').");
                    }
                    ParseNameList(clause.Text == "start" ? startOn : endOn, "event", "'" + clause.Text + " on'", what, ProcessClauses);
                    break;
                case "on":
                    Advance();
                    ParseNameList(on, "event", "'on'", what, ProcessClauses);
                    break;
                case "send":
                    Advance();
                    ParseNameList(send, "command", "'send'", what, ProcessClauses);
                    break;
            }
        });
        return new ProcessSyntax(name, keyword.Doc, SpanFrom(keyword), key,
            (IReadOnlyList<FieldSyntax>?)state ?? Array.Empty<FieldSyntax>(), startOn, on, endOn, send);
    }

    private GatewaySyntax ParseGateway()
    {
        var keyword = Advance();
        var name = ParseDeclarationName("gateway");
        var what = "gateway '" + Shorten(name.Text) + "'";
        var on = new List<NameSyntax>();
        var emit = new List<NameSyntax>();
        ParseComponentBody(what, GatewayClauses, clause =>
        {
            Advance();
            if (clause.Text == "on") ParseNameList(on, "event", "'on'", what, GatewayClauses);
            else ParseNameList(emit, "event", "'emit'", what, GatewayClauses);
        });
        return new GatewaySyntax(name, keyword.Doc, SpanFrom(keyword), on, emit);
    }

    private UpcastSyntax ParseUpcast()
    {
        var keyword = Advance();
        var name = ParseDeclarationName("upcast");
        var what = "upcast of '" + Shorten(name.Text) + "'";
        int? from = null, to = null;
        if (Current.Kind == TokenKind.Identifier && IsVersionText(Current.Text) && !IsDeclarationStart(_pos))
        {
            from = ParseVersion(Advance());
            if (Current.Kind == TokenKind.Arrow)
            {
                Advance();
                if (Current.Kind == TokenKind.Identifier && IsVersionText(Current.Text) && !IsDeclarationStart(_pos))
                {
                    to = ParseVersion(Advance());
                }
                else
                {
                    Report(Current.Span, "Expected the target version after '->' in " + what + ", found " + Describe(Current) + " (e.g. 'upcast " + ExampleOr(name.Text, "AccountCreated") + " v1 -> v2').");
                }
            }
            else
            {
                Report(Current.Span, "Expected '->' after the source version in " + what + ", found " + Describe(Current) + " (e.g. 'upcast " + ExampleOr(name.Text, "AccountCreated") + " v1 -> v2').");
            }
        }
        else
        {
            Report(Current.Span, "Expected a version such as 'v1' after " + what + ", found " + Describe(Current) + " (e.g. 'upcast " + ExampleOr(name.Text, "AccountCreated") + " v1 -> v2').");
        }
        var span = SpanFrom(keyword);
        if (Current.Kind == TokenKind.Semicolon) Advance();
        else if (!AtEnd && !Current.NewLineBefore && !IsDeclarationStart(_pos))
        {
            Report(Current.Span, "Unexpected " + Describe(Current) + " after " + what + ": an upcast is one line, 'upcast Event vN -> vN+1'.");
            Advance();
            SkipTopLevel();
        }
        return new UpcastSyntax(name, keyword.Doc, span, from, to);
    }

    // ---- component bodies -------------------------------------------------------------------

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

    // ---- fields and types -------------------------------------------------------------------

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

    // ---- helpers ----------------------------------------------------------------------------

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
