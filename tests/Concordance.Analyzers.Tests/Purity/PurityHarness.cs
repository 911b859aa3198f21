using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using System.Collections.Concurrent;
using Concordance.Analyzers.Purity;
using Concordance.Analyzers.Tests.Infrastructure;
using Concordance.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Concordance.Analyzers.Tests.Purity;

/// <summary>
/// Compiles test sources together with what the real <see cref="ConcordanceGenerator"/> emits for a
/// real schema (generated once per schema and shared), against the running framework and
/// Concordance.Runtime; runs <see cref="PurityAnalyzer"/> and compares its diagnostics with
/// <c>{|CC1001:…|}</c> markup: same IDs at the same spans, nothing else.
/// </summary>
internal static class PurityHarness
{
    /// <summary>
    /// The schema every case is compiled with: an aggregate, a second aggregate whose event has an
    /// old version with an upcast, a projector, a process manager and a gateway.
    /// </summary>
    public const string BankSchema = """
        namespace Bank;

        command WithdrawFunds { accountNumber: string, amount: decimal }
        command OpenAccount { accountNumber: string, currency: string }

        event FundsWithdrawn { accountNumber: string, amount: decimal }
        event AccountOpened { accountNumber: string }
        event AccountOpened v2 { accountNumber: string, currency: string }
        upcast AccountOpened v1 -> v2
        event WireSent { accountNumber: string }
        event TransferClosed { accountNumber: string }

        aggregate BankAccount {
            key accountNumber
            state { balance: decimal }
            handle WithdrawFunds -> FundsWithdrawn
        }

        aggregate Registry {
            key accountNumber
            handle OpenAccount -> AccountOpened
        }

        projector AccountLedger { on FundsWithdrawn }

        process Transfer {
            key accountNumber
            state { accountNumber: string }
            start on FundsWithdrawn
            end on TransferClosed
            send WithdrawFunds
        }

        gateway WireNetwork {
            on FundsWithdrawn
            emit WireSent, TransferClosed
        }
        """;

    /// <summary>The pure upcast every case gets unless it writes its own <c>AccountOpenedV1.Upcast()</c>.</summary>
    public const string DefaultUpcast = """
        namespace Bank
        {
            public sealed partial record AccountOpenedV1
            {
                public partial AccountOpened Upcast() => new(AccountNumber, "EUR");
            }
        }
        """;

    /// <summary>Usings every test file starts with.</summary>
    public const string Usings = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Bank;
        using Concordance;

        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);
    private static readonly ConcurrentDictionary<string, Lazy<CSharpCompilation>> s_generated = new(StringComparer.Ordinal);
    private static readonly Regex s_markup = new(@"\{\|(?<id>CC\d{4}):|\|\}", RegexOptions.Compiled);

    /// <summary>A compilation with the test references and the generator's output for <see cref="BankSchema"/>, for symbol look-ups.</summary>
    public static CSharpCompilation ReferenceCompilation => Generated(BankSchema);

    /// <summary>
    /// The generator's output for <paramref name="schema"/> in a compilation of its own, made once per
    /// schema: a test adds its files to it, so referenced assemblies are loaded once, not per test.
    /// </summary>
    public static CSharpCompilation Generated(string schema) => s_generated.GetOrAdd(schema, text => new Lazy<CSharpCompilation>(() =>
    {
        var empty = CSharpCompilation.Create("App", [], s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create([new ConcordanceGenerator().AsSourceGenerator()], [new InMemoryAdditionalText("/project/Bank.concordance", text)])
            .RunGeneratorsAndUpdateCompilation(empty, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();
        Assert.True(result.Results.All(r => r.Exception is null), "The generator threw: " + string.Join("\n", result.Results.Select(r => r.Exception)));
        Assert.True(result.GeneratedTrees.Length > 0, "The generator wrote nothing for the schema.");
        var errors = output.AddSyntaxTrees(CSharpSyntaxTree.ParseText(DefaultUpcast, path: "Upcasts.cs")).GetDiagnostics().Concat(generatorDiagnostics)
            .Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "The generated code does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        return (CSharpCompilation)output;
    })).Value;

    /// <summary>Asserts the analyzer reports exactly the marked spans, with the marked IDs; returns its diagnostics.</summary>
    public static async Task<ImmutableArray<Diagnostic>> VerifyAsync(string markup, string? bannedList = null, params string[] moreMarkupFiles)
    {
        var files = new[] { markup }.Concat(moreMarkupFiles).Select((text, i) => (Path: $"Test{i}.cs", Parsed: Parse(Usings + text))).ToArray();
        var diagnostics = await RunAsync(files.Select(f => (f.Path, f.Parsed.Source)).ToArray(), bannedList);
        var expected = files.SelectMany(f => f.Parsed.Spans.Select(s => $"{f.Path} {s.Id} {Describe(f.Parsed.Source, s.Span)}")).OrderBy(s => s, StringComparer.Ordinal).ToArray();
        var actual = diagnostics.Select(d => $"{d.Location.SourceTree!.FilePath} {d.Id} {Describe(d.Location.SourceTree.GetText().ToString(), d.Location.SourceSpan)}").OrderBy(s => s, StringComparer.Ordinal).ToArray();
        Assert.True(expected.SequenceEqual(actual),
            "Expected:\n  " + string.Join("\n  ", expected) + "\nActual:\n  " + string.Join("\n  ", actual) +
            "\nMessages:\n  " + string.Join("\n  ", diagnostics.Select(d => d.GetMessage())));
        return diagnostics;
    }

    /// <summary>Runs the analyzer over <paramref name="files"/> (plus the generated bases) and returns its diagnostics.</summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAsync((string Path, string Source)[] files, string? bannedList = null, CSharpCompilationOptions? options = null, string schema = BankSchema, IEnumerable<MetadataReference>? references = null)
    {
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Source, path: f.Path)).ToList();
        if (schema == BankSchema && !files.Any(f => f.Source.Contains("partial AccountOpened Upcast()", StringComparison.Ordinal)))
        {
            trees.Add(CSharpSyntaxTree.ParseText(DefaultUpcast, path: "Upcasts.cs"));
        }

        var compilation = Generated(schema).AddSyntaxTrees(trees).AddReferences(references ?? []);
        if (options is not null)
        {
            compilation = compilation.WithOptions(options);
        }

        var additional = bannedList is null
            ? ImmutableArray<AdditionalText>.Empty
            : ImmutableArray.Create<AdditionalText>(new InMemoryAdditionalText("/project/" + PurityAnalyzer.UserBannedListFileName, bannedList));
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(new PurityAnalyzer()),
            new AnalyzerOptions(additional));

        // One pass gives the compiler's diagnostics and the analyzer's: the test code must compile.
        var all = await withAnalyzers.GetAllDiagnosticsAsync();
        var errors = all.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("CC", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 0, "The test code does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        var crashes = all.Where(d => d.Id is "AD0001").ToArray();
        Assert.True(crashes.Length == 0, "The analyzer threw:\n" + string.Join("\n", crashes.Select(e => e.ToString())));
        var result = all.Where(d => d.Id.StartsWith("CC", StringComparison.Ordinal)).ToImmutableArray();
        return result;
    }

    private static string Describe(string source, TextSpan span)
    {
        var text = SourceText.From(source);
        var line = text.Lines.GetLinePosition(span.Start);
        return $"({line.Line + 1},{line.Character + 1}) `{source.Substring(span.Start, span.Length)}`";
    }

    private static (string Source, List<(string Id, TextSpan Span)> Spans) Parse(string markup)
    {
        var output = new StringBuilder();
        var open = new Stack<(string Id, int Start)>();
        var spans = new List<(string, TextSpan)>();
        var last = 0;
        foreach (Match match in s_markup.Matches(markup))
        {
            output.Append(markup, last, match.Index - last);
            last = match.Index + match.Length;
            if (match.Value == "|}")
            {
                var (id, start) = open.Pop();
                spans.Add((id, TextSpan.FromBounds(start, output.Length)));
            }
            else
            {
                open.Push((match.Groups["id"].Value, output.Length));
            }
        }

        output.Append(markup, last, markup.Length - last);
        Assert.Empty(open);
        return (output.ToString(), spans);
    }

    /// <summary>A library compiled from <paramref name="source"/>, as another assembly the application references.</summary>
    public static MetadataReference Library(string name, string source)
    {
        var library = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)], s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = library.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll"))
            .Append(typeof(IAggregate).Assembly.Location)
            .Append(typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly.Location)
            .Append(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location)
            .Distinct();
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
