using System.Diagnostics;

namespace Concordance.Benchmarks.Nats;

/// <summary>
/// The workloads of <see cref="CommandBenchmarks"/>, each raw baseline and its Concordance counterpart run in
/// alternation for a number of rounds, reported as medians per command and their ratio. On a shared machine the load
/// drifts over a BenchmarkDotNet run, which measures one case after the other; alternating keeps a baseline and its
/// comparison under the same load, and which of the two goes first alternates too. Besides the ratio of the medians,
/// each row gives the median (and quartiles) of the ratios of the rounds, each taken under one load.
/// <c>benchmarks/nats/run.sh interleaved [rounds] [text]</c>: with a text, only the rows whose category contains it.
/// </summary>
public static class InterleavedCommandRatios
{
    public static async Task RunAsync(int rounds, string? only = null)
    {
        var benchmarks = new CommandBenchmarks();
        await benchmarks.SetupAsync();
        try
        {
            (string Category, int Operations, Func<Task> Raw, Func<Task> Ours)[] pairs =
            [
                ("one aggregate, made ids", CommandBenchmarks.OneAggregateCommands, benchmarks.RawPublishExpectingLastSubjectSequence, benchmarks.CommandBusOnOneAggregate),
                ("one aggregate, given ids", CommandBenchmarks.OneAggregateCommands, benchmarks.RawPublishExpectingLastSubjectSequence, benchmarks.CommandBusOnOneAggregateWithGivenIds),
                ("(one aggregate: the store's append alone)", CommandBenchmarks.OneAggregateCommands, benchmarks.RawPublishExpectingLastSubjectSequence, benchmarks.StoreAppendOnOneStream),
                ("(one aggregate: raw publish of our message)", CommandBenchmarks.OneAggregateCommands, benchmarks.RawPublishExpectingLastSubjectSequence, benchmarks.RawPublishOfOurMessage),
                ("1,000 aggregates, 64 senders", CommandBenchmarks.ManyCommands, benchmarks.RawPipelinedPublish, benchmarks.CommandBusOnManyAggregates),
                ("(1,000 aggregates: raw client, 64 senders, our messages)", CommandBenchmarks.ManyCommands, benchmarks.RawPipelinedPublish, benchmarks.RawPublishOfOurMessagesBy64Senders),
                ("(1,000 aggregates: raw client, 64 senders, bare messages)", CommandBenchmarks.ManyCommands, benchmarks.RawPipelinedPublish, benchmarks.RawPublishBy64Senders),
                ("1,000 aggregates, one sender each", CommandBenchmarks.ManyCommands, benchmarks.RawPipelinedPublish, benchmarks.CommandBusOnManyAggregatesOneSenderEach),
                ("(1,000 aggregates: raw pipelined publish of our messages)", CommandBenchmarks.ManyCommands, benchmarks.RawPipelinedPublish, benchmarks.RawPipelinedPublishOfOurMessages),
            ];
            if (only is not null) pairs = [.. pairs.Where(p => p.Category.Contains(only, StringComparison.OrdinalIgnoreCase))];
            var times = pairs.Select(_ => (Raw: new List<double>(), Ours: new List<double>())).ToArray();
            // Two rounds of warm-up (JIT, caches, the server's first writes), then the measured rounds.
            for (var round = -2; round < rounds; round++)
            {
                for (var p = 0; p < pairs.Length; p++)
                {
                    // Which side goes first alternates with the rounds: neither always runs on the other's wake.
                    double raw, ours;
                    if (round % 2 == 0)
                    {
                        raw = await TimeAsync(pairs[p].Raw, pairs[p].Operations);
                        ours = await TimeAsync(pairs[p].Ours, pairs[p].Operations);
                    }
                    else
                    {
                        ours = await TimeAsync(pairs[p].Ours, pairs[p].Operations);
                        raw = await TimeAsync(pairs[p].Raw, pairs[p].Operations);
                    }
                    if (round < 0) continue;
                    times[p].Raw.Add(raw);
                    times[p].Ours.Add(ours);
                }
            }
            Console.WriteLine($"{rounds} alternating rounds; medians per command");
            Console.WriteLine("| category | raw NATS.Net | Concordance | ratio (raw time / ours) | per round: median (quartiles) |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            for (var p = 0; p < pairs.Length; p++)
            {
                var raw = Median(times[p].Raw);
                var ours = Median(times[p].Ours);
                var perRound = times[p].Raw.Zip(times[p].Ours, (r, o) => r / o).Order().ToList();
                Console.WriteLine($"| {pairs[p].Category} | {raw:F1} µs | {ours:F1} µs | {raw / ours:F2}× | {Median(perRound):F2}× ({perRound[perRound.Count / 4]:F2}–{perRound[perRound.Count * 3 / 4]:F2}) |");
            }
        }
        finally
        {
            await benchmarks.CleanupAsync();
        }
    }

    private static async Task<double> TimeAsync(Func<Task> workload, int operations)
    {
        var started = Stopwatch.GetTimestamp();
        await workload();
        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / operations;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
