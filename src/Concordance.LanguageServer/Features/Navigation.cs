using Concordance.LanguageServer.Protocol;
using Concordance.LanguageServer.Workspace;
using Concordance.Schema.Parsing;

namespace Concordance.LanguageServer.Features;

/// <summary>Go to definition, find references and rename, across the schema files of a scope.</summary>
internal static class Navigation
{
    public static Location[] Definition(SchemaWorkspace workspace, (SchemaSource Source, int Offset) at)
    {
        var (source, offset) = at;
        if (source.Index.At(offset) is not { } occurrence) return [];
        if (Symbols.IsTopLevel(occurrence.Role))
        {
            return Symbols.DeclarationsOf(workspace, source, occurrence.Name).Select(ToLocation).ToArray();
        }
        return occurrence.Role switch
        {
            OccurrenceRole.Field or OccurrenceRole.EnumMember => [ToLocation(new SymbolSite(source, occurrence))],
            OccurrenceRole.Key => Symbols.SitesOf(workspace, source, occurrence).Where(s => s.Occurrence.Role == OccurrenceRole.Field).Select(ToLocation).ToArray(),
            _ => [],
        };
    }

    public static Location[] References(SchemaWorkspace workspace, ReferenceParams parameters)
    {
        var source = workspace.Get(parameters.TextDocument.Uri);
        if (source.Index.At(source.Lines.OffsetOf(parameters.Position)) is not { } occurrence) return [];
        var includeDeclaration = parameters.Context?.IncludeDeclaration ?? true;
        return Symbols.SitesOf(workspace, source, occurrence)
            .Where(s => includeDeclaration || s.Occurrence.Role is not (OccurrenceRole.Declaration or OccurrenceRole.Field or OccurrenceRole.EnumMember))
            .Select(ToLocation)
            .ToArray();
    }

    public static PrepareRenameResult PrepareRename(SchemaWorkspace workspace, (SchemaSource Source, int Offset) at)
    {
        var occurrence = Renamable(at.Source, at.Offset);
        return new PrepareRenameResult(at.Source.Lines.RangeOf(occurrence.Span), occurrence.Name);
    }

    public static WorkspaceEdit Rename(SchemaWorkspace workspace, RenameParams parameters)
    {
        var source = workspace.Get(parameters.TextDocument.Uri);
        var occurrence = Renamable(source, source.Lines.OffsetOf(parameters.Position));
        var newName = parameters.NewName;
        if (newName.Length == 0 || !Lexer.IsIdentifierStart(newName[0]) || !newName.All(Lexer.IsIdentifierPart))
        {
            throw new RequestException(ErrorCodes.InvalidParams, "'" + newName + "' is not a name: a letter or '_', then letters, digits or '_'.");
        }
        if (Symbols.IsTopLevel(occurrence.Role) && newName != occurrence.Name && Symbols.DeclarationsOf(workspace, source, newName).Count > 0)
        {
            throw new RequestException(ErrorCodes.RequestFailed, "'" + newName + "' is already declared: every name in a schema's namespace is unique.");
        }
        var changes = Symbols.SitesOf(workspace, source, occurrence)
            .GroupBy(s => s.Source)
            .ToDictionary(g => g.Key.Uri, g => g.Select(s => new TextEdit(g.Key.Lines.RangeOf(s.Occurrence.Span), newName)).ToArray());
        return new WorkspaceEdit(changes);
    }

    private static Occurrence Renamable(SchemaSource source, int offset)
    {
        var occurrence = source.Index.At(offset);
        if (occurrence is null || occurrence.Role is OccurrenceRole.BuiltInType or OccurrenceRole.Namespace)
        {
            throw new RequestException(ErrorCodes.RequestFailed, "Only a declared name can be renamed: a message, record, enum, member, field or component.");
        }
        return occurrence;
    }

    private static Location ToLocation(SymbolSite site) => new(site.Source.Uri, site.Source.Lines.RangeOf(site.Occurrence.Span));
}
