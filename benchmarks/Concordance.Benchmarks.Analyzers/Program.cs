using System.Collections.Immutable;
using System.Diagnostics;
using BenchmarkDotNet.Running;
using Concordance.Analyzers.Purity;
using Concordance.Benchmarks.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

// `telemetry [runs]`: the analyzers' own execution time as Roslyn measures it (what
// `-p:ReportAnalyzer=true` prints in a build), next to the compile's time. Anything else: BenchmarkDotNet.
if (args.Length > 0 && args[0] == "telemetry")
{
    var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
    var compilation = SyntheticSolution.Create();
    var bannedApi = SyntheticSolution.LoadBannedApiAnalyzer();
    var options = new AnalyzerOptions(ImmutableArray.Create(SyntheticSolution.BannedSymbolsFile()));
    var purity = new PurityAnalyzer();
    var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(purity, bannedApi);
    var compile = new List<double>();
    var purityTimes = new List<double>();
    var bannedTimes = new List<double>();
    var reported = 0;
    for (var run = 0; run < runs + 2; run++)
    {
        var fresh = compilation.Clone();
        var watch = Stopwatch.StartNew();
        using (var stream = new MemoryStream())
        {
            fresh.Emit(stream);
        }

        var compileMs = watch.Elapsed.TotalMilliseconds;
        var withAnalyzers = compilation.Clone().WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var purityMs = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(purity, CancellationToken.None)).ExecutionTime.TotalMilliseconds;
        var bannedMs = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(bannedApi, CancellationToken.None)).ExecutionTime.TotalMilliseconds;
        if (run >= 2)
        {
            compile.Add(compileMs);
            purityTimes.Add(purityMs);
            bannedTimes.Add(bannedMs);
        }

        reported = diagnostics.Count(d => d.Id.StartsWith("CC1", StringComparison.Ordinal));
        Console.WriteLine($"run {run}: compile {compileMs:F0} ms, purity {purityMs:F1} ms, BannedApi {bannedMs:F1} ms, {diagnostics.Length} diagnostics ({reported} CC1xxx, {diagnostics.Count(d => d.Id == "RS0030")} RS0030)");
    }

    // Wall clock of what a build does: the compiler's diagnostics alone, then with one analyzer.
    var wallBase = new List<double>();
    var wallPurity = new List<double>();
    var wallBanned = new List<double>();
    for (var run = 0; run < runs + 2; run++)
    {
        var watch = Stopwatch.StartNew();
        compilation.Clone().GetDiagnostics();
        var baseMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        await compilation.Clone().WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new PurityAnalyzer()), options).GetAllDiagnosticsAsync();
        var withPurityMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        await compilation.Clone().WithAnalyzers(ImmutableArray.Create(bannedApi), options).GetAllDiagnosticsAsync();
        var withBannedMs = watch.Elapsed.TotalMilliseconds;
        if (run >= 2)
        {
            wallBase.Add(baseMs);
            wallPurity.Add(withPurityMs);
            wallBanned.Add(withBannedMs);
        }

        Console.WriteLine($"wall run {run}: diagnostics {baseMs:F0} ms, + purity {withPurityMs:F0} ms, + BannedApi {withBannedMs:F0} ms");
    }

    double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    Console.WriteLine($"files {compilation.SyntaxTrees.Count()}, components {SyntheticSolution.Components}, runs {runs} (after 2 warm-ups), medians:");
    Console.WriteLine($"  compile (bind + emit)       {Median(compile),8:F1} ms");
    Console.WriteLine($"  purity analyzers            {Median(purityTimes),8:F1} ms  ({Median(purityTimes) / Median(compile):P1} of the compile)");
    Console.WriteLine($"  BannedApiAnalyzers          {Median(bannedTimes),8:F1} ms  ({Median(bannedTimes) / Median(compile):P1} of the compile)");
    Console.WriteLine($"  purity / BannedApi          {Median(purityTimes) / Median(bannedTimes),8:F2}x  (analyzer execution time, includes the body binding each triggers)");
    Console.WriteLine($"  wall: compiler diagnostics  {Median(wallBase),8:F1} ms");
    Console.WriteLine($"  wall: + purity analyzers    {Median(wallPurity),8:F1} ms  (+{Median(wallPurity) - Median(wallBase):F1} ms)");
    Console.WriteLine($"  wall: + BannedApiAnalyzers  {Median(wallBanned),8:F1} ms  (+{Median(wallBanned) - Median(wallBase):F1} ms)");
    return;
}

// `edit [runs]`: what an IDE does after one keystroke in one component file of the 220-file
// solution: the compiler's diagnostics for that file, then each analyzer's semantic diagnostics
// for that file alone (document analysis), on a compilation whose other files are unchanged.
if (args.Length > 0 && args[0] == "edit")
{
    var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
    var original = SyntheticSolution.Create();
    var bannedApi = SyntheticSolution.LoadBannedApiAnalyzer();
    var options = new AnalyzerOptions(ImmutableArray.Create(SyntheticSolution.BannedSymbolsFile()));
    var edited = original.SyntaxTrees.First(t => t.FilePath.EndsWith("Components/C0.cs", StringComparison.Ordinal));
    var fileBase = new List<double>();
    var filePurity = new List<double>();
    var fileBanned = new List<double>();
    for (var run = 0; run < runs + 2; run++)
    {
        var text = edited.GetText();
        var changed = edited.WithChangedText(text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(text.Length, 0), $"\n// edit {run}\n")));
        var compilation = original.ReplaceSyntaxTree(edited, changed);
        var watch = Stopwatch.StartNew();
        compilation.GetSemanticModel(changed).GetDiagnostics();
        var baseMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new PurityAnalyzer()), options)
            .GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(changed), null, CancellationToken.None);
        var purityMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        await compilation.WithAnalyzers(ImmutableArray.Create(bannedApi), options)
            .GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(changed), null, CancellationToken.None);
        var bannedMs = watch.Elapsed.TotalMilliseconds;
        if (run >= 2)
        {
            fileBase.Add(baseMs);
            filePurity.Add(purityMs);
            fileBanned.Add(bannedMs);
        }

        Console.WriteLine($"edit run {run}: file diagnostics {baseMs:F1} ms, purity {purityMs:F1} ms, BannedApi {bannedMs:F1} ms");
    }

    double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    var total = Median(fileBase) + Median(filePurity) + Median(fileBanned);
    Console.WriteLine($"one component file edited, runs {runs} (after 2 warm-ups), medians:");
    Console.WriteLine($"  compiler diagnostics of the file  {Median(fileBase),8:F1} ms");
    Console.WriteLine($"  purity analyzers on the file      {Median(filePurity),8:F1} ms  ({Median(filePurity) / total:P0} of the edit's analysis)");
    Console.WriteLine($"  BannedApiAnalyzers on the file    {Median(fileBanned),8:F1} ms  ({Median(fileBanned) / total:P0} of the edit's analysis)");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(AnalyzerBenchmarks).Assembly).Run(args);
