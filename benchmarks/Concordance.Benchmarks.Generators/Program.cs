using BenchmarkDotNet.Running;
using Concordance.Benchmarks.Generators;
using Microsoft.CodeAnalysis;

// `-- --steps` prints what every generator step did after an unrelated edit (the target: nothing re-runs).
if (args.Contains("--steps"))
{
    var setup = GeneratorSetup.Create(aggregates: 20, commandsPerAggregate: 25);
    var warm = setup.CreateDriver().RunGenerators(setup.CreateUserCompilation());
    var edited = warm.RunGenerators(setup.CreateUserCompilation().ReplaceSyntaxTree(setup.UserTree, setup.EditedUserTree));
    var steps = edited.GetRunResult().Results[0].TrackedSteps;
    Console.WriteLine($"schema: {setup.MessageCount} messages, {setup.GeneratedTrees.Length} generated files");
    var rerun = 0;
    foreach (var (name, runs) in steps.OrderBy(s => s.Key, StringComparer.Ordinal))
    {
        var reasons = runs.SelectMany(r => r.Outputs).GroupBy(o => o.Reason).Select(g => $"{g.Key}×{g.Count()}");
        Console.WriteLine($"  {name}: {string.Join(", ", reasons)}");
        rerun += runs.SelectMany(r => r.Outputs).Count(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);
    }
    Console.WriteLine($"outputs new or modified after the unrelated edit: {rerun}");
    return rerun == 0 ? 0 : 1;
}

// `-- --ratio [runs]` times cold generation against compiling its output, median of each, in one process.
// (A compile of the 1,000-message output takes seconds, too long for BenchmarkDotNet's in-process runs.)
if (args.Contains("--ratio"))
{
    var runs = args.SkipWhile(a => a != "--ratio").Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0, 5);
    var benchmarks = new GeneratorBenchmarks();
    benchmarks.Setup();
    benchmarks.CompileGeneratedCode();
    benchmarks.ColdGeneration();
    benchmarks.UnrelatedEdit();
    var compile = Median(runs, () => benchmarks.CompileGeneratedCode());
    var cold = Median(runs, () => benchmarks.ColdGeneration());
    var edit = Median(runs, () => benchmarks.UnrelatedEdit());
    Console.WriteLine($"compile the generated code (baseline): {compile.TotalMilliseconds,10:N0} ms");
    Console.WriteLine($"cold generation:                       {cold.TotalMilliseconds,10:N0} ms  ratio {cold / compile:P1} (target <= 5%)");
    Console.WriteLine($"re-run after an unrelated edit:        {edit.TotalMilliseconds,10:N1} ms  ratio {edit / compile:P2}");
    return 0;
}

// `-- --compare [runs]` compiles, in one process, the generated code of the 1,000-message schema and, as the
// baseline, the same records written by hand with a System.Text.Json source-generated context (median of each).
if (args.Contains("--compare"))
{
    var runs = args.SkipWhile(a => a != "--compare").Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0, 3);
    var benchmarks = new GeneratorBenchmarks();
    benchmarks.Setup();
    var setup = GeneratorSetup.Create(aggregates: 20, commandsPerAggregate: 25);
    var stj = StjBaseline.Create(aggregates: 20, commandsPerAggregate: 25, setup.References);
    var concordanceLines = setup.GeneratedTrees.Sum(t => t.GetText().Lines.Count);
    var stjRecordLines = stj.Trees[0].GetText().Lines.Count;
    Console.WriteLine($"schema: {setup.MessageCount} messages");
    Console.WriteLine($"Concordance generated: {concordanceLines:N0} lines in {setup.GeneratedTrees.Length} files, {concordanceLines / (double)setup.MessageCount:N1} lines per message");
    Console.WriteLine($"STJ: {stjRecordLines:N0} lines of records and context by hand + {stj.GeneratedLines:N0} generated lines, {stj.GeneratedLines / (double)setup.MessageCount:N1} generated lines per message");
    benchmarks.CompileGeneratedCode();
    stj.CompileOutput();
    var ratios = new List<double>();
    var concordanceTimes = new List<TimeSpan>();
    var stjTimes = new List<TimeSpan>();
    for (var i = 0; i < runs; i++)
    {
        // Alternated, so a change in the machine's load falls on both sides.
        var s = Time(() => stj.CompileOutput());
        var c = Time(() => benchmarks.CompileGeneratedCode());
        stjTimes.Add(s);
        concordanceTimes.Add(c);
        ratios.Add(c / s);
        Console.WriteLine($"  run {i + 1}: Concordance {c.TotalMilliseconds:N0} ms, STJ {s.TotalMilliseconds:N0} ms, ratio {c / s:N2}");
    }
    concordanceTimes.Sort();
    stjTimes.Sort();
    ratios.Sort();
    Console.WriteLine($"compile the STJ source generator's output + records (baseline): {stjTimes[runs / 2].TotalMilliseconds,8:N0} ms");
    Console.WriteLine($"compile Concordance's generated code:                          {concordanceTimes[runs / 2].TotalMilliseconds,8:N0} ms  median ratio {ratios[runs / 2]:N2}x (target <= 1.0x)");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
return 0;

static TimeSpan Time(Func<int> action)
{
    var start = System.Diagnostics.Stopwatch.GetTimestamp();
    action();
    return System.Diagnostics.Stopwatch.GetElapsedTime(start);
}

static TimeSpan Median(int runs, Func<int> action)
{
    var times = new List<TimeSpan>();
    for (var i = 0; i < runs; i++)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        action();
        times.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start));
    }
    times.Sort();
    return times[times.Count / 2];
}
