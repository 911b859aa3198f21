using System.Diagnostics;
using System.Globalization;

namespace Concordance.Benchmarks.Runtime;

/// <summary>
/// The catch-up's raw sequential read and the projector's catch-up from position 0 alternated in one process (see
/// Program.cs): one raw read of the 10,000-event log, the same read through SQLite's API, one catch-up, and so on, so
/// all see the same load on a shared machine; BenchmarkDotNet measures each in its own process, one after the other,
/// where a change of load between them decides the ratio. Prints the medians, the ratios and the load average before
/// and after.
/// </summary>
public static class CatchUpInterleaved
{
    public static async Task RunAsync(int rounds)
    {
        var benchmarks = new ProjectionCatchUpBenchmarks();
        await benchmarks.Setup();
        try
        {
            var loadBefore = LoadAverage();
            // Warm all paths for eight seconds (tiered compilation and dynamic PGO replace the first-tier and instrumented
            // code: ~60 catch-ups), as BenchmarkDotNet's warm-up does.
            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed < TimeSpan.FromSeconds(8))
            {
                await benchmarks.Raw_sequential_read();
                await benchmarks.Raw_sequential_read_sqlite_api();
                benchmarks.ResetProjection();
                await benchmarks.Concordance_projector_catch_up();
            }
            var raw = new List<double>();
            var api = new List<double>();
            var catchUp = new List<double>();
            for (var r = 0; r < rounds; r++)
            {
                var start = Stopwatch.GetTimestamp();
                await benchmarks.Raw_sequential_read();
                raw.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                start = Stopwatch.GetTimestamp();
                await benchmarks.Raw_sequential_read_sqlite_api();
                api.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                benchmarks.ResetProjection();
                start = Stopwatch.GetTimestamp();
                await benchmarks.Concordance_projector_catch_up();
                catchUp.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            Console.WriteLine($"{rounds} rounds after an 8 s warm-up, alternated one raw read / one read through SQLite's API / one catch-up of the 10,000-event log; load average {loadBefore} before, {LoadAverage()} after");
            Console.WriteLine($"raw sequential read (baseline): {Describe(raw)}");
            Console.WriteLine($"the same through SQLite's API:  {Describe(api)}");
            Console.WriteLine($"projector catch-up:             {Describe(catchUp)}");
            Console.WriteLine($"throughput ratio (baseline time / catch-up time): {DurableInterleaved.Median(raw) / DurableInterleaved.Median(catchUp):N2}x by medians, {raw.Average() / catchUp.Average():N2}x by means (target >= 0.5x)");
            Console.WriteLine($"against the read through SQLite's API:            {DurableInterleaved.Median(api) / DurableInterleaved.Median(catchUp):N2}x by medians, {api.Average() / catchUp.Average():N2}x by means");
        }
        finally
        {
            await benchmarks.Cleanup();
        }
    }

    private static string Describe(List<double> values)
    {
        var sorted = values.Order().ToList();
        return $"median {DurableInterleaved.Median(values),6:N1} ms, mean {values.Average(),6:N1} ms (p10 {sorted[sorted.Count / 10]:N1}, p90 {sorted[sorted.Count * 9 / 10]:N1})";
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
