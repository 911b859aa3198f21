using BenchmarkDotNet.Attributes;
using Bench;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Concordance.Benchmarks.Nats;

/// <summary>
/// A blue/green rebuild on NATS: a host's projector worker (holding the projector's lease) builds a new generation of a
/// trivial projector (one read-model <c>Set</c> per event, 1,000 accounts) from position 0 over a 20,000-event log,
/// switches readers to it and removes the previous one; <see cref="IProjectionRebuilder.RebuildAsync(string, CancellationToken)"/>
/// waits for that. Baseline: a raw ordered consumer reading the same stream. Per-event times; events/s = 1 / time.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class RebuildBenchmarks
{
    private const int Events = 20_000, Streams = 1000;
    private static readonly NatsRawSerializer<byte[]> Raw = NatsRawSerializer<byte[]>.Default;
    private static readonly string Category = ((IAggregate)new Account()).Name;

    private string _prefix = null!;
    private ServiceProvider _services = null!;
    private List<IHostedService> _workers = null!;
    private NatsConnection _connection = null!;
    private NatsJSContext _js = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _prefix = NatsServer.FreshPrefix("rebuild");
        await using (var store = await NatsServer.OpenStoreAsync(_prefix))
        {
            var (type, data) = NatsServer.DepositEvent;
            for (var start = 0; start < Events; start += 500)
            {
                var requests = Enumerable.Range(start, 500).Select(i => new AppendRequest(new StreamId(Category, $"acc-{i % Streams}"), ExpectedVersion.Any,
                    [new NewEvent($"e{i}", type.Name, type.Version, data, DateTimeOffset.UtcNow, "/bench", null, null)])).ToArray();
                await store.AppendAsync(requests);
            }
        }
        var services = new ServiceCollection().AddLogging();
        services.AddConcordance(o => o.UseNats(NatsServer.Url, n => n.Prefix = _prefix))
            .AddMessages(LedgerSchema.MessageTypes).AddProjector<LastDepositProjector>();
        _services = services.BuildServiceProvider();
        _workers = [.. _services.GetServices<IHostedService>()];
        foreach (var worker in _workers) await worker.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await _services.GetRequiredService<IProjectionProgress>().WaitForCatchUpAsync(LastDepositProjector.ProjectorName, timeout.Token);
        _connection = new NatsConnection(NatsOpts.Default with { Url = NatsServer.Url });
        _js = new NatsJSContext(_connection);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        foreach (var worker in _workers) await worker.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        await _connection.DisposeAsync();
        await NatsServer.DeleteStreamsAsync(_prefix);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
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

    [Benchmark(OperationsPerInvoke = Events)]
    public Task BlueGreenRebuild() => _services.GetRequiredService<IProjectionRebuilder>().RebuildAsync(LastDepositProjector.ProjectorName);
}

/// <summary>A trivial projector: an account's last deposit, one <c>Set</c> per event.</summary>
public sealed class LastDepositProjector : IProjector
{
    public const string ProjectorName = "Bench.LastDeposit";

    public string Name => ProjectorName;

    public IReadOnlyList<Type> EventTypes { get; } = [typeof(FundsDeposited)];

    public ValueTask ProjectAsync(IEvent @event, ProjectionContext context)
    {
        var deposit = (FundsDeposited)@event;
        context.Set(deposit.AccountNumber, new LastDeposit(deposit.Amount, deposit.Note));
        return ValueTask.CompletedTask;
    }
}

/// <summary>The read model: an account's last deposit.</summary>
public sealed record LastDeposit(decimal Amount, string? Note);
