using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Concordance.Benchmarks.Generators;

/// <summary>
/// What the System.Text.Json source generator costs for the same messages: the records of the large schema written by
/// hand, a <c>JsonSerializerContext</c> with one <c>[JsonSerializable]</c> per message (camelCase, enums by name),
/// run through the SDK's own STJ generator once; the benchmark then compiles records + context + its output.
/// </summary>
public sealed class StjBaseline
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private StjBaseline(ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references)
    {
        Trees = trees;
        References = references;
    }

    /// <summary>The hand-written records and context plus what the STJ generator wrote for them.</summary>
    public ImmutableArray<SyntaxTree> Trees { get; }

    /// <summary>The same references as the Concordance side.</summary>
    public ImmutableArray<MetadataReference> References { get; }

    /// <summary>Lines of the STJ generator's output.</summary>
    public int GeneratedLines { get; private set; }

    public static StjBaseline Create(int aggregates, int commandsPerAggregate, ImmutableArray<MetadataReference> references)
    {
        var records = CSharpSyntaxTree.ParseText(Records(aggregates, commandsPerAggregate), ParseOptions, "/bench/Records.cs");
        var generator = new AnalyzerFileReference(GeneratorPath(), new Loader()).GetGenerators(LanguageNames.CSharp);
        if (generator.IsEmpty) throw new InvalidOperationException("The System.Text.Json source generator was not found in " + GeneratorPath());
        var compilation = Compile([records], references);
        var driver = CSharpGeneratorDriver.Create(generator, parseOptions: ParseOptions).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var errors = diagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("\n", errors));
        var generated = driver.GetRunResult().GeneratedTrees;
        return new StjBaseline([records, .. generated], references)
        {
            GeneratedLines = generated.Sum(t => t.GetText().Lines.Count),
        };
    }

    /// <summary>Compiles records + context + STJ output to IL, as <c>CompileGeneratedCode</c> does for Concordance's.</summary>
    public int CompileOutput()
    {
        var compilation = Compile(Trees, References);
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success) throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        return (int)stream.Length;
    }

    private static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, ImmutableArray<MetadataReference> references) =>
        CSharpCompilation.Create("StjBench", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The records of <see cref="LargeSchema"/> as a user of STJ would write them, and the context.</summary>
    public static string Records(int aggregates, int commandsPerAggregate)
    {
        var text = new StringBuilder("#nullable enable\nusing System;\nusing System.Collections.Generic;\nusing System.Text.Json.Serialization;\nnamespace Large;\n\n");
        text.Append("public enum Priority { Low, Normal, High }\n");
        text.Append("public sealed record Line(string Sku, int Quantity, decimal Price);\n");
        var context = new StringBuilder("[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]\n");
        for (var a = 0; a < aggregates; a++)
        {
            text.Append($"public sealed record Thing{a}State(decimal Total, int Count);\n");
            context.Append($"[JsonSerializable(typeof(Thing{a}State))]\n");
            for (var c = 0; c < commandsPerAggregate; c++)
            {
                foreach (var name in new[] { $"Do{a}x{c}", $"Done{a}x{c}" })
                {
                    text.Append($"public sealed record {name}(string Id{a}, decimal Amount, string? Note, DateTimeOffset At, IReadOnlyList<Line> Lines, IReadOnlyDictionary<string, int> Tags, Priority Priority);\n");
                    context.Append($"[JsonSerializable(typeof({name}))]\n");
                }
            }
        }
        text.Append(context).Append("public partial class LargeJsonContext : JsonSerializerContext { }\n");
        return text.ToString();
    }

    /// <summary>The STJ generator of the SDK's reference pack matching the running runtime.</summary>
    private static string GeneratorPath()
    {
        var shared = Path.GetDirectoryName(typeof(object).Assembly.Location)!; // …/shared/Microsoft.NETCore.App/<version>
        var root = Path.GetFullPath(Path.Combine(shared, "..", "..", ".."));
        var version = Path.GetFileName(shared);
        var pack = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        var dir = Directory.Exists(Path.Combine(pack, version)) ? Path.Combine(pack, version) : Directory.GetDirectories(pack).OrderBy(d => d, StringComparer.Ordinal).Last();
        return Path.Combine(dir, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll");
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath) { }

        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }
}
