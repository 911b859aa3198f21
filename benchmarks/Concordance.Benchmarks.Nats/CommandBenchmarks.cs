using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Concordance.Nats;
using Concordance.Runtime.Tests.Commands;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Concordance.Benchmarks.Nats;

/// <summary>
/// Commands through the real <see cref="CommandBus"/> on the NATS store against the raw NATS.Net client on the same
/// server and a stream configured alike. Each category's baseline is the raw client; the Ratio column is the
/// raw time over ours inverted (BenchmarkDotNet prints ours / raw: a ratio of 1.25 is 0.8× the raw throughput).
/// </summary>
[ShortRunJob]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CommandBenchmarks
{
    internal const int OneAggregateCommands = 200;
    internal const int ManyCommands = 2000, Aggregates = 1000, Senders = 64;
    private static readonly NatsRawSerializer<byte[]> Raw = NatsRawSerializer<byte[]>.Default;

    private string _prefix = null!;
    private NatsStore _store = null!;
    private CommandBus _bus = null!;
    private NatsConnection _connection = null!;
    private NatsJSContext _js = null!;
    private ulong _soloSequence;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _prefix = NatsServer.FreshPrefix("bench");
        _store = await NatsServer.OpenStoreAsync(_prefix);
        _bus = Buses.Create(_store);
        (_connection, _js) = await NatsServer.OpenRawAsync(_prefix + "_RAW", _prefix + ".raw.>");
        await Require(_bus.SendAsync(new Open("solo", 0m)));
        await Parallel.ForAsync(0, Aggregates, new ParallelOptions { MaxDegreeOfParallelism = Senders },
            async (i, _) => await Require(_bus.SendAsync(new Open($"acc-{i}", 0m))));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _bus.DisposeAsync();
        await _store.DisposeAsync();
        await _connection.DisposeAsync();
        await NatsServer.DeleteStreamsAsync(_prefix);
    }

    private static async Task Require(Task<CommandResult> send)
    {
        var result = await send;
        if (!result.IsAccepted) throw new InvalidOperationException(result.ToString());
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = OneAggregateCommands), BenchmarkCategory("one-aggregate")]
    public async Task RawPublishExpectingLastSubjectSequence()
    {
        for (var i = 0; i < OneAggregateCommands; i++)
        {
            var ack = await _js.PublishAsync(_prefix + ".raw.solo", NatsServer.Payload, Raw, new NatsJSPubOpts { ExpectedLastSubjectSequence = _soloSequence });
            ack.EnsureSuccess();
            _soloSequence = ack.Seq;
        }
    }

    [Benchmark(OperationsPerInvoke = OneAggregateCommands), BenchmarkCategory("one-aggregate")]
    public async Task CommandBusOnOneAggregate()
    {
        for (var i = 0; i < OneAggregateCommands; i++) await Require(_bus.SendAsync(new Deposit("solo", 1m)));
    }

    /// <summary>The same loop with caller-given command ids: the bus looks each up (a second round trip) and the record is written after the ack.</summary>
    [Benchmark(OperationsPerInvoke = OneAggregateCommands), BenchmarkCategory("one-aggregate")]
    public async Task CommandBusOnOneAggregateWithGivenIds()
    {
        for (var i = 0; i < OneAggregateCommands; i++)
            await Require(_bus.SendAsync(new Deposit("solo", 1m), new CommandMetadata { CommandId = Guid.NewGuid().ToString("N") }));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ManyCommands), BenchmarkCategory("many-aggregates")]
    public async Task RawPipelinedPublish()
    {
        var futures = new NatsJSPublishConcurrentFuture[ManyCommands];
        for (var i = 0; i < ManyCommands; i++)
            futures[i] = await _js.PublishConcurrentAsync(_prefix + ".raw.acc-" + (i % Aggregates), NatsServer.Payload, Raw);
        for (var i = 0; i < ManyCommands; i++)
        {
            await using var future = futures[i];
            (await future.GetResponseAsync()).EnsureSuccess();
        }
    }

    [Benchmark(OperationsPerInvoke = ManyCommands), BenchmarkCategory("many-aggregates")]
    public async Task CommandBusOnManyAggregates()
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < ManyCommands; i = Interlocked.Increment(ref next))
                await Require(_bus.SendAsync(new Deposit($"acc-{i % Aggregates}", 1m)));
        })));
    }
}
