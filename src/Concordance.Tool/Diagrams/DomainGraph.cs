using Concordance.Schema.Syntax;

namespace Concordance.Tool.Diagrams;

/// <summary>The kinds of node a domain diagram draws.</summary>
public enum DomainNodeKind
{
    /// <summary>A command.</summary>
    Command,
    /// <summary>An aggregate.</summary>
    Aggregate,
    /// <summary>An event (all its versions are one node).</summary>
    Event,
    /// <summary>A projector.</summary>
    Projector,
    /// <summary>A process manager.</summary>
    Process,
    /// <summary>A gateway.</summary>
    Gateway,
}

/// <summary>A declared thing the diagram draws.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Name">Its name in the schema.</param>
public sealed record DomainNode(DomainNodeKind Kind, string Name);

/// <summary>How one node leads to another.</summary>
public enum DomainEdgeKind
{
    /// <summary>An aggregate handles a command (command → aggregate).</summary>
    Handles,
    /// <summary>An aggregate emits an event (aggregate → event).</summary>
    Emits,
    /// <summary>A component subscribes to an event (event → projector, process, gateway).</summary>
    Subscribes,
    /// <summary>A process starts on an event (event → process).</summary>
    Starts,
    /// <summary>A process ends on an event (event → process).</summary>
    Ends,
    /// <summary>A process or gateway sends a command (process or gateway → command).</summary>
    Sends,
    /// <summary>A gateway brings in an external event (gateway → event).</summary>
    BringsIn,
}

/// <summary>An edge between two nodes.</summary>
/// <param name="From">Where it starts.</param>
/// <param name="To">Where it ends.</param>
/// <param name="Kind">What it means.</param>
public sealed record DomainEdge(DomainNode From, DomainNode To, DomainEdgeKind Kind);

/// <summary>A process manager's part of the domain, for its sequence diagram.</summary>
/// <param name="Name">The process's name.</param>
/// <param name="StartOn">The events that start it.</param>
/// <param name="On">The events that advance it.</param>
/// <param name="EndOn">The events that end it.</param>
/// <param name="Sends">The commands it sends, in schema order.</param>
public sealed record DomainProcess(string Name, IReadOnlyList<string> StartOn, IReadOnlyList<string> On, IReadOnlyList<string> EndOn, IReadOnlyList<string> Sends);

/// <summary>
/// The flow of a domain read from its schemas: who handles each command, who emits and who consumes each event, what
/// processes and gateways send and bring in. Plain data; the Mermaid writers draw it.
/// </summary>
public sealed class DomainGraph
{
    private readonly List<DomainNode> _nodes = new();
    private readonly List<DomainEdge> _edges = new();
    private readonly Dictionary<(DomainNodeKind, string), DomainNode> _byName = new();
    private readonly Dictionary<(string Aggregate, string Command), List<string>> _handled = new();

    private DomainGraph() { }

    /// <summary>The namespaces of the schemas, in order.</summary>
    public IReadOnlyList<string> Namespaces { get; private set; } = [];

    /// <summary>Every node, in schema order within each kind.</summary>
    public IReadOnlyList<DomainNode> Nodes => _nodes;

    /// <summary>Every edge, in schema order.</summary>
    public IReadOnlyList<DomainEdge> Edges => _edges;

    /// <summary>The process managers, in schema order.</summary>
    public IReadOnlyList<DomainProcess> Processes { get; private set; } = [];

    /// <summary>Reads the graph from parsed schema files (whatever the parser recovered; names that refer to nothing still show).</summary>
    /// <param name="files">The schemas of one domain.</param>
    public static DomainGraph Of(IReadOnlyList<SchemaFile> files)
    {
        var graph = new DomainGraph();
        var declarations = files.SelectMany(f => f.Declarations).ToList();
        graph.Namespaces = files.Select(f => f.Namespace?.Text).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

        foreach (var d in declarations.Where(d => d.Kind == DeclarationKind.Command)) graph.Node(DomainNodeKind.Command, d.Name.Text);
        foreach (var d in declarations.OfType<AggregateSyntax>())
        {
            var aggregate = graph.Node(DomainNodeKind.Aggregate, d.Name.Text);
            foreach (var handle in d.Handles)
            {
                graph.Edge(graph.Node(DomainNodeKind.Command, handle.Command.Text), aggregate, DomainEdgeKind.Handles);
                foreach (var e in handle.Events) graph.Edge(aggregate, graph.Node(DomainNodeKind.Event, e.Text), DomainEdgeKind.Emits);
                var key = (d.Name.Text, handle.Command.Text);
                if (!graph._handled.TryGetValue(key, out var events)) graph._handled[key] = events = new List<string>();
                events.AddRange(handle.Events.Select(e => e.Text).Where(e => e.Length > 0 && !events.Contains(e)));
            }
        }
        foreach (var d in declarations.Where(d => d.Kind == DeclarationKind.Event)) graph.Node(DomainNodeKind.Event, d.Name.Text);
        foreach (var d in declarations.OfType<ProjectorSyntax>())
        {
            var projector = graph.Node(DomainNodeKind.Projector, d.Name.Text);
            foreach (var e in d.On) graph.Edge(graph.Node(DomainNodeKind.Event, e.Text), projector, DomainEdgeKind.Subscribes);
        }
        var processes = new List<DomainProcess>();
        foreach (var d in declarations.OfType<ProcessSyntax>())
        {
            var process = graph.Node(DomainNodeKind.Process, d.Name.Text);
            foreach (var e in d.StartOn) graph.Edge(graph.Node(DomainNodeKind.Event, e.Text), process, DomainEdgeKind.Starts);
            foreach (var e in d.On) graph.Edge(graph.Node(DomainNodeKind.Event, e.Text), process, DomainEdgeKind.Subscribes);
            foreach (var e in d.EndOn) graph.Edge(graph.Node(DomainNodeKind.Event, e.Text), process, DomainEdgeKind.Ends);
            foreach (var c in d.Send) graph.Edge(process, graph.Node(DomainNodeKind.Command, c.Text), DomainEdgeKind.Sends);
            processes.Add(new DomainProcess(d.Name.Text, Names(d.StartOn), Names(d.On), Names(d.EndOn), Names(d.Send)));
        }
        foreach (var d in declarations.OfType<GatewaySyntax>())
        {
            var gateway = graph.Node(DomainNodeKind.Gateway, d.Name.Text);
            foreach (var e in d.On) graph.Edge(graph.Node(DomainNodeKind.Event, e.Text), gateway, DomainEdgeKind.Subscribes);
            foreach (var e in d.Emit) graph.Edge(gateway, graph.Node(DomainNodeKind.Event, e.Text), DomainEdgeKind.BringsIn);
            foreach (var c in d.Send) graph.Edge(gateway, graph.Node(DomainNodeKind.Command, c.Text), DomainEdgeKind.Sends);
        }
        graph.Processes = processes;
        return graph;
    }

    /// <summary>The aggregate that handles <paramref name="command"/>, or null.</summary>
    public DomainNode? HandlerOf(string command) =>
        _edges.FirstOrDefault(e => e.Kind == DomainEdgeKind.Handles && e.From.Name == command)?.To;

    /// <summary>The events the aggregate emits when it handles <paramref name="command"/>.</summary>
    /// <param name="aggregate">The aggregate.</param>
    /// <param name="command">The command.</param>
    public IReadOnlyList<string> EventsOf(DomainNode aggregate, string command) =>
        _handled.TryGetValue((aggregate.Name, command), out var events) ? events : [];

    /// <summary>The aggregates and gateways that produce <paramref name="event"/>.</summary>
    public IReadOnlyList<DomainNode> ProducersOf(string @event) =>
        _edges.Where(e => (e.Kind is DomainEdgeKind.Emits or DomainEdgeKind.BringsIn) && e.To.Name == @event).Select(e => e.From).Distinct().ToList();

    /// <summary>The gateways that subscribe to <paramref name="event"/>.</summary>
    public IReadOnlyList<DomainNode> GatewaysOn(string @event) =>
        _edges.Where(e => e.Kind == DomainEdgeKind.Subscribes && e.From.Name == @event && e.To.Kind == DomainNodeKind.Gateway).Select(e => e.To).ToList();

    /// <summary>The commands <paramref name="gateway"/> sends.</summary>
    public IReadOnlyList<string> SentBy(DomainNode gateway) =>
        _edges.Where(e => e.Kind == DomainEdgeKind.Sends && e.From == gateway).Select(e => e.To.Name).ToList();

    /// <summary>The events <paramref name="gateway"/> brings in.</summary>
    public IReadOnlyList<string> BroughtInBy(DomainNode gateway) =>
        _edges.Where(e => e.Kind == DomainEdgeKind.BringsIn && e.From == gateway).Select(e => e.To.Name).ToList();

    private DomainNode Node(DomainNodeKind kind, string name)
    {
        if (name.Length == 0) return new DomainNode(kind, name);
        if (_byName.TryGetValue((kind, name), out var node)) return node;
        node = new DomainNode(kind, name);
        _byName[(kind, name)] = node;
        _nodes.Add(node);
        return node;
    }

    private void Edge(DomainNode from, DomainNode to, DomainEdgeKind kind)
    {
        // A name the parser had to invent (missing in a broken schema) is not drawn.
        if (from.Name.Length == 0 || to.Name.Length == 0) return;
        var edge = new DomainEdge(from, to, kind);
        if (!_edges.Contains(edge)) _edges.Add(edge);
    }

    private static IReadOnlyList<string> Names(IReadOnlyList<NameSyntax> names) => names.Select(n => n.Text).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
}
