using System.Collections.Concurrent;
using System.Collections.Immutable;
using Concordance.Analyzers.Schema;
using Concordance.Analyzers.Wiring;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Concordance.Analyzers.Tests.Infrastructure;

/// <summary>Runs Concordance's analyzers over a C# compilation plus schema files, the way the compiler does.</summary>
internal static class AnalyzerHarness
{
    private static readonly ImmutableArray<MetadataReference> References =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Private.CoreLib.dll" or "System.Runtime.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();

    /// <summary>Every analyzer of this area: schema diagnostics and component wiring.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers { get; } =
        ImmutableArray.Create<DiagnosticAnalyzer>(new SchemaDiagnosticAnalyzer(), new ComponentImplementationAnalyzer());

    /// <summary>A library compilation of <paramref name="sources"/> (path, code); fails the test if it has compile errors.</summary>
    public static CSharpCompilation Compile(params (string Path, string Code)[] sources)
    {
        var compilation = CSharpCompilation.Create(
            "Concordance.Analyzers.Tests.Subject",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Code, path: s.Path)),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The test's C# does not compile:\n" + string.Join("\n", errors));
        return compilation;
    }

    /// <summary>An empty compilation, for schema-only tests.</summary>
    public static CSharpCompilation EmptyCompilation() => Compile();

    /// <summary>
    /// Runs <paramref name="analyzers"/> (all of this area's by default) and returns their diagnostics
    /// sorted by file and position. Any analyzer exception fails the test with its stack trace.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAsync(
        Compilation compilation, IEnumerable<AdditionalText> additionalFiles, ImmutableArray<DiagnosticAnalyzer>? analyzers = null)
    {
        var exceptions = new ConcurrentBag<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(additionalFiles.ToImmutableArray()),
            onAnalyzerException: (exception, _, _) => exceptions.Add(exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(analyzers ?? AllAnalyzers, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.True(exceptions.IsEmpty, "An analyzer threw:\n" + string.Join("\n\n", exceptions));
        return diagnostics
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    /// <summary>Runs every analyzer over schema files only, with no C# in the compilation.</summary>
    public static Task<ImmutableArray<Diagnostic>> RunOnSchemasAsync(params (string Path, string Text)[] schemas) =>
        RunAsync(EmptyCompilation(), schemas.Select(s => new InMemoryAdditionalText(s.Path, s.Text)));

    /// <summary>A diagnostic as <c>dotnet build</c> prints it: <c>Bank.concordance(12,24): error CC0003: message</c>.</summary>
    public static string Format(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var severity = diagnostic.Severity.ToString().ToLowerInvariant();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {diagnostic.Id}: {diagnostic.GetMessage()}";
    }
}
