using System.Diagnostics;

namespace Concordance.Tool.Tests;

/// <summary>
/// The real Mermaid renderer (@mermaid-js/mermaid-cli, installed by ./test.sh with <c>npm ci</c> in <c>mermaid/</c>)
/// driving Debian's chromium: renders each Mermaid block of a Markdown file to SVG, and fails on a diagram it cannot parse.
/// </summary>
public static class MermaidRenderer
{
    public static string Folder { get; } = Path.Combine(ToolProcess.RepositoryRoot, "tests", "Concordance.Tool.Tests", "mermaid");

    private static string Cli => Path.Combine(Folder, "node_modules", ".bin", "mmdc");

    /// <summary>Renders <paramref name="markdown"/>; returns the run and the SVG texts in block order.</summary>
    public static (ToolRun Run, IReadOnlyList<string> Svgs) Render(string markdown, string workFolder)
    {
        if (!File.Exists(Cli)) throw new InvalidOperationException($"The Mermaid renderer is not installed: run ./test.sh, or 'npm ci' in {Folder} (and apt-get install chromium).");
        if (!File.Exists("/usr/bin/chromium")) throw new InvalidOperationException("Debian's chromium is not installed: run ./test.sh, or apt-get install chromium.");
        var input = Path.Combine(workFolder, "diagram.md");
        var output = Path.Combine(workFolder, "rendered.md");
        File.WriteAllText(input, markdown);
        var start = new ProcessStartInfo(Cli)
        {
            WorkingDirectory = workFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--puppeteerConfigFile", Path.Combine(Folder, "puppeteer-config.json"), "--input", input, "--output", output, "--quiet" })
            start.ArgumentList.Add(argument);
        var run = ToolProcess.Execute(start, TimeSpan.FromMinutes(2));
        var svgs = Directory.GetFiles(workFolder, "rendered-*.svg")
            .OrderBy(p => int.Parse(Path.GetFileNameWithoutExtension(p)["rendered-".Length..]))
            .Select(File.ReadAllText)
            .ToList();
        return (run, svgs);
    }
}
