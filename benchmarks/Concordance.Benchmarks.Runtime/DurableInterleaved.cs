using System.Diagnostics;

namespace Concordance.Benchmarks.Runtime;

/// <summary>
/// The durable loop's baseline and one-sender bus alternated operation by operation in one process (see Program.cs):
/// one raw insert-and-commit, then one command through the bus, and so on. Each pair runs within a millisecond or two,
/// so both sides see the same disk and scheduler conditions; blocks of operations (BenchmarkDotNet's one method after
/// another, or rounds of 100) let the phases of a shared disk and an oversubscribed CPU decide the ratio instead.
/// </summary>
public static class DurableInterleaved
{
    public static async Task RunAsync(int rounds)
    {
        var benchmarks = new DurableCommandBenchmarks();
        benchmarks.Setup();
        try
        {
            var perRound = DurableCommandBenchmarks.SequentialOperations;
            var raw = new List<double>();
            var bus = new List<double>();
            var index = 0;
            // Warm both paths (JIT, files, WAL) before timing, not recorded: rounds until two seconds have passed, so
            // tiered compilation (which waits 100 ms after the last new method, then recompiles hot ones in the
            // background) has replaced the first-tier code on both sides, as BenchmarkDotNet's warm-up does.
            var warmUp = Stopwatch.StartNew();
            var warmRounds = 0;
            while (warmUp.Elapsed < TimeSpan.FromSeconds(2) || warmRounds < 1)
            {
                for (var i = 0; i < perRound; i++)
                {
                    benchmarks.RawInsert();
                    await benchmarks.SendOneAsync(index++);
                }
                warmRounds++;
            }
            for (var r = 0; r < rounds; r++)
            {
                for (var i = 0; i < perRound; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    benchmarks.RawInsert();
                    var rawTime = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    start = Stopwatch.GetTimestamp();
                    await benchmarks.SendOneAsync(index++);
                    var busTime = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    raw.Add(rawTime);
                    bus.Add(busTime);
                }
            }
            Console.WriteLine($"{raw.Count} operations each after {warmRounds} warm-up round(s), alternated one raw insert-and-commit / one command through the bus");
            Console.WriteLine($"raw insert per transaction (baseline): {Describe(raw)}");
            Console.WriteLine($"command bus, one sender:               {Describe(bus)}");
            Console.WriteLine($"throughput ratio (baseline time / bus time): {Median(raw) / Median(bus):N2}x by medians, {raw.Average() / bus.Average():N2}x by means (target >= 0.8x)");
        }
        finally
        {
            await benchmarks.Cleanup();
        }
    }

    internal static string Describe(List<double> values)
    {
        var sorted = values.Order().ToList();
        return $"median {Median(values),7:N0} µs, mean {values.Average(),7:N0} µs per op (p10 {sorted[sorted.Count / 10]:N0}, p90 {sorted[sorted.Count * 9 / 10]:N0})";
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
