using Concordance.LanguageServer.Protocol;
using Concordance.LanguageServer.Workspace;
using Concordance.Schema;
using Concordance.Schema.Parsing;
using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Features;

/// <summary>
/// Completion by place: declaration keywords at the top level, clause keywords in a component, types after ':',
/// commands after <c>handle</c> and <c>send</c>, events after <c>-&gt;</c>, <c>on</c>, <c>start on</c>, <c>end on</c>,
/// <c>emit</c> and <c>upcast</c>, field names after <c>key</c>. The place is read from the parser's own tokens,
/// from the start of the declaration the cursor is in; the names come from the current tree and, for what a
/// half-typed word broke, the last tree without syntax errors.
/// </summary>
internal static class Completion
{
    private const int Keyword = 14, Class = 7, Struct = 22, Enum = 13, Event = 23, Field = 5, TypeParameter = 25;

    private enum Place { None, TopLevel, Clause, Type, Command, Event, KeyField, OnKeyword }

    public static CompletionList Complete(SchemaWorkspace workspace, (SchemaSource Source, int Offset) at)
    {
        var (source, offset) = at;
        var text = source.Text;
        offset = Math.Clamp(offset, 0, text.Length);
        var wordStart = offset;
        while (wordStart > 0 && Lexer.IsIdentifierPart(text[wordStart - 1])) wordStart--;
        if (InLineComment(source, wordStart)) return new CompletionList(false, []);

        var declaration = EnclosingDeclaration(source.Syntax, wordStart);
        var from = declaration?.Span.Start ?? 0;
        var tokens = Lexer.Tokenize(text.Substring(from, wordStart - from), new List<SchemaDiagnostic>());
        tokens.RemoveAt(tokens.Count - 1); // end of file
        var lineIsBlank = LineIsBlankBefore(text, wordStart);
        var place = Classify(tokens, lineIsBlank, out var opener);

        var items = new List<CompletionItem>();
        switch (place)
        {
            case Place.TopLevel:
                if (source.Syntax.Namespace is null) items.Add(Word("namespace"));
                items.AddRange(BuiltIns.TopLevel.Select(Word));
                break;
            case Place.Clause:
                var clauses = opener switch
                {
                    "aggregate" => BuiltIns.AggregateClauses,
                    "process" => BuiltIns.ProcessClauses,
                    "projector" => BuiltIns.ProjectorClauses,
                    "gateway" => BuiltIns.GatewayClauses,
                    _ => [],
                };
                items.AddRange(clauses.Select(Word));
                break;
            case Place.OnKeyword:
                items.Add(Word("on"));
                break;
            case Place.Type:
                items.AddRange(BuiltIns.Types.Select(t => new CompletionItem(t.Key, TypeParameter, "built-in: " + CSharpSignatures.Named(t.Key), SortText: "1" + t.Key)));
                items.Add(new CompletionItem("list", Keyword, "list<T>: IReadOnlyList<T>", SortText: "2list", InsertText: "list<"));
                items.Add(new CompletionItem("map", Keyword, "map<string, T>: IReadOnlyDictionary<string, T>", SortText: "2map", InsertText: "map<string, "));
                items.AddRange(Names(workspace, source, d => d.Kind is DeclarationKind.Record or DeclarationKind.Enum, _ => "0"));
                break;
            case Place.Command:
                var handled = HandledCommands(workspace, source);
                // After 'handle', commands no aggregate handles yet come first; after 'send', the handled ones.
                items.AddRange(Names(workspace, source, d => d.Kind == DeclarationKind.Command,
                    d => (handled.Contains(d.Name.Text) ^ (opener == "send")) ? "1" : "0"));
                break;
            case Place.Event:
                var emitted = EmittedEvents(workspace, source);
                items.AddRange(Names(workspace, source, d => d.Kind == DeclarationKind.Event,
                    d => (emitted.Contains(d.Name.Text) ^ (opener is "->" or "emit")) ? "0" : "1"));
                break;
            case Place.KeyField:
                items.AddRange(KeyFields(workspace, source, declaration));
                break;
        }
        return new CompletionList(false, items.ToArray());
    }

    /// <summary>Where the cursor is, from the tokens of its declaration up to the word being typed.</summary>
    private static Place Classify(List<Token> tokens, bool lineIsBlank, out string? opener)
    {
        opener = null;
        var depth = 0;
        var angle = 0;
        string? declarationKeyword = null;
        string? blockKind = null; // what the innermost open brace belongs to: a declaration keyword or 'state'
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (i == 0 && t.Kind == TokenKind.Identifier) declarationKeyword = t.Text;
            if (t.Kind == TokenKind.OpenBrace)
            {
                depth++;
                blockKind = depth == 1 ? declarationKeyword : i > 0 && tokens[i - 1].Text == "state" ? "state" : "fields";
                angle = 0;
            }
            else if (t.Kind == TokenKind.CloseBrace)
            {
                depth = Math.Max(0, depth - 1);
                blockKind = depth == 1 ? declarationKeyword : depth == 0 ? null : blockKind;
                angle = 0;
            }
            else if (t.Kind == TokenKind.LessThan) angle++;
            else if (t.Kind == TokenKind.GreaterThan) angle = Math.Max(0, angle - 1);
        }

        var last = tokens.Count > 0 ? tokens[^1] : default;
        var lastText = tokens.Count > 0 ? last.Text : null;
        if (depth == 0)
        {
            if (tokens.Count == 0 || last.Kind is TokenKind.CloseBrace or TokenKind.Semicolon || lineIsBlank) return Place.TopLevel;
            if (lastText == "upcast") { opener = "upcast"; return Place.Event; }
            return Place.None;
        }

        opener = blockKind;
        if (blockKind is "command" or "event" or "record" or "state" or "fields")
        {
            if (last.Kind is TokenKind.Colon or TokenKind.LessThan) return Place.Type;
            if (last.Kind == TokenKind.Comma && angle > 0) return Place.Type;
            return Place.None;
        }
        if (blockKind is not ("aggregate" or "process" or "projector" or "gateway")) return Place.None;

        // A name list: walk back over 'Name ,' pairs to what opened it.
        var k = tokens.Count - 1;
        if (k >= 0 && tokens[k].Kind == TokenKind.Comma)
        {
            while (k >= 1 && tokens[k].Kind == TokenKind.Comma && tokens[k - 1].Kind == TokenKind.Identifier) k -= 2;
        }
        var head = k >= 0 ? tokens[k] : default;
        var headText = k >= 0 ? head.Text : null;
        switch (head.Kind == TokenKind.Arrow ? "->" : headText)
        {
            case "->":
                opener = "->";
                return Place.Event;
            case "handle" when k == tokens.Count - 1:
                opener = "handle";
                return Place.Command;
            case "send":
                opener = "send";
                return Place.Command;
            case "emit":
                opener = "emit";
                return Place.Event;
            case "on":
                opener = "on";
                return Place.Event;
            case "key" when k == tokens.Count - 1:
                return Place.KeyField;
            case "start" or "end" when k == tokens.Count - 1 && blockKind == "process":
                return Place.OnKeyword;
        }
        return lineIsBlank || last.Kind is TokenKind.OpenBrace or TokenKind.Semicolon ? Place.Clause : Place.None;
    }

    private static IEnumerable<CompletionItem> Names(SchemaWorkspace workspace, SchemaSource source, Func<DeclarationSyntax, bool> filter, Func<DeclarationSyntax, string> rank)
    {
        var scope = workspace.Scope(source).ToList();
        var declarations = Symbols.Declarations(scope);
        // Names a half-typed word broke are still offered, from the last tree without syntax errors.
        foreach (var old in source.LastGood.Declarations)
        {
            if (old is not UpcastSyntax && !old.Name.IsMissing && !declarations.ContainsKey(old.Name.Text)) declarations[old.Name.Text] = old;
        }
        foreach (var declaration in declarations.Values.Where(filter))
        {
            var kind = declaration.Kind switch
            {
                DeclarationKind.Command => Class,
                DeclarationKind.Event => Event,
                DeclarationKind.Record => Struct,
                DeclarationKind.Enum => Enum,
                _ => Class,
            };
            var detail = declaration.Kind.ToString().ToLowerInvariant() + (declaration is MessageSyntax { Version: { } v } ? " v" + v : "");
            var doc = declaration.Doc is { Length: > 0 } d ? new MarkupContent("markdown", d) : null;
            yield return new CompletionItem(declaration.Name.Text, kind, detail, doc, SortText: rank(declaration) + declaration.Name.Text);
        }
    }

    private static HashSet<string> HandledCommands(SchemaWorkspace workspace, SchemaSource source) =>
        workspace.Scope(source).SelectMany(s => s.Syntax.Declarations).OfType<AggregateSyntax>()
            .SelectMany(a => a.Handles).Select(h => h.Command.Text).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> EmittedEvents(SchemaWorkspace workspace, SchemaSource source) =>
        workspace.Scope(source).SelectMany(s => s.Syntax.Declarations)
            .SelectMany(d => d switch
            {
                AggregateSyntax a => a.Handles.SelectMany(h => h.Events),
                GatewaySyntax g => g.Emit,
                _ => [],
            })
            .Select(n => n.Text).ToHashSet(StringComparer.Ordinal);

    /// <summary>The fields of the component's messages: those every message has first.</summary>
    private static IEnumerable<CompletionItem> KeyFields(SchemaWorkspace workspace, SchemaSource source, DeclarationSyntax? component)
    {
        if (component is null) yield break;
        var declarations = Symbols.Declarations(workspace.Scope(source));
        var messages = Symbols.KeyedMessages(component)
            .Select(n => declarations.TryGetValue(n.Text, out var d) ? d as MessageSyntax : null)
            .OfType<MessageSyntax>()
            .Distinct()
            .ToList();
        var counts = new Dictionary<string, (int Count, FieldSyntax Field)>(StringComparer.Ordinal);
        foreach (var field in messages.SelectMany(m => m.Fields.DistinctBy(f => f.Name.Text)))
        {
            counts[field.Name.Text] = counts.TryGetValue(field.Name.Text, out var c) ? (c.Count + 1, c.Field) : (1, field);
        }
        foreach (var (name, (count, field)) in counts)
        {
            yield return new CompletionItem(name, Field, (field.Type is { } t ? CSharpSignatures.Type(t) : "?") + ", in " + count + " of " + messages.Count + " messages",
                SortText: (count == messages.Count ? "0" : "1") + name);
        }
    }

    private static CompletionItem Word(string keyword) => new(keyword, Keyword, SortText: "0" + keyword);

    /// <summary>The last declaration that starts before <paramref name="offset"/>: the cursor is in it or after it.</summary>
    private static DeclarationSyntax? EnclosingDeclaration(SchemaFile file, int offset)
    {
        var declarations = file.Declarations;
        int lo = 0, hi = declarations.Count - 1;
        DeclarationSyntax? found = null;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (declarations[mid].Span.Start < offset) { found = declarations[mid]; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    private static bool LineIsBlankBefore(string text, int offset)
    {
        for (var i = offset - 1; i >= 0 && text[i] != '\n' && text[i] != '\r'; i--)
        {
            if (!char.IsWhiteSpace(text[i])) return false;
        }
        return true;
    }

    private static bool InLineComment(SchemaSource source, int offset)
    {
        var line = source.Lines.PositionOf(offset).Line;
        var start = source.Lines.LineStart(line);
        return source.Text.AsSpan(start, offset - start).IndexOf("//", StringComparison.Ordinal) >= 0;
    }
}
