using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Concordance.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Benchmarks.Generators;

/// <summary>
/// Cold generation of a 1,000-message schema next to compiling what it emits (the baseline), and
/// a re-run after an unrelated edit. Every benchmark builds a fresh compilation so nothing the
/// compiler caches per compilation is reused between invocations.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private GeneratorSetup _setup = null!;
    private GeneratorDriver _warmDriver = null!;
    private CSharpCompilation _editedCompilation = null!;

    [GlobalSetup]
    public void Setup()
    {
        _setup = GeneratorSetup.Create(aggregates: 20, commandsPerAggregate: 25);
        _warmDriver = _setup.CreateDriver().RunGenerators(_setup.CreateUserCompilation());
        _editedCompilation = _setup.CreateUserCompilation().ReplaceSyntaxTree(_setup.UserTree, _setup.EditedUserTree);
    }

    [Benchmark(Baseline = true, Description = "compile the generated code")]
    public int CompileGeneratedCode()
    {
        var compilation = _setup.CreateUserCompilation().AddSyntaxTrees(_setup.GeneratedTrees);
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success) throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        return (int)stream.Length;
    }

    [Benchmark(Description = "cold generation")]
    public int ColdGeneration() =>
        _setup.CreateDriver().RunGenerators(_setup.CreateUserCompilation()).GetRunResult().GeneratedTrees.Length;

    [Benchmark(Description = "re-run after an unrelated edit")]
    public int UnrelatedEdit() =>
        _warmDriver.RunGenerators(_editedCompilation).GetRunResult().GeneratedTrees.Length;
}

/// <summary>The inputs shared by the benchmarks and the step check.</summary>
public sealed class GeneratorSetup
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private GeneratorSetup(AdditionalText schema, SyntaxTree userTree, SyntaxTree editedUserTree, ImmutableArray<MetadataReference> references)
    {
        Schema = schema;
        UserTree = userTree;
        EditedUserTree = editedUserTree;
        References = references;
        var run = CreateDriver().RunGenerators(CreateUserCompilation()).GetRunResult();
        GeneratedTrees = [.. run.GeneratedTrees];
        MessageCount = CountMessages(schema.GetText()!.ToString());
    }

    public AdditionalText Schema { get; }
    public SyntaxTree UserTree { get; }
    public SyntaxTree EditedUserTree { get; }
    public ImmutableArray<MetadataReference> References { get; }
    public ImmutableArray<SyntaxTree> GeneratedTrees { get; }
    public int MessageCount { get; }

    public static GeneratorSetup Create(int aggregates, int commandsPerAggregate)
    {
        var schema = new InMemoryAdditionalText("/bench/Large.concordance", LargeSchema.Create(aggregates, commandsPerAggregate));
        var user = CSharpSyntaxTree.ParseText("namespace App; public static class Unrelated { public static int Value => 1; }", ParseOptions, "/bench/Unrelated.cs");
        var edited = CSharpSyntaxTree.ParseText("namespace App; public static class Unrelated { public static int Value => 2; }", ParseOptions, "/bench/Unrelated.cs");
        var trustedAssemblies = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = trustedAssemblies
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(IAggregate).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location))
            .ToImmutableArray();
        return new GeneratorSetup(schema, user, edited, references);
    }

    public CSharpCompilation CreateUserCompilation() =>
        CSharpCompilation.Create("Bench", [UserTree], References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new ConcordanceGenerator().AsSourceGenerator()], [Schema], ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private static int CountMessages(string text) =>
        text.Split('\n').Count(l => l.StartsWith("command ", StringComparison.Ordinal) || l.StartsWith("event ", StringComparison.Ordinal));
}

/// <summary>An additional file held in memory.</summary>
public sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
