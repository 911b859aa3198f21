using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Concordance.Hosting.Commands.Tests;

/// <summary>What one run of a program printed and returned.</summary>
public sealed record Run(int ExitCode, string Output, string Error)
{
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs the built <c>concordance</c> tool and the bank sample as separate processes (<c>dotnet X.dll …</c>).</summary>
public static class Processes
{
    private static readonly string Configuration =
        typeof(Processes).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Tool { get; } = Path.Combine(RepositoryRoot, "src", "Concordance.Tool", "bin", Configuration, "net10.0", "concordance.dll");

    public static string BankSample { get; } = Path.Combine(RepositoryRoot, "samples", "BankAccount", "bin", Configuration, "net10.0", "BankAccount.dll");

    /// <summary>Runs <c>concordance</c> with <paramref name="arguments"/>, output redirected (so plain text).</summary>
    public static Run Concordance(params string[] arguments) => Dotnet(Tool, arguments);

    /// <summary>Runs the bank sample with <paramref name="arguments"/>.</summary>
    public static Run Bank(params string[] arguments) => Dotnet(BankSample, arguments);

    private static Run Dotnet(string assembly, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{assembly} {string.Join(' ', arguments)} did not finish in 2 minutes.");
        }
        process.WaitForExit();
        return new Run(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The SHA-256 of a file's bytes.</summary>
    public static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Asserts the run failed the way a user should see it: exit code 2, one line <c>error: …</c> containing <paramref name="expected"/>, no stack trace.</summary>
    public static void AssertOneLineError(Run run, string expected, int exitCode = 2)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("Exception", run.Error);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Concordance.sln"))) return dir.FullName;
        throw new InvalidOperationException("Concordance.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fresh folder under the temp directory, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("concordance-commands-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
