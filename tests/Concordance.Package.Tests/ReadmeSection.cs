using System.Text.RegularExpressions;

namespace Concordance.Package.Tests;

/// <summary>Reads the fenced code blocks of one section of the README, so tests can run what it tells a user to.</summary>
public static class ReadmeSection
{
    /// <summary>The fenced blocks of the section under <paramref name="heading"/> (a level-2 heading's start), in order.</summary>
    public static IReadOnlyList<string> Blocks(string repositoryRoot, string heading) =>
        Regex.Matches(Text(repositoryRoot, heading), @"^```[a-z]*\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value)
            .ToList();

    /// <summary>The text of the section under <paramref name="heading"/>, up to the next level-2 heading.</summary>
    public static string Text(string repositoryRoot, string heading)
    {
        var readme = File.ReadAllText(Path.Combine(repositoryRoot, "README.md"));
        var start = readme.IndexOf("\n" + heading, StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"README.md has no section '{heading}'");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }
}
