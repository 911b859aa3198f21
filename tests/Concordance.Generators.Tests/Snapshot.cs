using System.Text;
using Xunit;

namespace Concordance.Generators.Tests;

/// <summary>
/// Checked-in baselines under <c>Snapshots/{name}/</c>, one <c>.verified.cs</c> per generated file.
/// Set <c>CONCORDANCE_ACCEPT=1</c> to (re)write them; on a mismatch the new text lands beside the
/// baseline as <c>.received.cs</c> (git-ignored) so a diff tool shows the change.
/// </summary>
internal static class Snapshot
{
    public static string Directory(string name) => Path.Combine(GeneratorHarness.SourceDirectory(), "Snapshots", name);

    public static void Match(string name, IReadOnlyList<(string HintName, string Text)> files)
    {
        var directory = Directory(name);
        var accept = Environment.GetEnvironmentVariable("CONCORDANCE_ACCEPT") == "1";
        if (accept)
        {
            if (System.IO.Directory.Exists(directory)) System.IO.Directory.Delete(directory, recursive: true);
            System.IO.Directory.CreateDirectory(directory);
            foreach (var (hint, text) in files) File.WriteAllText(Path.Combine(directory, Baseline(hint)), text);
            return;
        }

        var problems = new StringBuilder();
        var expected = System.IO.Directory.Exists(directory)
            ? System.IO.Directory.GetFiles(directory, "*.verified.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
            : [];
        var actual = files.Select(f => Baseline(f.HintName)).ToList();
        foreach (var missing in expected.Except(actual)) problems.AppendLine($"  no longer generated: {missing}");
        foreach (var (hint, text) in files)
        {
            var path = Path.Combine(directory, Baseline(hint));
            var received = Path.Combine(directory, hint.Replace(".g.cs", ".received.cs"));
            if (File.Exists(path) && File.ReadAllText(path).ReplaceLineEndings("\n") == text)
            {
                if (File.Exists(received)) File.Delete(received);
                continue;
            }
            System.IO.Directory.CreateDirectory(directory);
            File.WriteAllText(received, text);
            problems.AppendLine(File.Exists(path) ? $"  changed: diff {path} {received}" : $"  new: {received}");
        }
        Assert.True(problems.Length == 0,
            $"Generated code for '{name}' differs from its baseline:\n{problems}Review the diff; set CONCORDANCE_ACCEPT=1 and rerun to accept.");
    }

    private static string Baseline(string hintName) => hintName.Replace(".g.cs", ".verified.cs");
}
