using Concordance.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concordance;

/// <summary>What every runner shares: the store, the serializer, the options, time, logging, the bus (for gateways) and the outbox wake-up.</summary>
internal sealed class ProcessingEnvironment(
    IConcordanceStore store,
    MessageSerializer serializer,
    ComponentCatalog catalog,
    ConcordanceOptions options,
    TimeProvider time,
    ICommandBus bus,
    ILoggerFactory? loggerFactory = null,
    IEnumerable<IAggregate>? aggregates = null,
    IEnumerable<IGateway>? gateways = null)
{
    // Who writes which event types, for the stream categories of a component's filter (null: not known here).
    private readonly IReadOnlyList<IAggregate>? _aggregates = aggregates?.ToList();
    private readonly IReadOnlyList<IGateway> _gateways = gateways?.ToList() ?? [];

    public IConcordanceStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    public MessageSerializer Serializer { get; } = serializer ?? throw new ArgumentNullException(nameof(serializer));

    public ComponentCatalog Catalog { get; } = catalog ?? throw new ArgumentNullException(nameof(catalog));

    public ConcordanceOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public ProcessingOptions Processing => Options.Processing;

    public TimeProvider Time { get; } = time ?? throw new ArgumentNullException(nameof(time));

    public ICommandBus Bus { get; } = bus ?? throw new ArgumentNullException(nameof(bus));

    public ILoggerFactory LoggerFactory { get; } = loggerFactory ?? NullLoggerFactory.Instance;

    /// <summary>This host's id as a lease owner: unique per service provider (one per host process in production).</summary>
    public string HostId { get; } = $"{System.Environment.MachineName}/{System.Environment.ProcessId}/{Guid.NewGuid():N}"[..^24];

    /// <summary>Pulsed after a commit that enqueued outbox messages, so the dispatcher sends them without waiting for its poll.</summary>
    public LogSignal OutboxSignal { get; } = new();

    /// <summary>
    /// The filter of <paramref name="component"/>'s reads: the stable schema names of <paramref name="types"/>, the
    /// component, and the stream categories those types are written to (the registered aggregates emitting them and
    /// the gateways recording them); categories stay unknown (null) when a type has no registered writer.
    /// </summary>
    /// <exception cref="InvalidOperationException">A type is not registered in the catalog.</exception>
    public EventFilter FilterFor(string component, IReadOnlyList<Type> types)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var categories = _aggregates is null ? null : new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            var descriptor = Catalog.Find(type)
                ?? throw new InvalidOperationException($"{component} subscribes to {type}, which is not a registered message type; call AddGeneratedComponents() or AddMessages(...).");
            names.Add(descriptor.Name);
            if (categories is null) continue;
            var writers = _aggregates!.Where(a => a.EventTypes.Contains(type)).Select(a => a.Name)
                .Concat(_gateways.Where(g => g.EmittedEventTypes.Contains(type)).Select(g => g.Name))
                .ToList();
            if (writers.Count == 0) categories = null;
            else categories.UnionWith(writers);
        }
        return new EventFilter(names) { Component = component, Categories = categories };
    }
}
