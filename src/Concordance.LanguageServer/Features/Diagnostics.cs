using Concordance.LanguageServer.Protocol;
using Concordance.LanguageServer.Workspace;
using Concordance.Schema;
using Concordance.Schema.Locking;
using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Features;

/// <summary>
/// The diagnostics of a schema file, the same set the build reports: the file's own (syntax and checker), those of the
/// checks across the project's files (CC0026, CC0028), and the shipped-schema gate against the lock beside the file
/// (CC0016–CC0023), or, for the first file of a project without one, the notice that nothing is locked (CC0025).
/// Codes, messages and spans are the schema library's; only the shape is LSP's.
/// </summary>
internal static class Diagnostics
{
    public const string Source = "concordance";

    /// <summary>Where each diagnostic ID is explained; the same pages the build's help links open.</summary>
    public const string HelpLinkFormat = "https://github.com/concordance-dotnet/concordance/blob/main/docs/diagnostics/{0}.md";

    public static Protocol.Diagnostic[] Of(SchemaWorkspace workspace, SchemaSource source)
    {
        var result = new List<SchemaDiagnostic>(source.Diagnostics);
        var project = workspace.ProjectOf(source);
        if (project.Count > 1)
        {
            foreach (var d in SchemaChecker.CheckAcrossFiles(project.Select(s => s.TypeNames).ToList()))
            {
                if (SchemaWorkspace.PathComparer.Equals(d.Path, source.Path)) result.Add(d.Diagnostic);
            }
        }
        result.AddRange(LockGate(workspace, source, project));
        return result.Select(d => ToLsp(d, source.Lines)).ToArray();
    }

    /// <summary>What the lock analyzer reports in the schema file.</summary>
    private static IEnumerable<SchemaDiagnostic> LockGate(SchemaWorkspace workspace, SchemaSource source, IReadOnlyList<SchemaSource> project)
    {
        var read = workspace.LockOf(source.Path);
        if (read is null)
        {
            // The build says it once per project: in the first schema file, by path, that has no lock.
            var first = project.Where(s => workspace.LockOf(s.Path) is null).Select(s => s.Path).OrderBy(p => p, StringComparer.Ordinal).FirstOrDefault();
            if (first is not null && SchemaWorkspace.PathComparer.Equals(first, source.Path))
            {
                var name = Path.GetFileName(source.Path);
                yield return new SchemaDiagnostic(SchemaDiagnosticIds.NoLock, SchemaSeverity.Info,
                    $"{name} has no lock file, so changes that would break reading stored events are not checked. "
                    + $"Create {name}{SchemaLock.FileExtension} once events are stored, and check it in: {SchemaLockComparer.UpdateCommand}",
                    new SourceSpan(0, 0));
            }
            yield break;
        }
        // A schema that does not parse would look as if its unparsed declarations were removed.
        if (read.Lock is not { } locked || source.Syntax.Diagnostics.Count > 0) yield break;
        foreach (var d in SchemaLockComparer.Compare(locked, source.Syntax)) yield return d;
    }

    /// <summary>The diagnostics of the lock beside a schema (CC0024 when it cannot be read), in the lock file.</summary>
    public static (string Uri, Protocol.Diagnostic[] Diagnostics)? OfLock(SchemaWorkspace workspace, SchemaSource source)
    {
        var read = workspace.LockOf(source.Path);
        if (read is null) return null;
        var lockPath = SchemaLock.PathFor(source.Path);
        string text;
        try
        {
            text = File.ReadAllText(lockPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var lines = new TextLines(text);
        return (DocumentUri.FromPath(lockPath), read.Diagnostics.Select(d => ToLsp(d with { Id = SchemaDiagnosticIds.MalformedLock }, lines)).ToArray());
    }

    public static Protocol.Diagnostic ToLsp(SchemaDiagnostic diagnostic, TextLines lines) => new(
        lines.RangeOf(diagnostic.Span),
        Severity(diagnostic),
        diagnostic.Id,
        Source,
        diagnostic.Message,
        new CodeDescription(string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLinkFormat, diagnostic.Id)));

    // LSP: 1 error, 2 warning, 3 information. The lock comparer marks CC0022 a warning, the checker CC0004 and CC0010.
    private static int Severity(SchemaDiagnostic diagnostic) => diagnostic.Severity switch
    {
        SchemaSeverity.Warning => 2,
        SchemaSeverity.Info => 3,
        _ => 1,
    };
}
