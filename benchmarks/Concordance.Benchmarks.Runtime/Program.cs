using BenchmarkDotNet.Running;
using Concordance.Benchmarks.Runtime;

// `-- --interleaved [rounds]`: the durable loop's raw baseline and one-sender bus alternated operation by operation
// (one raw insert-and-commit, one command, …; rounds of 100 pairs) in one process, medians and means of each;
// BenchmarkDotNet runs each method in its own process one after the other, so a disk or CPU that changes speed
// mid-run favours whichever ran in the quiet part (see DurableInterleaved and benchmarks/README.md).
if (args.Contains("--interleaved"))
{
    var rounds = args.SkipWhile(a => a != "--interleaved").Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0, 20);
    await DurableInterleaved.RunAsync(rounds);
    return 0;
}

// `-- --write-checks [rounds]`: the durable loops (one sender; 64 senders) with and without the write-time checks,
// alternated in one process (see WriteChecksBenchmarks.RunInterleavedAsync).
if (args.Contains("--write-checks"))
{
    var rounds = args.SkipWhile(a => a != "--write-checks").Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0, 20);
    await WriteChecksBenchmarks.RunInterleavedAsync(rounds);
    return 0;
}

// `-- --catch-up-interleaved [rounds]`: the catch-up's raw read and the projector's catch-up alternated in one process
// (see CatchUpInterleaved), medians of each and their ratio.
if (args.Contains("--catch-up-interleaved"))
{
    var rounds = args.SkipWhile(a => a != "--catch-up-interleaved").Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0, 20);
    await CatchUpInterleaved.RunAsync(rounds);
    return 0;
}

// dotnet run -c Release --project benchmarks/Concordance.Benchmarks.Runtime -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
