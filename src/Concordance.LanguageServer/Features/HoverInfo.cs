using System.Text;
using Concordance.LanguageServer.Protocol;
using Concordance.LanguageServer.Workspace;
using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Features;

/// <summary>Hover: the doc comment, the declaration as written, and the C# the generator writes for it.</summary>
internal static class HoverInfo
{
    private const int MaxDeclarationLines = 12;

    public static Hover? Describe(SchemaWorkspace workspace, (SchemaSource Source, int Offset) at)
    {
        var (source, offset) = at;
        if (source.Index.At(offset) is not { } occurrence) return null;
        var range = source.Lines.RangeOf(occurrence.Span);
        var text = new StringBuilder();
        switch (occurrence.Role)
        {
            case OccurrenceRole.BuiltInType:
                text.Append("built-in type `").Append(occurrence.Name).Append('`');
                if (BuiltIns.Types.ContainsKey(occurrence.Name)) Code(text, "csharp", CSharpSignatures.Named(occurrence.Name));
                break;
            case OccurrenceRole.Namespace:
                text.Append("namespace `").Append(occurrence.Name).Append("`: the C# namespace of the generated code");
                break;
            case OccurrenceRole.Field:
            case OccurrenceRole.Key:
                if (!Field(workspace, source, occurrence, text)) return null;
                break;
            case OccurrenceRole.EnumMember:
                text.Append("member of enum `").Append(occurrence.Declaration?.Name.Text).Append('`');
                Code(text, "csharp", occurrence.Declaration?.Name.Text + "." + occurrence.Name);
                break;
            default:
                var declarations = Symbols.DeclarationsOf(workspace, source, occurrence.Name);
                if (declarations.Count == 0) return null;
                var site = occurrence.Role == OccurrenceRole.Declaration ? new SymbolSite(source, occurrence) : declarations[0];
                Declaration(workspace, site, site.Occurrence.Declaration == declarations[0].Occurrence.Declaration, text);
                break;
        }
        return new Hover(new MarkupContent("markdown", text.ToString()), range);
    }

    private static void Declaration(SchemaWorkspace workspace, SymbolSite site, bool isLatest, StringBuilder text)
    {
        var declaration = site.Occurrence.Declaration!;
        if (declaration.Doc is { Length: > 0 } doc) text.Append(doc).Append("\n\n");
        Code(text, "concordance", Excerpt(site.Source.Text, declaration.Span));
        switch (declaration)
        {
            case MessageSyntax message:
                var lines = new List<string> { CSharpSignatures.Record(message, isLatest) };
                var scope = workspace.Scope(site.Source).ToList();
                foreach (var aggregate in scope.SelectMany(s => s.Syntax.Declarations).OfType<AggregateSyntax>())
                {
                    if (message.Kind == DeclarationKind.Command && aggregate.Handles.Any(h => h.Command.Text == message.Name.Text))
                    {
                        lines.Add("// " + GeneratedNamesText(aggregate) + ":");
                        lines.Add(CSharpSignatures.Handle(message.Name.Text, aggregate.Name.Text));
                    }
                    if (message.Kind == DeclarationKind.Event && isLatest && aggregate.Handles.Any(h => h.Events.Any(e => e.Text == message.Name.Text)))
                    {
                        lines.Add("// " + GeneratedNamesText(aggregate) + ":");
                        lines.Add(CSharpSignatures.Apply(message.Name.Text, aggregate.Name.Text));
                    }
                }
                Code(text, "csharp", string.Join("\n", lines));
                break;
            case EnumSyntax @enum:
                Code(text, "csharp", CSharpSignatures.Enum(@enum));
                break;
            case AggregateSyntax or ProjectorSyntax or ProcessSyntax or GatewaySyntax:
                var members = CSharpSignatures.Component(declaration).ToList();
                Code(text, "csharp", string.Join("\n", members.Take(1).Append("{").Concat(members.Skip(1)).Append("}")));
                break;
        }
    }

    private static string GeneratedNamesText(AggregateSyntax aggregate) => "in " + Concordance.Schema.GeneratedNames.AggregateBase(aggregate.Name.Text);

    private static bool Field(SchemaWorkspace workspace, SchemaSource source, Occurrence occurrence, StringBuilder text)
    {
        var sites = Symbols.SitesOf(workspace, source, occurrence).Where(s => s.Occurrence.Role == OccurrenceRole.Field).ToList();
        var field = (occurrence.Role == OccurrenceRole.Field ? new SymbolSite(source, occurrence) : sites.FirstOrDefault()) is { } site
            ? FindField(site.Occurrence) : null;
        if (occurrence.Role == OccurrenceRole.Key)
        {
            text.Append("key of ").Append(occurrence.Declaration!.Kind.ToString().ToLowerInvariant()).Append(" `").Append(occurrence.Declaration.Name.Text)
                .Append("`: the field of its messages that identifies one instance");
            if (field is null) return true;
            text.Append("\n\n");
        }
        if (field is null) return false;
        if (field.Doc is { Length: > 0 } doc) text.Append(doc).Append("\n\n");
        var owner = sites.FirstOrDefault(s => FindField(s.Occurrence) == field)?.Occurrence.Declaration ?? occurrence.Declaration!;
        var ownerType = owner is MessageSyntax ? owner.Name.Text : Concordance.Schema.GeneratedNames.State(owner.Name.Text);
        Code(text, "concordance", field.Name.Text + ": " + (field.Type is { } t ? Display(source, t) : "?"));
        Code(text, "csharp", "public " + CSharpSignatures.Type(field.Type) + " " + Concordance.Schema.GeneratedNames.PropertyName(field.Name.Text) + " { get; } // in " + ownerType);
        return true;
    }

    private static FieldSyntax? FindField(Occurrence occurrence) => occurrence.Declaration switch
    {
        MessageSyntax m => m.Fields.FirstOrDefault(f => f.Name.Span == occurrence.Span),
        AggregateSyntax a => a.State.FirstOrDefault(f => f.Name.Span == occurrence.Span),
        ProcessSyntax p => p.State.FirstOrDefault(f => f.Name.Span == occurrence.Span),
        _ => null,
    };

    private static string Display(SchemaSource source, TypeSyntax type) => Excerpt(source.Text, type.Span);

    private static string Excerpt(string text, SourceSpan span)
    {
        var start = Math.Clamp(span.Start, 0, text.Length);
        var length = Math.Clamp(span.Length, 0, text.Length - start);
        var lines = text.Substring(start, Math.Min(length, 4000)).Split('\n');
        var shown = lines.Take(MaxDeclarationLines).Select(l => l.TrimEnd('\r'));
        return string.Join("\n", shown) + (lines.Length > MaxDeclarationLines || length > 4000 ? "\n    …" : "");
    }

    private static void Code(StringBuilder text, string language, string code)
    {
        if (text.Length > 0 && text[^1] != '\n') text.Append("\n\n");
        text.Append("```").Append(language).Append('\n').Append(code).Append("\n```\n");
    }
}
