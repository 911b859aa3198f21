using System.Diagnostics;
using Concordance.Schema;
using Concordance.Schema.Locking;
using Concordance.Schema.Syntax;
using Concordance.Tool.CommandLine;

namespace Concordance.Tool.Schema;

/// <summary>What a schema is compared with to find changes that would stop it reading stored events.</summary>
public abstract record GateBaseline
{
    /// <summary>The lock file beside each schema (<c>X.concordance.lock</c>), as the build does.</summary>
    public sealed record LockFiles : GateBaseline;

    /// <summary>An older version of the schema, in a file.</summary>
    /// <param name="Path">The older schema file.</param>
    public sealed record SchemaFile(string Path) : GateBaseline;

    /// <summary>The schema as it was at a git revision (<c>git show REV:path</c>).</summary>
    /// <param name="Revision">Any revision git understands: a tag, a branch, a commit.</param>
    public sealed record GitRevision(string Revision) : GateBaseline;
}

/// <summary>
/// The shipped-schema gate from the command line: the same comparison (CC0016–CC0023), malformed-lock (CC0024) and
/// no-lock (CC0025) diagnostics, with the same messages, as the build's analyzer; the baseline is the lock file, an
/// older schema file or the schema at a git revision.
/// </summary>
public static class SchemaGate
{
    /// <summary>The gate's diagnostics for <paramref name="inputs"/> against <paramref name="baseline"/>.</summary>
    /// <param name="inputs">The schemas as they are now.</param>
    /// <param name="baseline">What to compare them with.</param>
    public static IReadOnlyList<PlacedDiagnostic> Check(IReadOnlyList<SchemaInput> inputs, GateBaseline baseline)
    {
        var result = new List<PlacedDiagnostic>();
        var withoutLock = new List<SchemaInput>();
        foreach (var input in inputs)
        {
            var current = SchemaParser.Parse(input.Text, input.FullPath);
            // A schema that does not parse would look as if its unparsed declarations were removed.
            if (current.Diagnostics.Count > 0) continue;
            var locked = baseline switch
            {
                GateBaseline.SchemaFile file => LockOfSchema(SchemaInputs.Read(file.Path, Environment.CurrentDirectory)),
                GateBaseline.GitRevision git => LockAtRevision(input, git.Revision),
                _ => LockBeside(input, result),
            };
            if (locked is null)
            {
                if (baseline is GateBaseline.LockFiles && !File.Exists(SchemaLock.PathFor(input.FullPath))) withoutLock.Add(input);
                continue;
            }
            result.AddRange(SchemaLockComparer.Compare(locked, current).Select(d => PlacedDiagnostic.At(input.Path, current.Lines, d)));
        }

        // As in the build: said once, by the first schema without a lock in path order.
        var first = withoutLock.OrderBy(i => i.FullPath, StringComparer.Ordinal).FirstOrDefault();
        if (first is not null)
        {
            var message = SchemaLockComparer.NoLockMessage(Path.GetFileName(first.FullPath));
            result.Add(new PlacedDiagnostic(SchemaDiagnosticIds.NoLock, SchemaSeverity.Info, first.Path, 1, 1, message));
        }
        return result;
    }

    private static SchemaLock? LockBeside(SchemaInput input, List<PlacedDiagnostic> result)
    {
        var lockPath = SchemaLock.PathFor(input.FullPath);
        if (!File.Exists(lockPath)) return null;
        var shownPath = SchemaLock.PathFor(input.Path);
        var text = SchemaInputs.Read(shownPath, Environment.CurrentDirectory).Text;
        var read = SchemaLockReader.Read(text);
        result.AddRange(read.Diagnostics.Select(d => PlacedDiagnostic.At(shownPath, read.Lines, d)));
        return read.Lock;
    }

    private static SchemaLock LockOfSchema(SchemaInput older)
    {
        var parsed = SchemaParser.Parse(older.Text, older.FullPath);
        if (parsed.Diagnostics.Any(d => d.Severity == SchemaSeverity.Error))
            throw new ToolException($"{older.Path}: the schema to compare against has syntax errors ({parsed.Diagnostics[0].Message})");
        return SchemaLockBuilder.Build(parsed);
    }

    private static SchemaLock? LockAtRevision(SchemaInput input, string revision)
    {
        var folder = Path.GetDirectoryName(input.FullPath)!;
        var name = Path.GetFileName(input.FullPath);
        var exists = Git(folder, "cat-file", "-e", $"{revision}:./{name}");
        if (exists.ExitCode != 0)
        {
            // An unknown revision is an error; a schema the revision does not have yet is new, with nothing to break.
            if (Git(folder, "rev-parse", "--verify", "--quiet", revision + "^{commit}").ExitCode != 0)
                throw new ToolException($"git revision '{revision}' not found (in {folder})");
            return null;
        }
        var show = Git(folder, "show", $"{revision}:./{name}");
        if (show.ExitCode != 0) throw new ToolException($"git show {revision}:{input.Path} failed: {show.Error.Trim()}");
        return LockOfSchema(new SchemaInput($"{revision}:{input.Path}", input.FullPath, show.Output));
    }

    private static (int ExitCode, string Output, string Error) Git(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start) ?? throw new ToolException("could not start git");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ToolException($"--against-git needs git on the PATH: {e.Message}", e);
        }
    }
}
