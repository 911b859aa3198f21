using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Concordance;

/// <summary>
/// Everything registered through <see cref="IConcordanceBuilder"/>: message types by name and
/// version, and the component types. A singleton in the service collection.
/// </summary>
public sealed class ComponentCatalog
{
    private readonly Dictionary<(string Name, int Version), MessageType> _byName = new();
    private readonly Dictionary<Type, MessageType> _byType = new();

    /// <summary>Every registered message type.</summary>
    public IReadOnlyCollection<MessageType> MessageTypes => _byType.Values;

    /// <summary>Aggregate implementation types, in registration order.</summary>
    public List<Type> Aggregates { get; } = [];

    /// <summary>Projector implementation types, in registration order.</summary>
    public List<Type> Projectors { get; } = [];

    /// <summary>Process manager implementation types, in registration order.</summary>
    public List<Type> ProcessManagers { get; } = [];

    /// <summary>Gateway implementation types, in registration order.</summary>
    public List<Type> Gateways { get; } = [];

    /// <summary>Adds <paramref name="messageType"/>; registering the same name, version and type twice is harmless.</summary>
    /// <exception cref="InvalidOperationException">Another CLR type is already registered under the same name and version.</exception>
    public void Add(MessageType messageType)
    {
        if (_byName.TryGetValue((messageType.Name, messageType.Version), out var existing))
        {
            if (existing.ClrType != messageType.ClrType)
                throw new InvalidOperationException($"Message '{messageType}' is registered twice, by {existing.ClrType} and {messageType.ClrType}.");
            return;
        }
        _byName.Add((messageType.Name, messageType.Version), messageType);
        _byType.Add(messageType.ClrType, messageType);
    }

    /// <summary>The message type registered under <paramref name="name"/> and <paramref name="version"/>, or null.</summary>
    public MessageType? Find(string name, int version) => _byName.TryGetValue((name, version), out var type) ? type : null;

    /// <summary>The message type of CLR type <paramref name="clrType"/>, or null.</summary>
    public MessageType? Find(Type clrType) => _byType.TryGetValue(clrType, out var type) ? type : null;
}

internal sealed class ConcordanceBuilder(IServiceCollection services, ComponentCatalog catalog) : IConcordanceBuilder
{
    public IServiceCollection Services { get; } = services;

    public IConcordanceBuilder AddMessages(IEnumerable<MessageType> messageTypes)
    {
        foreach (var type in messageTypes) catalog.Add(type);
        return this;
    }

    public IConcordanceBuilder AddAggregate<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TAggregate>() where TAggregate : class, IAggregate =>
        AddComponent<IAggregate, TAggregate>(catalog.Aggregates);

    public IConcordanceBuilder AddProjector<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProjector>() where TProjector : class, IProjector =>
        AddComponent<IProjector, TProjector>(catalog.Projectors, withWorker: true);

    public IConcordanceBuilder AddProcessManager<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProcess>() where TProcess : class, IProcessManager =>
        AddComponent<IProcessManager, TProcess>(catalog.ProcessManagers, withWorker: true);

    public IConcordanceBuilder AddGateway<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TGateway>() where TGateway : class, IGateway =>
        AddComponent<IGateway, TGateway>(catalog.Gateways, withWorker: true);

    private ConcordanceBuilder AddComponent<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(List<Type> registered, bool withWorker = false)
        where TService : class
        where TImplementation : class, TService
    {
        if (registered.Contains(typeof(TImplementation))) return this;
        registered.Add(typeof(TImplementation));
        Services.AddSingleton<TImplementation>();
        Services.AddSingleton<TService>(sp => sp.GetRequiredService<TImplementation>());
        // One hosted worker per subscribing component, driving its runner.
        if (withWorker)
        {
            Services.AddSingleton<IHostedService>(sp =>
            {
                var runner = sp.GetRequiredService<ComponentRunners>().For(sp.GetRequiredService<TImplementation>());
                return new ComponentWorker(runner, sp.GetRequiredService<ComponentRunners>().Environment,
                    ConcordanceServiceCollectionExtensions.LoggerOf<ComponentWorker>(sp), sp.GetRequiredService<WorkerStartCheck>(),
                    sp.GetRequiredService<ConcordanceWorkers>().For(runner.Component));
            });
        }
        return this;
    }
}
