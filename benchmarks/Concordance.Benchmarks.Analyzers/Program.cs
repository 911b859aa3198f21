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
    // The two analyzers take turns going first, each measurement starts after a full collection,
    // and the process's CPU time is read beside the wall clock: on a shared machine the run queue
    // stretches wall time far more than CPU time.
    var wallBase = new List<double>();
    var wallPurity = new List<double>();
    var wallBanned = new List<double>();
    var cpuBase = new List<double>();
    var cpuPurity = new List<double>();
    var cpuBanned = new List<double>();
    var allocBase = new List<double>();
    var allocPurity = new List<double>();
    var allocBanned = new List<double>();
    var wallDriver = new List<double>();
    var cpuDriver = new List<double>();
    async Task<(double Wall, double Cpu, double Allocated)> Measure(Func<Task> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await work();
        var wall = watch.Elapsed.TotalMilliseconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        return (wall, cpu, (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1e6);
    }

    for (var run = 0; run < runs + 2; run++)
    {
        var withBase = await Measure(() => Task.FromResult(compilation.Clone().GetDiagnostics()));
        (double Wall, double Cpu, double Allocated) withPurity, withBanned;
        if (run % 2 == 0)
        {
            withPurity = await Measure(() => compilation.Clone().WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new PurityAnalyzer()), options).GetAllDiagnosticsAsync());
            withBanned = await Measure(() => compilation.Clone().WithAnalyzers(ImmutableArray.Create(bannedApi), options).GetAllDiagnosticsAsync());
        }
        else
        {
            withBanned = await Measure(() => compilation.Clone().WithAnalyzers(ImmutableArray.Create(bannedApi), options).GetAllDiagnosticsAsync());
            withPurity = await Measure(() => compilation.Clone().WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new PurityAnalyzer()), options).GetAllDiagnosticsAsync());
        }

        var withDriver = await Measure(() => compilation.Clone().WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DriverOnlyAnalyzer()), options).GetAllDiagnosticsAsync());
        if (run >= 2)
        {
            wallDriver.Add(withDriver.Wall);
            cpuDriver.Add(withDriver.Cpu);
            wallBase.Add(withBase.Wall);
            wallPurity.Add(withPurity.Wall);
            wallBanned.Add(withBanned.Wall);
            cpuBase.Add(withBase.Cpu);
            cpuPurity.Add(withPurity.Cpu);
            cpuBanned.Add(withBanned.Cpu);
            allocBase.Add(withBase.Allocated);
            allocPurity.Add(withPurity.Allocated);
            allocBanned.Add(withBanned.Allocated);
        }

        Console.WriteLine($"wall run {run}: diagnostics {withBase.Wall:F0} ms, + purity {withPurity.Wall:F0} ms (+{withPurity.Wall - withBase.Wall:F0}), + BannedApi {withBanned.Wall:F0} ms (+{withBanned.Wall - withBase.Wall:F0}); " +
            $"CPU {withBase.Cpu:F0} / {withPurity.Cpu:F0} (+{withPurity.Cpu - withBase.Cpu:F0}) / {withBanned.Cpu:F0} (+{withBanned.Cpu - withBase.Cpu:F0}) ms; allocated {withBase.Allocated:F0} / +{withPurity.Allocated - withBase.Allocated:F0} / +{withBanned.Allocated - withBase.Allocated:F0} MB");
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
    var addedWallPurity = wallPurity.Zip(wallBase, (a, b) => a - b).ToList();
    var addedWallBanned = wallBanned.Zip(wallBase, (a, b) => a - b).ToList();
    var addedCpuPurity = cpuPurity.Zip(cpuBase, (a, b) => a - b).ToList();
    var addedCpuBanned = cpuBanned.Zip(cpuBase, (a, b) => a - b).ToList();
    Console.WriteLine($"  added wall, median of per-run differences: purity +{Median(addedWallPurity):F0} ms, BannedApi +{Median(addedWallBanned):F0} ms, purity / BannedApi {Median(addedWallPurity) / Median(addedWallBanned):F2}x");
    Console.WriteLine($"  added CPU,  median of per-run differences: purity +{Median(addedCpuPurity):F0} ms, BannedApi +{Median(addedCpuBanned):F0} ms, purity / BannedApi {Median(addedCpuPurity) / Median(addedCpuBanned):F2}x");
    var addedAllocPurity = allocPurity.Zip(allocBase, (a, b) => a - b).ToList();
    var addedAllocBanned = allocBanned.Zip(allocBase, (a, b) => a - b).ToList();
    Console.WriteLine($"  added allocations, median:                  purity +{Median(addedAllocPurity):F0} MB, BannedApi +{Median(addedAllocBanned):F0} MB, purity / BannedApi {Median(addedAllocPurity) / Median(addedAllocBanned):F2}x");
    // The driver's own cost (an analyzer that looks at nothing) is in both added times above; in a real
    // build the driver runs anyway, so the difference each analyzer makes beyond it is shown too.
    var addedWallDriver = wallDriver.Zip(wallBase, (a, b) => a - b).ToList();
    var addedCpuDriver = cpuDriver.Zip(cpuBase, (a, b) => a - b).ToList();
    Console.WriteLine($"  analyzer driver alone (an analyzer looking at nothing): added wall +{Median(addedWallDriver):F0} ms, added CPU +{Median(addedCpuDriver):F0} ms");
    var beyondWallPurity = wallPurity.Zip(wallDriver, (a, b) => a - b).ToList();
    var beyondWallBanned = wallBanned.Zip(wallDriver, (a, b) => a - b).ToList();
    var beyondCpuPurity = cpuPurity.Zip(cpuDriver, (a, b) => a - b).ToList();
    var beyondCpuBanned = cpuBanned.Zip(cpuDriver, (a, b) => a - b).ToList();
    Console.WriteLine($"  beyond the driver, wall: purity +{Median(beyondWallPurity):F0} ms, BannedApi +{Median(beyondWallBanned):F0} ms, purity / BannedApi {Median(beyondWallPurity) / Median(beyondWallBanned):F2}x");
    Console.WriteLine($"  beyond the driver, CPU:  purity +{Median(beyondCpuPurity):F0} ms, BannedApi +{Median(beyondCpuBanned):F0} ms, purity / BannedApi {Median(beyondCpuPurity) / Median(beyondCpuBanned):F2}x");
    Console.WriteLine($"  per-run added wall, purity:    {string.Join(", ", addedWallPurity.Select(v => v.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
    Console.WriteLine($"  per-run added wall, BannedApi: {string.Join(", ", addedWallBanned.Select(v => v.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
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
