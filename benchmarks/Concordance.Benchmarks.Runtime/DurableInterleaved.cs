using System.Diagnostics;

namespace Concordance.Benchmarks.Runtime;

/// <summary>The durable loop's baseline and one-sender bus, alternated in one process (see Program.cs).</summary>
public static class DurableInterleaved
{
    public static async Task RunAsync(int rounds)
    {
        var benchmarks = new DurableCommandBenchmarks();
        benchmarks.Setup();
        try
        {
            // Warm both paths (JIT, files, WAL) before timing.
            for (var i = 0; i < 3; i++)
            {
                benchmarks.Raw_insert_per_transaction();
                await benchmarks.Concordance_one_sender();
            }
            var raw = new List<double>();
            var bus = new List<double>();
            for (var r = 0; r < rounds; r++)
            {
                var rawFirst = r % 2 == 0;
                if (rawFirst) raw.Add(Time(benchmarks.Raw_insert_per_transaction));
                bus.Add(await TimeAsync(benchmarks.Concordance_one_sender));
                if (!rawFirst) raw.Add(Time(benchmarks.Raw_insert_per_transaction));
            }
            var perOp = DurableCommandBenchmarks.SequentialOperations;
            var rawMedian = Median(raw) / perOp;
            var busMedian = Median(bus) / perOp;
            Console.WriteLine($"rounds: {rounds} of {perOp} operations each, alternating which side goes first");
            Console.WriteLine($"raw insert per transaction (baseline): median {rawMedian,8:N1} µs per op   (min {raw.Min() / perOp:N1}, max {raw.Max() / perOp:N1})");
            Console.WriteLine($"command bus, one sender:               median {busMedian,8:N1} µs per op   (min {bus.Min() / perOp:N1}, max {bus.Max() / perOp:N1})");
            Console.WriteLine($"throughput ratio (baseline time / bus time): {rawMedian / busMedian:N2}x (target >= 0.8x)");
        }
        finally
        {
            await benchmarks.Cleanup();
        }
    }

    private static double Time(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
