using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Bench;
using Concordance.Nats;
using Concordance.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Concordance.Benchmarks.Nats;

/// <summary>
/// A projection catching up: the whole global log read through <see cref="IEventStore.ReadAllAsync"/> in pages and
/// every event deserialised, against a raw ordered consumer reading the same stream's messages. Two ways in: a read no
/// component owns (ephemeral reader, as rebuilds and tools read), and a projector's read (the filter names the
/// component and its stream category, so the store reads through the component's durable, subject-filtered consumer).
/// </summary>
[ShortRunJob]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CatchUpBenchmarks
{
    private const int Events = 20_000, Streams = 1000, PageSize = 500;
    private static readonly NatsRawSerializer<byte[]> Raw = NatsRawSerializer<byte[]>.Default;
    private static readonly MessageSerializer Serializer = NatsServer.Serializer;
    private static readonly string Category = ((IAggregate)new Account()).Name;

    private string _prefix = null!;
    private NatsStore _store = null!;
    private NatsConnection _connection = null!;
    private NatsJSContext _js = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _prefix = NatsServer.FreshPrefix("catchup");
        _store = await NatsServer.OpenStoreAsync(_prefix);
        _connection = new NatsConnection(NatsOpts.Default with { Url = NatsServer.Url });
        _js = new NatsJSContext(_connection);
        var (type, data) = NatsServer.DepositEvent;
        for (var start = 0; start < Events; start += 500)
        {
            var requests = Enumerable.Range(start, 500).Select(i => new AppendRequest(new StreamId(Category, $"acc-{i % Streams}"), ExpectedVersion.Any,
                [new NewEvent($"e{i}", type.Name, type.Version, data, DateTimeOffset.UtcNow, "/bench", null, null)])).ToArray();
            await _store.AppendAsync(requests);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        await _connection.DisposeAsync();
        await NatsServer.DeleteStreamsAsync(_prefix);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events), BenchmarkCategory("catch-up")]
    public async Task<long> RawOrderedConsumer()
    {
        var consumer = await _js.CreateOrderedConsumerAsync(_prefix + "_EVENTS");
        long count = 0, bytes = 0;
        await foreach (var msg in consumer.ConsumeAsync(Raw, new NatsJSConsumeOpts { MaxMsgs = 1000 }))
        {
            count++;
            bytes += msg.Data?.Length ?? 0;
            if (msg.Metadata?.NumPending == 0) break;
        }
        if (count != Events) throw new InvalidOperationException($"read {count} messages");
        return bytes;
    }

    [Benchmark(OperationsPerInvoke = Events), BenchmarkCategory("catch-up")]
    public Task<decimal> ReadAllPagesAndDeserialise() => ReadEverythingAsync(null);

    [Benchmark(OperationsPerInvoke = Events), BenchmarkCategory("catch-up")]
    public Task<decimal> ProjectorDurableConsumerPagesAndDeserialise() =>
        // A fresh component name per invocation: its durable consumer is created at position 0, as after a rebuild.
        ReadEverythingAsync(new EventFilter(new HashSet<string> { NatsServer.DepositEvent.Type.Name })
        {
            Component = "projector:bench-" + Guid.NewGuid().ToString("N")[..8],
            Categories = new HashSet<string> { Category },
        });

    private async Task<decimal> ReadEverythingAsync(EventFilter? filter)
    {
        long after = 0, count = 0;
        var total = 0m;
        while (true)
        {
            var page = await _store.ReadAllAsync(after, PageSize, filter);
            if (page.Count == 0) break;
            foreach (var stored in page)
            {
                if (Serializer.Deserialize(stored) is FundsDeposited deposited) total += deposited.Amount;
                count++;
            }
            after = page[^1].Position;
        }
        if (count != Events) throw new InvalidOperationException($"read {count} events");
        return total;
    }
}
