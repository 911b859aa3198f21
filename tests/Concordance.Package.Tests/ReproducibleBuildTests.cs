using System.Diagnostics;

namespace Concordance.Package.Tests;

/// <summary>
/// Two checkouts of the same commit build the same thing: the consumer is committed once and cloned into a second
/// folder, both are built for CI, and the generated files (names and texts), the assembly and its PDB are identical.
/// </summary>
[Collection(nameof(PackageFeed))]
public sealed class ReproducibleBuildTests(PackageFeed feed)
{
    [Fact]
    public void Given_one_commit_checked_out_in_two_folders_when_built_for_CI_then_generated_files_assembly_and_pdb_are_identical()
    {
        var first = feed.CreateConsumer("Shop");
        Git(first, "init", "-q");
        Git(first, "add", "-A");
        Git(first, "-c", "user.name=Concordance tests", "-c", "user.email=tests@localhost", "commit", "-q", "-m", "shop");
        var second = Path.Combine(feed.Root, "second-checkout-" + Guid.NewGuid().ToString("N")[..8], "Shop");
        Git(feed.Root, "clone", "-q", first, second);

        foreach (var consumer in new[] { first, second })
        {
            var build = Dotnet.Run(consumer, "build", "-c", "Release", "-nologo", "-p:ContinuousIntegrationBuild=true",
                "-p:EmitCompilerGeneratedFiles=true", "-p:CompilerGeneratedFilesOutputPath=generated");
            Assert.True(build.ExitCode == 0, build.Output);
        }

        var generated = Generated(first);
        Assert.Contains(generated.Keys, name => name.EndsWith(".CartAggregateBase.g.cs", StringComparison.Ordinal));
        // Generated declarations map to the schema with #line; a CI build names it through PathMap, as the compiler names sources.
        Assert.Contains(generated.Values, text => text.Contains("\"/_/Shop.concordance\"", StringComparison.Ordinal));
        Assert.Equal(generated, Generated(second));
        Assert.Equal(File.ReadAllBytes(Output(first, "Shop.dll")), File.ReadAllBytes(Output(second, "Shop.dll")));
        Assert.Equal(File.ReadAllBytes(Output(first, "Shop.pdb")), File.ReadAllBytes(Output(second, "Shop.pdb")));
    }

    /// <summary>The Concordance generator's files, by name, with their texts.</summary>
    private static SortedDictionary<string, string> Generated(string consumer)
    {
        var folder = Path.Combine(consumer, "generated", "Concordance.Generators");
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*.g.cs", SearchOption.AllDirectories))
            files[Path.GetRelativePath(folder, file).Replace('\\', '/')] = File.ReadAllText(file);
        return files;
    }

    private static string Output(string consumer, string file) => Path.Combine(consumer, "bin", "Release", "net10.0", file);

    private static void Git(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {output}");
    }
}
