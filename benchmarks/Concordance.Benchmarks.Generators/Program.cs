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

BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
return 0;
