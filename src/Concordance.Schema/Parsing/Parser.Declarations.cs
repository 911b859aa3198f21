using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Parsing;

// Declarations: messages, enums, the four components and upcasts.
internal sealed partial class Parser
{
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
        int? version = null;
        SourceSpan? versionSpan = null;
        if (Current.Kind == TokenKind.Identifier && IsVersionText(Current.Text))
        {
            var versionToken = Advance();
            version = ParseVersion(versionToken);
            versionSpan = versionToken.Span;
        }
        var on = new List<NameSyntax>();
        ParseComponentBody(what, ProjectorClauses, _ =>
        {
            Advance();
            ParseNameList(on, "event", "'on'", what, ProjectorClauses);
        });
        return new ProjectorSyntax(name, keyword.Doc, SpanFrom(keyword), on, version, versionSpan);
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
        var send = new List<NameSyntax>();
        ParseComponentBody(what, GatewayClauses, clause =>
        {
            Advance();
            switch (clause.Text)
            {
                case "on":
                    ParseNameList(on, "event", "'on'", what, GatewayClauses);
                    break;
                case "emit":
                    ParseNameList(emit, "event", "'emit'", what, GatewayClauses);
                    break;
                case "send":
                    ParseNameList(send, "command", "'send'", what, GatewayClauses);
                    break;
            }
        });
        return new GatewaySyntax(name, keyword.Doc, SpanFrom(keyword), on, emit, send);
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
}
