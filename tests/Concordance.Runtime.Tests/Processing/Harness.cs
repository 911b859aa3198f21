using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using Concordance.Storage.InMemory;
using Concordance.Storage.Sqlite;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

/// <summary>A store, the real command bus and the runners of some hand-written components, wired as AddConcordance would.</summary>
public sealed class Harness : IAsyncDisposable
{
    private int _appended;

    public Harness(IConcordanceStore store, IEnumerable<IProjector>? projectors = null, IEnumerable<IProcessManager>? processes = null,
        IEnumerable<IGateway>? gateways = null, Action<ProcessingOptions>? configure = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null,
        Func<ICommandBus, ICommandBus>? wrapBus = null, ComponentCatalog? catalog = null)
    {
        Store = store;
        Options = new ConcordanceOptions { Source = "/tests/processing" };
        Options.Processing.RetryDelay = TimeSpan.FromMilliseconds(1);
        Options.Processing.MaxRetryDelay = TimeSpan.FromMilliseconds(20);
        Options.Processing.IdlePollInterval = TimeSpan.FromMilliseconds(200);
        Options.Processing.OutboxPollInterval = TimeSpan.FromMilliseconds(100);
        configure?.Invoke(Options.Processing);
        Time = time ?? new FixedTime(Buses.Now);
        Catalog = catalog ?? ProcessingMessages.Catalog();
        Serializer = new MessageSerializer(Catalog);
        Bus = new CommandBus(store, [new AccountAggregate()], Serializer, Options, Time);
        Environment = new ProcessingEnvironment(store, Serializer, Catalog, Options, Time, wrapBus?.Invoke(Bus) ?? Bus, loggerFactory);
        Runners = new ComponentRunners(projectors ?? [], processes ?? [], gateways ?? [], Environment);
    }

    public static Harness InMemory(IEnumerable<IProjector>? projectors = null, IEnumerable<IProcessManager>? processes = null,
        IEnumerable<IGateway>? gateways = null, Action<ProcessingOptions>? configure = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null) =>
        new(new InMemoryStore(), projectors, processes, gateways, configure, time, loggerFactory);

    public static Harness Sqlite(TempDatabase database, IEnumerable<IProjector>? projectors = null, IEnumerable<IProcessManager>? processes = null,
        IEnumerable<IGateway>? gateways = null, Action<ProcessingOptions>? configure = null, ComponentCatalog? catalog = null) =>
        new(SqliteStore.Open(new SqliteStoreOptions { ConnectionString = database.ConnectionString, Synchronous = SqliteSynchronous.Normal }),
            projectors, processes, gateways, configure, catalog: catalog);

    public IConcordanceStore Store { get; }

    public ConcordanceOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>The message types the bus and the components read and write (one catalog for both).</summary>
    public ComponentCatalog Catalog { get; }

    public MessageSerializer Serializer { get; }

    public CommandBus Bus { get; }

    internal ProcessingEnvironment Environment { get; }

    internal ComponentRunners Runners { get; }

    internal ProjectorRunner Projector(string name = Ledger.ProjectorName) => (ProjectorRunner)Runners.Find("projector:" + name)!;

    internal ProcessManagerRunner Process(string name = PayoutProcess.ProcessName) => (ProcessManagerRunner)Runners.Find("process:" + name)!;

    internal GatewayRunner Gateway(string name = PayoutNetwork.GatewayName) => (GatewayRunner)Runners.Find("gateway:" + name)!;

    internal OutboxDispatcher Outbox => Runners.Outbox;

    public IReadModels ReadModels => new ReadModels(Runners);

    public IDeadLetters DeadLetters => new DeadLetters(Runners);

    public IProjectionRebuilder Rebuilder => new ProjectionRebuilder(Runners);

    /// <summary>Appends <paramref name="events"/> to <paramref name="stream"/> as they would be stored, with fresh ids and correlation "corr-{first id}".</summary>
    public async Task<IReadOnlyList<StoredEvent>> AppendAsync(StreamId stream, params IEvent[] events)
    {
        var first = Interlocked.Add(ref _appended, events.Length) - events.Length;
        var news = events.Select((e, i) =>
        {
            var (type, data) = Serializer.Serialize(e);
            return new NewEvent($"evt-{first + i}", type.Name, type.Version, data, Buses.Now, "/tests", $"corr-{first}", null);
        }).ToArray();
        var result = (await Store.Events.AppendAsync([new AppendRequest(stream, ExpectedVersion.Any, news)]))[0];
        Assert.Equal(AppendStatus.Appended, result.Status);
        return result.Events;
    }

    public static StreamId Payouts(string id) => new("Tests.Payouts", id);

    public static StreamId Account(string id) => new(AccountAggregate.AggregateName, id);

    public async ValueTask DisposeAsync()
    {
        Runners.Dispose();
        await Bus.DisposeAsync();
        await Store.DisposeAsync();
    }
}

/// <summary>Polls a condition; fails after a generous timeout instead of asserting on timing.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {seconds} s waiting for {what}; last value: {value}");
            await Task.Delay(20);
        }
    }
}
