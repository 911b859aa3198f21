namespace Concordance;

/// <summary>The runners of every registered projector, process manager and gateway, by component name; one per service provider.</summary>
internal sealed class ComponentRunners : IDisposable
{
    private readonly Dictionary<string, ComponentRunner> _byComponent = new(StringComparer.Ordinal);
    private readonly Dictionary<object, ComponentRunner> _byInstance = new(ReferenceEqualityComparer.Instance);

    public ComponentRunners(IEnumerable<IProjector> projectors, IEnumerable<IProcessManager> processes, IEnumerable<IGateway> gateways, ProcessingEnvironment environment)
    {
        Environment = environment;
        foreach (var projector in projectors) Add(projector, new ProjectorRunner(projector, environment));
        foreach (var process in processes) Add(process, new ProcessManagerRunner(process, environment));
        foreach (var gateway in gateways) Add(gateway, new GatewayRunner(gateway, environment));
        Outbox = new OutboxDispatcher(environment);
    }

    public ProcessingEnvironment Environment { get; }

    public IReadOnlyCollection<ComponentRunner> All => _byComponent.Values;

    public OutboxDispatcher Outbox { get; }

    private void Add(object instance, ComponentRunner runner)
    {
        if (!_byComponent.TryAdd(runner.Component, runner))
        {
            runner.Dispose();
            throw new InvalidOperationException($"Two registered components are named '{runner.Component}'.");
        }
        _byInstance[instance] = runner;
    }

    /// <summary>The runner of <paramref name="component"/> (e.g. <c>projector:Bank.AccountLedger</c>), or null.</summary>
    public ComponentRunner? Find(string component) => _byComponent.GetValueOrDefault(component);

    /// <summary>The runner of the registered component instance <paramref name="instance"/>.</summary>
    public ComponentRunner For(object instance) =>
        _byInstance.TryGetValue(instance, out var runner) ? runner : throw new InvalidOperationException($"{instance.GetType()} is not a registered component.");

    /// <summary>The runner of projector <paramref name="name"/>: its schema name (<c>Bank.AccountLedger</c>) or, when unambiguous, the part after the last dot (<c>AccountLedger</c>).</summary>
    public ProjectorRunner? FindProjector(string name)
    {
        if (Find("projector:" + name) is ProjectorRunner exact) return exact;
        var matches = _byComponent.Values.OfType<ProjectorRunner>().Where(r => ShortName(r.Name) == name).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    internal static string ShortName(string name) => name[(name.LastIndexOf('.') + 1)..];

    public void Dispose()
    {
        foreach (var runner in _byComponent.Values) runner.Dispose();
        Outbox.Dispose();
    }
}
