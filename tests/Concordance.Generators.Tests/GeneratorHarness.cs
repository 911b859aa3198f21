using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Generators.Tests;

/// <summary>Runs <see cref="ConcordanceGenerator"/> over in-memory schemas and C# with CSharpGeneratorDriver.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Preview, DocumentationMode.Diagnose);

    /// <summary>Warnings as errors, nullable on: the strictest settings a consumer may use.</summary>
    public static readonly CSharpCompilationOptions CompilationOptions =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error)
            .WithSpecificDiagnosticOptions([
                // Reference-assembly version unification notes, not about the code under test.
                new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);

    /// <summary>The framework, the runtime library and DI abstractions; never this test assembly (it holds generated types too).</summary>
    public static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. paths
            .Where(p =>
            {
                var name = Path.GetFileName(p);
                return name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll" or "Concordance.Runtime.dll"
                    || name.StartsWith("Microsoft.Extensions.DependencyInjection", StringComparison.Ordinal);
            })
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    /// <summary>The directory of this source file: inputs and baselines are read from (and written to) the source tree.</summary>
    public static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public static string SchemasDirectory => Path.Combine(SourceDirectory(), "Schemas");

    public static string ComponentsDirectory => Path.Combine(SourceDirectory(), "Components");

    public static string ReadSchema(string name) => File.ReadAllText(Path.Combine(SchemasDirectory, name + ".concordance"));

    public static CSharpCompilation Compilation(IEnumerable<string> sources) =>
        CSharpCompilation.Create("Consumer",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"/src/Source{i}.cs")),
            References, CompilationOptions);

    public static GeneratorDriver Driver(IEnumerable<(string Path, string Text)> schemas, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new ConcordanceGenerator().AsSourceGenerator()],
            schemas.Select(s => (AdditionalText)new InMemoryAdditionalText(s.Path, s.Text)),
            ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once; returns the driver (for further runs), the result and the compilation with generated code.</summary>
    public static (GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output) Run(
        IEnumerable<(string Path, string Text)> schemas, IEnumerable<string> sources, bool trackSteps = false)
    {
        var compilation = Compilation(sources);
        var driver = Driver(schemas, trackSteps).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver, driver.GetRunResult(), output);
    }

    /// <summary>Every generated file, by hint name, in ordinal order.</summary>
    public static IReadOnlyList<(string HintName, string Text)> Generated(GeneratorDriverRunResult result) =>
        [.. result.Results.SelectMany(r => r.GeneratedSources)
            .Select(s => (s.HintName, s.SourceText.ToString()))
            .OrderBy(s => s.HintName, StringComparer.Ordinal)];

    /// <summary>
    /// What the generator reports besides schema diagnostics (CC0xxx, which it reports on purpose):
    /// anything here, CS8785 above all, is a generator failure.
    /// </summary>
    public static IReadOnlyList<Diagnostic> GeneratorFailures(GeneratorDriverRunResult result) =>
        [.. result.Diagnostics.Where(d => !d.Id.StartsWith("CC0", StringComparison.Ordinal))];

    /// <summary>Errors and warnings, formatted for an assertion message.</summary>
    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => d.ToString()));

    public static IReadOnlyList<Diagnostic> Problems(Compilation compilation) =>
        [.. compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];
}

/// <summary>An additional file held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
