using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Bench;
using Concordance.Nats;
using Concordance.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

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
    private readonly ulong[] _likeOursSequences = new ulong[Aggregates];
    private ulong _soloSequence, _likeOursSequence;
    private long _storeOnlyVersion;

    /// <summary>A message our store wrote for a deposit: the body the raw "of our message" baselines publish.</summary>
    private byte[] _ourMessage = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _prefix = NatsServer.FreshPrefix("bench");
        _store = await NatsServer.OpenStoreAsync(_prefix);
        _bus = NatsServer.CreateBus(_store);
        (_connection, _js) = await NatsServer.OpenRawAsync(_prefix + "_RAW", _prefix + ".raw.>");
        await Require(_bus.SendAsync(Open("solo")));
        await Require(_bus.SendAsync(Deposit("solo")));
        var events = await _js.GetStreamAsync(_prefix + "_EVENTS");
        _ourMessage = (await events.GetAsync(new StreamMsgGetRequest { Seq = events.Info.State.LastSeq })).Message.Data.ToArray();
        await Parallel.ForAsync(0, Aggregates, new ParallelOptions { MaxDegreeOfParallelism = Senders },
            async (i, _) => await Require(_bus.SendAsync(Open($"acc-{i}"))));
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

    /// <summary>
    /// Where the one-aggregate gap lies, part 1: the raw loop publishing what our append publishes (a message our store
    /// wrote, with an id, the type header and the expected subject sequence). What the server's checks cost.
    /// </summary>
    [Benchmark(OperationsPerInvoke = OneAggregateCommands), BenchmarkCategory("one-aggregate")]
    public async Task RawPublishOfOurMessage()
    {
        for (var i = 0; i < OneAggregateCommands; i++)
        {
            var ack = await _js.PublishAsync(_prefix + ".raw.like-ours", _ourMessage, Raw,
                new NatsJSPubOpts { ExpectedLastSubjectSequence = _likeOursSequence, MsgId = "c:" + Guid.CreateVersion7().ToString("N") }, TypeHeader());
            ack.EnsureSuccess();
            _likeOursSequence = ack.Seq;
        }
    }

    /// <summary>Where the one-aggregate gap lies, part 2: the store's append without the bus (no decision, state, lock or cache).</summary>
    [Benchmark(OperationsPerInvoke = OneAggregateCommands), BenchmarkCategory("one-aggregate")]
    public async Task StoreAppendOnOneStream()
    {
        var stream = new StreamId("Store.Only", "solo");
        for (var i = 0; i < OneAggregateCommands; i++)
        {
            var id = Guid.CreateVersion7().ToString("N");
            var append = new AppendRequest(stream, _storeOnlyVersion, [new NewEvent(id + "-0", NatsServer.DepositEvent.Type.Name, NatsServer.DepositEvent.Type.Version, NatsServer.DepositEvent.Data, DateTimeOffset.UtcNow, "/bench", id, id)])
            {
                CommandId = id,
                CommandIdSource = CommandIdSource.Made,
            };
            _storeOnlyVersion = (await _store.AppendAsync([append]))[0].StreamVersion;
        }
    }

    [Benchmark(OperationsPerInvoke = OneAggregateCommands), BenchmarkCategory("one-aggregate")]
    public async Task CommandBusOnOneAggregate()
    {
        for (var i = 0; i < OneAggregateCommands; i++) await Require(_bus.SendAsync(Deposit("solo")));
    }

    /// <summary>The same loop with caller-given command ids: the bus looks each up (a second round trip) and the record is written after the ack.</summary>
    [Benchmark(OperationsPerInvoke = OneAggregateCommands), BenchmarkCategory("one-aggregate")]
    public async Task CommandBusOnOneAggregateWithGivenIds()
    {
        for (var i = 0; i < OneAggregateCommands; i++)
            await Require(_bus.SendAsync(Deposit("solo"), new CommandMetadata { CommandId = Guid.NewGuid().ToString("N") }));
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

    /// <summary>
    /// Where the many-aggregate gap lies: the raw pipelined publish of what our appends publish (our message, an id,
    /// the type header, the expected subject sequence), in waves of one message per aggregate, since a subject's next
    /// message needs the sequence its previous one got. What the server's checks cost, without the framework.
    /// </summary>
    [Benchmark(OperationsPerInvoke = ManyCommands), BenchmarkCategory("many-aggregates")]
    public async Task RawPipelinedPublishOfOurMessages()
    {
        var futures = new NatsJSPublishConcurrentFuture[Aggregates];
        for (var wave = 0; wave < ManyCommands / Aggregates; wave++)
        {
            for (var i = 0; i < Aggregates; i++)
            {
                futures[i] = await _js.PublishConcurrentAsync(_prefix + ".raw.like-ours-" + i, _ourMessage, Raw,
                    new NatsJSPubOpts { ExpectedLastSubjectSequence = _likeOursSequences[i], MsgId = "c:" + Guid.CreateVersion7().ToString("N") }, TypeHeader());
            }
            for (var i = 0; i < Aggregates; i++)
            {
                await using var future = futures[i];
                var ack = await future.GetResponseAsync();
                ack.EnsureSuccess();
                _likeOursSequences[i] = ack.Seq;
            }
        }
    }

    /// <summary>
    /// The raw client at the 64-sender row's concurrency: 64 senders, each publishing our message (an id, the type
    /// header, the expected subject sequence) and awaiting its acknowledgement before its next. What any client gets
    /// from the server with at most 64 such messages in flight.
    /// </summary>
    [Benchmark(OperationsPerInvoke = ManyCommands), BenchmarkCategory("many-aggregates")]
    public Task RawPublishOfOurMessagesBy64Senders() => BySendersAsync(Senders, async i =>
    {
        var aggregate = i % Aggregates;
        var ack = await _js.PublishAsync(_prefix + ".raw.like-ours-" + aggregate, _ourMessage, Raw,
            new NatsJSPubOpts { ExpectedLastSubjectSequence = _likeOursSequences[aggregate], MsgId = "c:" + Guid.CreateVersion7().ToString("N") }, TypeHeader());
        ack.EnsureSuccess();
        _likeOursSequences[aggregate] = ack.Seq;
    });

    /// <summary>The bare raw message (no id, no checks) by 64 senders, each awaiting its acknowledgement before its next.</summary>
    [Benchmark(OperationsPerInvoke = ManyCommands), BenchmarkCategory("many-aggregates")]
    public Task RawPublishBy64Senders() => BySendersAsync(Senders, async i =>
        (await _js.PublishAsync(_prefix + ".raw.acc-" + (i % Aggregates), NatsServer.Payload, Raw)).EnsureSuccess());

    /// <summary>64 senders, each sending its next command when the last is answered: at most 64 commands in flight.</summary>
    [Benchmark(OperationsPerInvoke = ManyCommands), BenchmarkCategory("many-aggregates")]
    public Task CommandBusOnManyAggregates() => SendManyAsync(Senders);

    /// <summary>
    /// One sender per aggregate (1,000): as many commands in flight as the aggregates allow, since an aggregate takes one
    /// command at a time. The raw baseline has all 2,000 messages in flight.
    /// </summary>
    [Benchmark(OperationsPerInvoke = ManyCommands), BenchmarkCategory("many-aggregates")]
    public Task CommandBusOnManyAggregatesOneSenderEach() => SendManyAsync(Aggregates);

    private Task SendManyAsync(int senders) => BySendersAsync(senders, i => Require(_bus.SendAsync(Deposit($"acc-{i % Aggregates}"))));

    /// <summary>
    /// Operations 0 to <see cref="ManyCommands"/> − 1 by <paramref name="senders"/> senders: each takes the next number
    /// when its last operation is done. Operation i goes to aggregate i mod <see cref="Aggregates"/>: with far fewer
    /// senders than aggregates, no two operations in flight share one (with one sender per aggregate they may, and the
    /// bus runs them one after the other).
    /// </summary>
    private static async Task BySendersAsync(int senders, Func<int, Task> operation)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < ManyCommands; i = Interlocked.Increment(ref next))
                await operation(i);
        })));
    }

    private static OpenAccount Open(string account) => new(account, 0m, 0m, "CUST0001");

    private static DepositFunds Deposit(string account) => new(account, 1m, "deposit", "CUST0001");

    private static NatsHeaders TypeHeader() => new() { ["Concordance-Types"] = NatsServer.DepositEvent.Type.Name };
}
