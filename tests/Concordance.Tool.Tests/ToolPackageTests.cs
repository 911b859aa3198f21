using System.Diagnostics;

namespace Concordance.Tool.Tests;

/// <summary>The tool as a user gets it: packed, installed with <c>dotnet tool install</c> from a feed, run by its command name.</summary>
public sealed class ToolPackageTests
{
    [Fact]
    public void Packed_tool_installs_from_a_private_feed_and_reports_its_version()
    {
        using var root = new TempFolder();
        var feed = Path.Combine(root.Path, "feed");
        var tools = Path.Combine(root.Path, "tools");
        // A version no earlier run used: NuGet's global cache would otherwise hand back a stale package.
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

        // Packed from a copy of the sources, so building under another version never touches the output other tests run.
        var sources = CopySources(Path.Combine(root.Path, "repo"));
        var pack = Dotnet(sources, "pack", "src/Concordance.Tool/Concordance.Tool.csproj", "-c", "Release",
            "-o", feed, $"-p:Version={version}", "-nologo");
        Assert.True(pack.ExitCode == 0, pack.ToString());

        var install = Dotnet(root.Path, "tool", "install", "--tool-path", tools, "Concordance.Tool", "--add-source", feed, "--version", version);
        Assert.True(install.ExitCode == 0, install.ToString());

        var run = ToolProcess.Execute(new ProcessStartInfo(Path.Combine(tools, "concordance"), "--version")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root.Path,
        }, TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith(version, run.Output.Trim());
    }

    private static string CopySources(string target)
    {
        var repository = ToolProcess.RepositoryRoot;
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "README.md" })
            if (File.Exists(Path.Combine(repository, file))) CopyFile(repository, file, target);
        var skipped = new[] { "bin", "obj" };
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repository, "src"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(repository, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => skipped.Contains(part))) continue;
            CopyFile(repository, relative, target);
        }
        return target;
    }

    private static void CopyFile(string from, string relative, string to)
    {
        var destination = Path.Combine(to, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Copy(Path.Combine(from, relative), destination);
    }

    private static ToolRun Dotnet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The test host's MSBuild settings must not leak into a build a user would run.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        return ToolProcess.Execute(start, TimeSpan.FromMinutes(8));
    }
}
