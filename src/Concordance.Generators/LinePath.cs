using System;
using System.Collections.Generic;
using System.Text;

namespace Concordance.Generators;

/// <summary>
/// The path a generated <c>#line</c> directive names for a schema: its full path, so the IDE opens the schema, rewritten by
/// the build's <c>PathMap</c> as the compiler rewrites its own source paths. A CI build (ContinuousIntegrationBuild sets
/// PathMap from the source roots) then writes <c>/_/Shop.concordance</c> whatever the checkout folder, so the generated
/// text, which the PDB embeds, stays the same across checkouts; a build without PathMap names the file where it is.
/// </summary>
internal static class LinePath
{
    /// <summary>The path to write for <paramref name="path"/>; null when a directive cannot name it (a quote or a line break in it).</summary>
    public static string? For(string path, string? pathMap)
    {
        if (path.Length == 0 || path.IndexOfAny(['"', '\n', '\r']) >= 0) return null;
        foreach (var (from, to) in Parse(pathMap))
        {
            if (!path.StartsWith(from, StringComparison.Ordinal)) continue;
            var mapped = to + path.Substring(from.Length);
            // As the compiler does: a prefix mapped to '/'-separated form keeps '/' throughout.
            return to.IndexOf('/') >= 0 && to.IndexOf('\\') < 0 ? mapped.Replace('\\', '/') : mapped;
        }
        return path;
    }

    /// <summary>
    /// The pairs of <c>/pathmap:from=to,from=to</c>, in order, each side ending in a separator; <c>,,</c> and <c>==</c> escape
    /// a literal comma or equals sign, as the compiler reads them.
    /// </summary>
    public static IReadOnlyList<(string From, string To)> Parse(string? pathMap)
    {
        var pairs = new List<(string, string)>();
        if (string.IsNullOrEmpty(pathMap)) return pairs;
        foreach (var entry in Split(pathMap!, ','))
        {
            if (entry.Length == 0) continue;
            var sides = Split(entry, '=');
            if (sides.Count != 2 || sides[0].Length == 0) continue;
            pairs.Add((WithSeparator(sides[0]), WithSeparator(sides[1])));
        }
        return pairs;
    }

    private static string WithSeparator(string path) =>
        path.Length == 0 || path.EndsWith("/", StringComparison.Ordinal) || path.EndsWith("\\", StringComparison.Ordinal)
            ? path
            : path + (path.IndexOf('\\') >= 0 && path.IndexOf('/') < 0 ? "\\" : "/");

    private static List<string> Split(string text, char separator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != separator)
            {
                current.Append(text[i]);
            }
            else if (i + 1 < text.Length && text[i + 1] == separator)
            {
                current.Append(separator);
                i++;
            }
            else
            {
                parts.Add(current.ToString());
                current.Clear();
            }
        }
        parts.Add(current.ToString());
        return parts;
    }
}
