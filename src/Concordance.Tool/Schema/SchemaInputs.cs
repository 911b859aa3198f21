using Concordance.Tool.CommandLine;

namespace Concordance.Tool.Schema;

/// <summary>One schema file read from disk: its path as the user should see it and its text.</summary>
/// <param name="Path">The path as given, or relative to the current directory when found by search.</param>
/// <param name="FullPath">The absolute path.</param>
/// <param name="Text">The file's contents.</param>
public sealed record SchemaInput(string Path, string FullPath, string Text);

/// <summary>
/// Finds the schema files a command works on: the files and folders named on the command line, or every
/// <c>**/*.concordance</c> under the current directory when none is named.
/// </summary>
public static class SchemaInputs
{
    /// <summary>The extension of schema files.</summary>
    public const string Extension = ".concordance";

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", ".git", ".vs" };

    /// <summary>
    /// The schema files named by <paramref name="arguments"/> (files, or folders searched recursively), or found under
    /// <paramref name="currentDirectory"/>; sorted by path within each argument. Throws <see cref="ToolException"/> for a
    /// path that does not exist or when no schema file is found.
    /// </summary>
    /// <param name="arguments">Paths from the command line; empty for "search the current directory".</param>
    /// <param name="currentDirectory">The folder relative paths start from.</param>
    public static IReadOnlyList<string> Find(IReadOnlyList<string> arguments, string currentDirectory)
    {
        if (arguments.Count == 0)
        {
            var found = Search(currentDirectory).Select(p => System.IO.Path.GetRelativePath(currentDirectory, p)).ToList();
            if (found.Count == 0) throw new ToolException($"no {Extension} files under {currentDirectory}");
            return found;
        }

        var result = new List<string>();
        foreach (var argument in arguments)
        {
            var full = System.IO.Path.GetFullPath(argument, currentDirectory);
            if (File.Exists(full)) result.Add(argument);
            else if (Directory.Exists(full))
            {
                var inFolder = Search(full).Select(p => System.IO.Path.Join(argument, System.IO.Path.GetRelativePath(full, p))).ToList();
                if (inFolder.Count == 0) throw new ToolException($"no {Extension} files under {argument}");
                result.AddRange(inFolder);
            }
            else throw new ToolException($"{argument}: no such file or directory");
        }
        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads <paramref name="path"/>; an unreadable file is a <see cref="ToolException"/>.</summary>
    /// <param name="path">The path as the user should see it.</param>
    /// <param name="currentDirectory">The folder relative paths start from.</param>
    public static SchemaInput Read(string path, string currentDirectory)
    {
        var full = System.IO.Path.GetFullPath(path, currentDirectory);
        try
        {
            return new SchemaInput(path, full, File.ReadAllText(full));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"{path}: {e.Message}", e);
        }
    }

    private static IEnumerable<string> Search(string folder)
    {
        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            files.AddRange(Directory.EnumerateFiles(current, "*" + Extension).Where(f => f.EndsWith(Extension, StringComparison.Ordinal)));
            foreach (var child in Directory.EnumerateDirectories(current))
                if (!SkippedFolders.Contains(System.IO.Path.GetFileName(child))) pending.Push(child);
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
