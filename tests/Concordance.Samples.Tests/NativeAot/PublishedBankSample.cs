using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Concordance.Samples.Tests.NativeAot;

/// <summary>
/// The bank sample published once per test run with NativeAOT, as a user does it
/// (<c>dotnet publish samples/BankAccount -c Release -p:PublishAot=true</c>, without debug symbols), into a temp folder:
/// its own artifacts path, so the repository's bin and obj folders (which other test assemblies use while this one runs)
/// are never touched.
/// Installs clang, the native linker, from Debian when it is missing, as ./test.sh does.
/// </summary>
public sealed partial class PublishedBankSample : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);

    private readonly string _directory = Directory.CreateTempSubdirectory("concordance-aot-").FullName;

    /// <summary>The published native executable.</summary>
    public string Executable => Path.Combine(PublishDirectory, "BankAccount");

    /// <summary>Where the publish put the application.</summary>
    public string PublishDirectory => Path.Combine(_directory, "publish");

    /// <summary>Everything <c>dotnet publish</c> printed (standard output and error).</summary>
    public string PublishOutput { get; private set; } = "";

    /// <summary>The publish's exit code.</summary>
    public int PublishExitCode { get; private set; }

    /// <summary>How long the publish took (reported in the test output; the suite's slowest step).</summary>
    public TimeSpan PublishTime { get; private set; }

    /// <summary>Every trim or AOT analysis warning (IL2xxx, IL3xxx) the publish printed, once each.</summary>
    public IReadOnlyList<string> AnalysisWarnings =>
        [.. AnalysisWarning().Matches(PublishOutput).Select(m => m.Value.Trim()).Distinct(StringComparer.Ordinal)];

    /// <summary>A temp folder of the fixture's own (deleted with it), for databases.</summary>
    public string TempDirectory => _directory;

    public async Task InitializeAsync()
    {
        await EnsureClangAsync();
        var started = Stopwatch.StartNew();
        var (exitCode, output) = await RunAsync("dotnet", RepositoryRoot(), PublishTimeout,
            "publish", "samples/BankAccount", "-c", "Release", "-p:PublishAot=true",
            // No debug symbols: a third less ILC time on 2 cores; the trimming and AOT analysis is the same.
            "-p:DebugType=none", "-p:DebugSymbols=false",
            "--artifacts-path", Path.Combine(_directory, "artifacts"), "-o", PublishDirectory, "-nologo");
        PublishTime = started.Elapsed;
        PublishExitCode = exitCode;
        PublishOutput = output;
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }

    /// <summary>Runs the published binary with <paramref name="arguments"/>; its exit code and standard output (standard error apart).</summary>
    public async Task<(int ExitCode, string Output, string Errors)> RunSampleAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable) { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await errors);
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Concordance.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Concordance.sln above {AppContext.BaseDirectory}.");
    }

    private static async Task EnsureClangAsync()
    {
        if ((await RunAsync("sh", null, TimeSpan.FromSeconds(30), "-c", "command -v clang")).ExitCode == 0) return;
        // A fresh machine (CI): Debian's clang links the native executable. We are root there.
        var (exitCode, output) = await RunAsync("sh", null, TimeSpan.FromMinutes(10), "-c",
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev");
        if (exitCode != 0) throw new InvalidOperationException($"clang is missing and could not be installed with apt-get:{Environment.NewLine}{output}");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string? workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (output) output.AppendLine($"(killed after {timeout})");
            return (-1, output.ToString());
        }
        lock (output) return (process.ExitCode, output.ToString());
    }

    // "warning IL2026: …", "error IL3050: …": the trimming (IL2xxx) and AOT (IL3xxx) analyses of the compiler's
    // analyzers and of ILC, whether reported as warnings or, in projects with warnings as errors, as errors.
    [GeneratedRegex(@"[^\r\n]*\b(warning|error) IL[23]\d{3}\b[^\r\n]*")]
    private static partial Regex AnalysisWarning();
}
