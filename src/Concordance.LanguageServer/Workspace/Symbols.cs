using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Workspace;

/// <summary>A name somewhere in the workspace.</summary>
internal sealed record SymbolSite(SchemaSource Source, Occurrence Occurrence);

/// <summary>
/// What names mean across files. A top-level name means the declaration of that name among the files of its scope
/// (the same project and namespace, the scope the build checks for duplicates). A field is one field of one message,
/// except the field a <c>key</c> names: that is one field carried by every message of the component (and of any
/// component that shares those messages and key), so renaming it renames it everywhere the key needs it.
/// </summary>
internal static class Symbols
{
    public static bool IsTopLevel(OccurrenceRole role) =>
        role is OccurrenceRole.Declaration or OccurrenceRole.TypeReference or OccurrenceRole.CommandReference or OccurrenceRole.EventReference;

    /// <summary>Every site of the symbol at <paramref name="occurrence"/>, declarations first; empty for built-ins and the namespace.</summary>
    public static IReadOnlyList<SymbolSite> SitesOf(SchemaWorkspace workspace, SchemaSource source, Occurrence occurrence)
    {
        var scope = workspace.Scope(source).ToList();
        if (IsTopLevel(occurrence.Role))
        {
            return scope.SelectMany(s => s.Index.All.Where(o => IsTopLevel(o.Role) && o.Name == occurrence.Name).Select(o => new SymbolSite(s, o)))
                .OrderBy(site => site.Occurrence.Role == OccurrenceRole.Declaration ? 0 : 1)
                .ToList();
        }
        if (occurrence.Role == OccurrenceRole.EnumMember)
        {
            return [new SymbolSite(source, occurrence)];
        }
        if (occurrence.Role is OccurrenceRole.Field or OccurrenceRole.Key && occurrence.Declaration is { } owner)
        {
            return FieldSites(scope, source, occurrence.Name, owner, occurrence.Role == OccurrenceRole.Key);
        }
        return [];
    }

    /// <summary>The declarations of a top-level name in scope: the latest version of an event first.</summary>
    public static IReadOnlyList<SymbolSite> DeclarationsOf(SchemaWorkspace workspace, SchemaSource source, string name) =>
        workspace.Scope(source)
            .SelectMany(s => s.Syntax.Declarations.Where(d => d is not UpcastSyntax && d.Name.Text == name)
                .Select(d => new SymbolSite(s, new Occurrence(d.Name.Span, name, OccurrenceRole.Declaration, d))))
            .OrderByDescending(site => site.Occurrence.Declaration is MessageSyntax m ? m.EffectiveVersion : 0)
            .ToList();

    /// <summary>The latest declaration of each name in scope.</summary>
    public static Dictionary<string, DeclarationSyntax> Declarations(IEnumerable<SchemaSource> scope)
    {
        var result = new Dictionary<string, DeclarationSyntax>(StringComparer.Ordinal);
        foreach (var source in scope)
        {
            foreach (var declaration in source.Syntax.Declarations)
            {
                if (declaration is UpcastSyntax || declaration.Name.IsMissing) continue;
                if (!result.TryGetValue(declaration.Name.Text, out var known)
                    || known is MessageSyntax { Kind: DeclarationKind.Event } a && declaration is MessageSyntax { Kind: DeclarationKind.Event } b && b.EffectiveVersion > a.EffectiveVersion)
                {
                    result[declaration.Name.Text] = declaration;
                }
            }
        }
        return result;
    }

    /// <summary>The messages a component's key must be a field of: handled commands and their events, or the process's events.</summary>
    public static IEnumerable<NameSyntax> KeyedMessages(DeclarationSyntax component) => component switch
    {
        AggregateSyntax aggregate => aggregate.Handles.SelectMany(h => h.Events.Prepend(h.Command)),
        ProcessSyntax process => process.StartOn.Concat(process.On).Concat(process.EndOn),
        _ => [],
    };

    private static IReadOnlyList<SymbolSite> FieldSites(List<SchemaSource> scope, SchemaSource source, string field, DeclarationSyntax owner, bool isKey)
    {
        var owners = new HashSet<DeclarationSyntax>(ReferenceEqualityComparer.Instance);
        var keyed = new HashSet<DeclarationSyntax>(ReferenceEqualityComparer.Instance);
        if (isKey) keyed.Add(owner);
        else owners.Add(owner);

        var declarations = Declarations(scope);
        var components = scope.SelectMany(s => s.Syntax.Declarations)
            .Where(d => d is AggregateSyntax { Key: { } k } && k.Text == field || d is ProcessSyntax { Key: { } pk } && pk.Text == field)
            .ToList();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var component in components)
            {
                var messages = KeyedMessages(component)
                    .Select(n => declarations.TryGetValue(n.Text, out var d) ? d : null)
                    .OfType<MessageSyntax>()
                    .ToList();
                if (!keyed.Contains(component) && !messages.Any(owners.Contains)) continue;
                if (keyed.Add(component)) changed = true;
                foreach (var message in messages) if (owners.Add(message)) changed = true;
            }
        }

        var sites = new List<SymbolSite>();
        foreach (var s in scope)
        {
            foreach (var o in s.Index.All)
            {
                if (o.Name != field || o.Declaration is null) continue;
                if (o.Role == OccurrenceRole.Field && owners.Contains(o.Declaration)) sites.Add(new SymbolSite(s, o));
                else if (o.Role == OccurrenceRole.Key && keyed.Contains(o.Declaration)) sites.Add(new SymbolSite(s, o));
            }
        }
        return sites.OrderBy(site => site.Occurrence.Role == OccurrenceRole.Field ? 0 : 1).ToList();
    }
}
