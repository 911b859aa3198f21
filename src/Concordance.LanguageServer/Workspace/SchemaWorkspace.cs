using Concordance.Schema;
using Concordance.Schema.Locking;

namespace Concordance.LanguageServer.Workspace;

/// <summary>
/// The schema files the server knows: every <c>**/*.concordance</c> under the workspace folders, read from disk, and
/// the documents the editor has open, whose text wins. Files are grouped by project as the build groups them (the
/// nearest folder above with a <c>*.csproj</c>; the workspace folder when there is none), because the checks across
/// files (CC0026, CC0028) and the no-lock notice (CC0025) are per project, and names resolve within a namespace.
/// </summary>
internal sealed class SchemaWorkspace
{
    private static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", ".git", ".vs", ".vscode"];

    private readonly Dictionary<string, SchemaSource> _sources = new(PathComparer);
    private readonly Dictionary<string, string> _projectOfFolder = new(PathComparer);
    private readonly Dictionary<string, (DateTime Stamp, SchemaLockReadResult Result)> _locks = new(PathComparer);
    private readonly List<string> _roots = new();

    public static StringComparer PathComparer { get; } = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    public IEnumerable<SchemaSource> Sources => _sources.Values;

    /// <summary>Adds a workspace folder and reads the schema files under it.</summary>
    public void AddRoot(string folder)
    {
        folder = DocumentUri.Normalize(folder);
        if (!Directory.Exists(folder) || _roots.Contains(folder, PathComparer)) return;
        _roots.Add(folder);
        foreach (var path in FindSchemas(folder))
        {
            if (_sources.ContainsKey(path)) continue;
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            _sources[path] = new SchemaSource(path, DocumentUri.FromPath(path), text, null, isOpen: false);
        }
    }

    /// <summary>Adds a file found on disk after start-up.</summary>
    public void AddFile(string path, string text)
    {
        path = DocumentUri.Normalize(path);
        if (!_sources.ContainsKey(path)) _sources[path] = new SchemaSource(path, DocumentUri.FromPath(path), text, null, isOpen: false);
    }

    public SchemaSource Open(string uri, string text, int version)
    {
        var path = DocumentUri.ToPath(uri);
        if (_sources.TryGetValue(path, out var source))
        {
            source.IsOpen = true;
            source.Uri = uri;
            source.Update(text, version);
            return source;
        }
        source = new SchemaSource(path, uri, text, version, isOpen: true);
        _sources[path] = source;
        return source;
    }

    /// <summary>Closes a document: a file that still exists goes back to its disk text; an unsaved buffer is forgotten.</summary>
    public void Close(string uri)
    {
        var path = DocumentUri.ToPath(uri);
        if (!_sources.TryGetValue(path, out var source)) return;
        source.IsOpen = false;
        if (File.Exists(path) && IsUnderRoot(path))
        {
            try
            {
                source.Update(File.ReadAllText(path), null);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        _sources.Remove(path);
    }

    public SchemaSource? Find(string uri) => _sources.TryGetValue(DocumentUri.ToPath(uri), out var source) ? source : null;

    /// <summary>The open document <paramref name="uri"/>, or a workspace file; a request about anything else is refused.</summary>
    public SchemaSource Get(string uri) =>
        Find(uri) ?? throw new Protocol.RequestException(Protocol.ErrorCodes.InvalidParams,
            "The document '" + uri + "' is not open and is not a schema file of the workspace: send textDocument/didOpen first.");

    /// <summary>The project folder of a schema file: the nearest folder up with a <c>*.csproj</c>, else the workspace folder, else its own.</summary>
    public string ProjectOf(string path)
    {
        var start = System.IO.Path.GetDirectoryName(path);
        if (start is null) return string.Empty;
        if (_projectOfFolder.TryGetValue(start, out var known)) return known;
        string? project = null;
        for (var folder = start; folder is not null; folder = System.IO.Path.GetDirectoryName(folder))
        {
            if (HasProjectFile(folder) || _roots.Contains(folder, PathComparer))
            {
                project = folder;
                break;
            }
        }
        project ??= start;
        _projectOfFolder[start] = project;
        return project;
    }

    private static bool HasProjectFile(string folder)
    {
        try
        {
            return Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.csproj").Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The schema files the build compiles together with <paramref name="source"/>.</summary>
    public IReadOnlyList<SchemaSource> ProjectOf(SchemaSource source)
    {
        var project = ProjectOf(source.Path);
        return _sources.Values.Where(s => PathComparer.Equals(ProjectOf(s.Path), project)).OrderBy(s => s.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>The files whose names <paramref name="source"/>'s names can mean: same project, same namespace.</summary>
    public IEnumerable<SchemaSource> Scope(SchemaSource source)
    {
        yield return source;
        var ns = source.Namespace;
        foreach (var other in ProjectOf(source))
        {
            if (other != source && other.Namespace == ns) yield return other;
        }
    }

    /// <summary>The lock beside a schema file, read again when the file changes; null when there is none.</summary>
    public SchemaLockReadResult? LockOf(string schemaPath)
    {
        var lockPath = SchemaLock.PathFor(schemaPath);
        try
        {
            if (!File.Exists(lockPath))
            {
                _locks.Remove(lockPath);
                return null;
            }
            var stamp = File.GetLastWriteTimeUtc(lockPath);
            if (_locks.TryGetValue(lockPath, out var cached) && cached.Stamp == stamp) return cached.Result;
            var result = SchemaLockReader.Read(File.ReadAllText(lockPath));
            _locks[lockPath] = (stamp, result);
            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private bool IsUnderRoot(string path) => _roots.Any(r => path.StartsWith(r.EndsWith(System.IO.Path.DirectorySeparatorChar) ? r : r + System.IO.Path.DirectorySeparatorChar, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<string> FindSchemas(string folder)
    {
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            string[] files, folders;
            try
            {
                files = Directory.GetFiles(current, "*.concordance");
                folders = Directory.GetDirectories(current);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var file in files) yield return DocumentUri.Normalize(file);
            foreach (var sub in folders)
            {
                var name = System.IO.Path.GetFileName(sub);
                if (SkippedFolders.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
                if ((File.GetAttributes(sub) & FileAttributes.ReparsePoint) != 0) continue;
                pending.Push(sub);
            }
        }
    }
}
