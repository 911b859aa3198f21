using Concordance.LanguageServer.Protocol;
using Concordance.LanguageServer.Workspace;
using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Features;

/// <summary>The document outline (declarations with their fields, members and clauses) and folding ranges.</summary>
internal static class Outline
{
    // LSP SymbolKind.
    private const int Namespace = 3, Class = 5, Property = 7, Field = 8, Enum = 10, Interface = 11, Struct = 23, Event = 24, EnumMember = 22, Operator = 25, Key = 20;

    public static DocumentSymbol[] Symbols(SchemaSource source)
    {
        var lines = source.Lines;
        var result = new List<DocumentSymbol>();
        foreach (var declaration in source.Syntax.Declarations)
        {
            if (declaration.Name.IsMissing) continue;
            var children = new List<DocumentSymbol>();
            switch (declaration)
            {
                case MessageSyntax message:
                    children.AddRange(Fields(lines, message.Fields));
                    break;
                case EnumSyntax @enum:
                    children.AddRange(@enum.Members.Where(m => !m.Name.IsMissing).Select(m =>
                        new DocumentSymbol(m.Name.Text, m.IsFallback ? "fallback" : null, EnumMember, lines.RangeOf(m.Span), lines.RangeOf(m.Name.Span), null)));
                    break;
                case AggregateSyntax aggregate:
                    if (aggregate.Key is { IsMissing: false } key) children.Add(Symbol("key " + key.Text, null, Key, lines, key.Span, key.Span));
                    children.AddRange(Fields(lines, aggregate.State));
                    children.AddRange(aggregate.Handles.Where(h => !h.Command.IsMissing).Select(h =>
                        Symbol("handle " + h.Command.Text, string.Join(", ", h.Events.Select(e => e.Text)), Operator, lines, h.Span, h.Command.Span)));
                    break;
                case ProcessSyntax process:
                    if (process.Key is { IsMissing: false } processKey) children.Add(Symbol("key " + processKey.Text, null, Key, lines, processKey.Span, processKey.Span));
                    children.AddRange(Fields(lines, process.State));
                    children.AddRange(Names(lines, "start on ", process.StartOn));
                    children.AddRange(Names(lines, "on ", process.On));
                    children.AddRange(Names(lines, "end on ", process.EndOn));
                    children.AddRange(Names(lines, "send ", process.Send));
                    break;
                case ProjectorSyntax projector:
                    children.AddRange(Names(lines, "on ", projector.On));
                    break;
                case GatewaySyntax gateway:
                    children.AddRange(Names(lines, "on ", gateway.On));
                    children.AddRange(Names(lines, "emit ", gateway.Emit));
                    children.AddRange(Names(lines, "send ", gateway.Send));
                    break;
            }
            var (kind, detail) = declaration switch
            {
                MessageSyntax { Kind: DeclarationKind.Command } => (Class, "command"),
                MessageSyntax { Kind: DeclarationKind.Event } m => (Event, "event" + (m.Version is { } v ? " v" + v : "")),
                MessageSyntax => (Struct, "record"),
                EnumSyntax => (Enum, "enum"),
                UpcastSyntax u => (Operator, "upcast v" + u.From + " -> v" + u.To),
                _ => (Interface, declaration.Kind.ToString().ToLowerInvariant()),
            };
            result.Add(new DocumentSymbol(declaration.Name.Text, detail, kind, lines.RangeOf(declaration.Span), lines.RangeOf(declaration.Name.Span), children.Count > 0 ? children.ToArray() : null));
        }
        if (source.Syntax.Namespace is { IsMissing: false } ns)
        {
            result.Insert(0, Symbol(ns.Text, "namespace", Namespace, lines, ns.Span, ns.Span));
        }
        return result.ToArray();
    }

    public static FoldingRange[] Folding(SchemaSource source)
    {
        var lines = source.Lines;
        var result = new List<FoldingRange>();
        void Add(SourceSpan span, string? kind = null)
        {
            var start = lines.PositionOf(span.Start).Line;
            var end = lines.PositionOf(span.End).Line;
            if (end > start) result.Add(new FoldingRange(start, end, kind));
        }
        foreach (var declaration in source.Syntax.Declarations)
        {
            Add(declaration.Span);
            if (declaration is MessageSyntax message)
            {
                foreach (var field in message.Fields) Add(field.Span);
            }
        }
        // Runs of comment lines fold too (doc comments above declarations, license headers).
        int? runStart = null;
        for (var line = 0; line < lines.LineCount; line++)
        {
            var text = source.Text.AsSpan(lines.LineStart(line), lines.LineEnd(line) - lines.LineStart(line)).TrimStart();
            if (text.StartsWith("//"))
            {
                runStart ??= line;
                continue;
            }
            if (runStart is { } s && line - 1 > s) result.Add(new FoldingRange(s, line - 1, "comment"));
            runStart = null;
        }
        return result.OrderBy(r => r.StartLine).ToArray();
    }

    private static IEnumerable<DocumentSymbol> Fields(TextLines lines, IReadOnlyList<FieldSyntax> fields) =>
        fields.Where(f => !f.Name.IsMissing).Select(f => new DocumentSymbol(f.Name.Text, f.Type is { } t ? CSharpSignatures.Type(t) : null, Field, lines.RangeOf(f.Span), lines.RangeOf(f.Name.Span), null));

    private static IEnumerable<DocumentSymbol> Names(TextLines lines, string prefix, IReadOnlyList<NameSyntax> names) =>
        names.Where(n => !n.IsMissing).Select(n => Symbol(prefix + n.Text, null, Property, lines, n.Span, n.Span));

    private static DocumentSymbol Symbol(string name, string? detail, int kind, TextLines lines, SourceSpan range, SourceSpan selection) =>
        new(name, detail, kind, lines.RangeOf(range), lines.RangeOf(selection), null);
}
