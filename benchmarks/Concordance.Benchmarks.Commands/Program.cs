using BenchmarkDotNet.Running;
using Concordance.Benchmarks.Commands;

// `-- --ratio [rounds]`: the raw read and the events path alternated in one process, medians and the rate ratio.
if (args.Contains("--ratio"))
{
    var rounds = args.SkipWhile(a => a != "--ratio").Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0, 7);
    await EventStreamingBenchmarks.RunRatioAsync(rounds);
    return 0;
}

// dotnet run -c Release --project benchmarks/Concordance.Benchmarks.Commands -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
