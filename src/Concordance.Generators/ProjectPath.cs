using System;
using System.Collections.Generic;

namespace Concordance.Generators;

/// <summary>
/// A schema's path relative to its project's folder, with '/' separators: the same in every checkout of the same
/// commit, so generated file names (and the PDBs that list them) do not depend on where the project was cloned.
/// </summary>
internal static class ProjectPath
{
    /// <summary>
    /// <paramref name="path"/> relative to <paramref name="projectDirectory"/> (with <c>../</c> for a file outside it);
    /// <paramref name="path"/> itself when the folder is unknown (a host without MSBuild) or on another root.
    /// </summary>
    public static string Relative(string path, string? projectDirectory)
    {
        if (string.IsNullOrEmpty(projectDirectory)) return path;
        var file = Segments(path);
        var folder = Segments(projectDirectory!);
        var common = 0;
        while (common < folder.Count && common < file.Count - 1 && string.Equals(folder[common], file[common], StringComparison.Ordinal)) common++;
        // Different roots (another drive): nothing relative to say.
        if (common == 0) return path;
        var parts = new List<string>();
        for (var i = common; i < folder.Count; i++) parts.Add("..");
        for (var i = common; i < file.Count; i++) parts.Add(file[i]);
        return string.Join("/", parts);
    }

    private static List<string> Segments(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Replace('\\', '/').Split('/'))
        {
            if (segment.Length > 0 && segment != ".") segments.Add(segment);
        }
        return segments;
    }
}
