using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Workspace;

/// <summary>What a name in a schema file is.</summary>
internal enum OccurrenceRole
{
    /// <summary>The name of a command, event, record, enum or component where it is declared.</summary>
    Declaration,
    /// <summary>A record or enum named as a field's type.</summary>
    TypeReference,
    /// <summary>A built-in type (<c>string</c>, <c>timestamp</c>…) named as a field's type.</summary>
    BuiltInType,
    /// <summary>A command named after <c>handle</c> or <c>send</c>.</summary>
    CommandReference,
    /// <summary>An event named after <c>-&gt;</c>, <c>on</c>, <c>start on</c>, <c>end on</c>, <c>emit</c> or <c>upcast</c>.</summary>
    EventReference,
    /// <summary>A field where it is declared, in a message, record or state.</summary>
    Field,
    /// <summary>The field named by a component's <c>key</c>.</summary>
    Key,
    /// <summary>An enum member.</summary>
    EnumMember,
    /// <summary>The file's namespace.</summary>
    Namespace,
}

/// <summary>One name in a file: where, what, and for fields and members the declaration that holds it.</summary>
/// <param name="Span">Where the name is written.</param>
/// <param name="Name">The name.</param>
/// <param name="Role">What it is.</param>
/// <param name="Declaration">The top-level declaration the name is in (null for the namespace).</param>
internal sealed record Occurrence(SourceSpan Span, string Name, OccurrenceRole Role, DeclarationSyntax? Declaration);

/// <summary>Every name of one parsed file in file order, found by position with a binary search.</summary>
internal sealed class SymbolIndex
{
    private readonly Occurrence[] _occurrences;

    public SymbolIndex(SchemaFile file)
    {
        var list = new List<Occurrence>();
        if (file.Namespace is { IsMissing: false } ns) list.Add(new Occurrence(ns.Span, ns.Text, OccurrenceRole.Namespace, null));
        foreach (var declaration in file.Declarations)
        {
            if (declaration is UpcastSyntax) Add(list, declaration.Name, OccurrenceRole.EventReference, declaration);
            else Add(list, declaration.Name, OccurrenceRole.Declaration, declaration);
            switch (declaration)
            {
                case MessageSyntax message:
                    AddFields(list, message.Fields, declaration);
                    break;
                case EnumSyntax @enum:
                    foreach (var member in @enum.Members) Add(list, member.Name, OccurrenceRole.EnumMember, declaration);
                    break;
                case AggregateSyntax aggregate:
                    if (aggregate.Key is { } key) Add(list, key, OccurrenceRole.Key, declaration);
                    AddFields(list, aggregate.State, declaration);
                    foreach (var handle in aggregate.Handles)
                    {
                        Add(list, handle.Command, OccurrenceRole.CommandReference, declaration);
                        foreach (var e in handle.Events) Add(list, e, OccurrenceRole.EventReference, declaration);
                    }
                    break;
                case ProjectorSyntax projector:
                    foreach (var e in projector.On) Add(list, e, OccurrenceRole.EventReference, declaration);
                    break;
                case ProcessSyntax process:
                    if (process.Key is { } processKey) Add(list, processKey, OccurrenceRole.Key, declaration);
                    AddFields(list, process.State, declaration);
                    foreach (var e in process.StartOn.Concat(process.On).Concat(process.EndOn)) Add(list, e, OccurrenceRole.EventReference, declaration);
                    foreach (var c in process.Send) Add(list, c, OccurrenceRole.CommandReference, declaration);
                    break;
                case GatewaySyntax gateway:
                    foreach (var e in gateway.On.Concat(gateway.Emit)) Add(list, e, OccurrenceRole.EventReference, declaration);
                    foreach (var c in gateway.Send) Add(list, c, OccurrenceRole.CommandReference, declaration);
                    break;
            }
        }
        list.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        _occurrences = list.ToArray();
    }

    public IReadOnlyList<Occurrence> All => _occurrences;

    /// <summary>The name at or just before <paramref name="offset"/> (a cursor right after a word is on it).</summary>
    public Occurrence? At(int offset)
    {
        int lo = 0, hi = _occurrences.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (_occurrences[mid].Span.Start <= offset) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (found < 0) return null;
        var occurrence = _occurrences[found];
        return offset <= occurrence.Span.End ? occurrence : null;
    }

    private static void AddFields(List<Occurrence> list, IReadOnlyList<FieldSyntax> fields, DeclarationSyntax owner)
    {
        foreach (var field in fields)
        {
            Add(list, field.Name, OccurrenceRole.Field, owner);
            if (field.Type is { } type) AddType(list, type, owner, 0);
        }
    }

    private static void AddType(List<Occurrence> list, TypeSyntax type, DeclarationSyntax owner, int depth)
    {
        if (depth > 64) return;
        if (type.Kind == TypeSyntaxKind.Named && type.Name is { } name)
        {
            var role = name.Text is "list" or "map" || BuiltIns.IsBuiltInType(name.Text) ? OccurrenceRole.BuiltInType : OccurrenceRole.TypeReference;
            Add(list, name, role, owner);
        }
        else if (type.Kind is TypeSyntaxKind.List or TypeSyntaxKind.Map)
        {
            // The 'list'/'map' keyword is the first word of the type's span.
            var keyword = type.Kind == TypeSyntaxKind.List ? "list" : "map";
            list.Add(new Occurrence(new SourceSpan(type.Span.Start, keyword.Length), keyword, OccurrenceRole.BuiltInType, owner));
        }
        foreach (var argument in type.Arguments) AddType(list, argument, owner, depth + 1);
    }

    private static void Add(List<Occurrence> list, NameSyntax? name, OccurrenceRole role, DeclarationSyntax? owner)
    {
        if (name is null || name.IsMissing) return;
        list.Add(new Occurrence(name.Span, name.Text, role, owner));
    }
}
