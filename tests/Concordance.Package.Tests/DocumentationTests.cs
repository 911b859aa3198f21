using System.Text.RegularExpressions;

namespace Concordance.Package.Tests;

/// <summary>
/// What a user reads, the README (shipped inside the package) and docs/, points only at files the repository has,
/// and at headings those files have.
/// </summary>
public sealed class DocumentationTests
{
    private const string RepositoryUrl = "https://github.com/concordance-dotnet/concordance/blob/main/";
    private static readonly string Root = FindRepositoryRoot();

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>();
        pages.Add("README.md");
        foreach (var page in Directory.GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            pages.Add(Path.GetRelativePath(Root, page).Replace('\\', '/'));
        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Given_a_page_when_its_links_are_followed_then_each_reaches_a_file_of_the_repository_and_each_anchor_a_heading_there(string page)
    {
        var text = File.ReadAllText(Path.Combine(Root, page));
        var broken = new List<string>();

        foreach (Match link in Regex.Matches(text, @"\]\(([^)\s]+)\)"))
        {
            var target = link.Groups[1].Value;
            if (target.StartsWith("http", StringComparison.Ordinal) && !target.StartsWith(RepositoryUrl, StringComparison.Ordinal)) continue;
            var (path, anchor) = Split(target);
            var file = path.StartsWith(RepositoryUrl, StringComparison.Ordinal) ? Path.Combine(Root, path[RepositoryUrl.Length..])
                : path.Length == 0 ? Path.Combine(Root, page)
                : Path.GetFullPath(Path.Combine(Root, Path.GetDirectoryName(page)!, path));
            if (!File.Exists(file) && !Directory.Exists(file)) broken.Add($"{target}: no such file");
            else if (anchor is not null && !Headings(file).Contains(anchor)) broken.Add($"{target}: no heading '{anchor}'");
        }

        Assert.True(broken.Count == 0, $"{page}:\n" + string.Join('\n', broken));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Given_a_page_when_it_names_a_markdown_file_in_its_text_then_that_file_is_in_the_repository(string page)
    {
        var text = File.ReadAllText(Path.Combine(Root, page));
        var pageDirectory = Path.Combine(Root, Path.GetDirectoryName(page)!);
        var missing = Regex.Matches(text, @"(?<![\w/.:-])[\w./-]*[\w-]+\.md\b")
            .Select(m => m.Value)
            .Where(name => !name.Contains("://", StringComparison.Ordinal))
            .Distinct()
            .Where(name => !File.Exists(Path.Combine(pageDirectory, name)) && !File.Exists(Path.Combine(Root, name)) && !AnywhereInRepository(name))
            .ToList();

        Assert.True(missing.Count == 0, $"{page} names files a reader of the repository does not have: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Given_the_README_shipped_in_the_package_when_it_links_into_the_repository_then_every_link_is_absolute()
    {
        var text = File.ReadAllText(Path.Combine(Root, "README.md"));

        var relative = Regex.Matches(text, @"\]\(([^)\s]+)\)").Select(m => m.Groups[1].Value)
            .Where(target => !target.StartsWith("http", StringComparison.Ordinal) && !target.StartsWith('#'))
            .ToList();

        Assert.True(relative.Count == 0, "relative links break on the package's page: " + string.Join(", ", relative));
    }

    private static (string Path, string? Anchor) Split(string target)
    {
        var hash = target.IndexOf('#');
        return hash < 0 ? (target, null) : (target[..hash], target[(hash + 1)..]);
    }

    /// <summary>The anchors GitHub gives a Markdown file's headings (lower case, punctuation dropped, spaces as hyphens).</summary>
    private static HashSet<string> Headings(string file) =>
        File.ReadLines(file)
            .Where(line => line.StartsWith('#'))
            .Select(line => Regex.Replace(line.TrimStart('#').Trim().ToLowerInvariant(), @"[^\p{L}\p{N} _-]", "").Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    private static bool AnywhereInRepository(string name) =>
        !name.Contains('/') && Directory.EnumerateFiles(Root, name, SearchOption.AllDirectories)
            .Any(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Concordance.sln"))) return dir.FullName;
        throw new InvalidOperationException("Concordance.sln not found above " + AppContext.BaseDirectory);
    }
}
