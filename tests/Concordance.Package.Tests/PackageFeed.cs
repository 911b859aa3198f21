using System.Diagnostics;
using System.Text;

namespace Concordance.Package.Tests;

/// <summary>
/// Packs src/Concordance.Runtime once per test run into a private feed, under a version no earlier
/// run used, so NuGet's global cache can never hand a consumer a stale package; further packages
/// (the templates) are packed under the same version when a test asks for them.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    private readonly HashSet<string> _packed = new(StringComparer.Ordinal);

    public PackageFeed()
    {
        RepositoryRoot = FindRepositoryRoot();
        Root = Directory.CreateTempSubdirectory("concordance-feed-").FullName;
        FeedDirectory = Path.Combine(Root, "feed");
        Version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Pack("src/Concordance.Runtime/Concordance.Runtime.csproj");
    }

    public string RepositoryRoot { get; }
    public string Root { get; }
    public string FeedDirectory { get; }
    public string Version { get; }

    /// <summary>
    /// Packs <paramref name="project"/> (a path from the repository root) into the feed under <see cref="Version"/>, once
    /// per run: the tests that need a further package (the templates) pack it, the others do not pay for it.
    /// </summary>
    public void Pack(string project)
    {
        lock (_packed)
        {
            if (!_packed.Add(project)) return;
            var result = Dotnet.Run(RepositoryRoot, "pack", project, "-c", "Release", "-o", FeedDirectory, $"-p:PackageVersion={Version}", "-nologo");
            if (result.ExitCode != 0)
            {
                _packed.Remove(project);
                throw new InvalidOperationException($"dotnet pack {project} failed:\n" + result.Output);
            }
        }
    }

    /// <summary>Copies the consumer template <paramref name="name"/> to a fresh folder wired to this feed.</summary>
    public string CreateConsumer(string name, IReadOnlyDictionary<string, string>? extraFiles = null)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Consumer", name);
        var target = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var destination = Path.Combine(target, relative.EndsWith(".template", StringComparison.Ordinal) ? relative[..^".template".Length] : relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.WriteAllText(destination, File.ReadAllText(file).Replace("$(ConcordanceTestVersion)", Version));
        }
        foreach (var (relative, content) in extraFiles ?? new Dictionary<string, string>())
            File.WriteAllText(Path.Combine(target, relative), content);
        WireToFeed(target);
        return target;
    }

    /// <summary>
    /// Makes <paramref name="folder"/> and everything below it restore from this feed (then nuget.org), outside the
    /// repository's Directory.Build.props and central package versions.
    /// </summary>
    public void WireToFeed(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{FeedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Concordance.sln"))) return dir.FullName;
        throw new InvalidOperationException("Concordance.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(nameof(PackageFeed))]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeed>;

/// <summary>Runs the dotnet CLI as a user would, without the test host's MSBuild environment leaking in.</summary>
public static class Dotnet
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in 8 minutes:\n{output}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString());
    }
}
