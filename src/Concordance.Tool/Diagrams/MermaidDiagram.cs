using System.Text;

namespace Concordance.Tool.Diagrams;

/// <summary>
/// Draws a <see cref="DomainGraph"/> as Markdown with Mermaid blocks: one flowchart of the whole domain and one
/// sequence diagram per process manager, from the events that start it to those that end it.
/// </summary>
public static class MermaidDiagram
{
    /// <summary>The Markdown document: a flowchart section, then a section per process manager.</summary>
    /// <param name="graph">The domain.</param>
    public static string Markdown(DomainGraph graph)
    {
        var text = new StringBuilder();
        var domain = graph.Namespaces.Count > 0 ? string.Join(", ", graph.Namespaces) : "the domain";
        text.Append("### Flow of ").Append(domain).Append("\n\n");
        text.Append("Commands go to the aggregate that handles them; events go to the projectors, process managers and gateways that subscribe; ")
            .Append("process managers and gateways send commands, and gateways bring outside events in (dotted).\n\n");
        text.Append("```mermaid\n").Append(Flowchart(graph)).Append("```\n");
        foreach (var process in graph.Processes)
        {
            text.Append("\n### Process ").Append(process.Name).Append("\n\n");
            text.Append("From ").Append(Or(process.StartOn)).Append(" to ").Append(Or(process.EndOn)).Append(".\n\n");
            text.Append("```mermaid\n").Append(Sequence(graph, process)).Append("```\n");
        }
        return text.ToString();
    }

    /// <summary>The Mermaid flowchart of the whole domain.</summary>
    /// <param name="graph">The domain.</param>
    public static string Flowchart(DomainGraph graph)
    {
        var ids = new Dictionary<DomainNode, string>();
        var text = new StringBuilder("flowchart LR\n");
        foreach (var node in graph.Nodes.Where(n => n.Name.Length > 0))
        {
            var id = ids[node] = NodeId(node, ids.Count);
            text.Append("    ").Append(id).Append(Shape(node.Kind, node.Name)).Append('\n');
        }
        foreach (var edge in graph.Edges)
        {
            var arrow = edge.Kind switch
            {
                DomainEdgeKind.Starts => " -->|start| ",
                DomainEdgeKind.Ends => " -->|end| ",
                DomainEdgeKind.Sends => " -.->|send| ",
                DomainEdgeKind.BringsIn => " -.->|emit| ",
                _ => " --> ",
            };
            text.Append("    ").Append(ids[edge.From]).Append(arrow).Append(ids[edge.To]).Append('\n');
        }
        foreach (var kind in Enum.GetValues<DomainNodeKind>())
        {
            var members = graph.Nodes.Where(n => n.Kind == kind && ids.ContainsKey(n)).Select(n => ids[n]).ToList();
            if (members.Count == 0) continue;
            text.Append("    classDef ").Append(ClassName(kind)).Append(' ').Append(Style(kind)).Append('\n');
            text.Append("    class ").Append(string.Join(',', members)).Append(' ').Append(ClassName(kind)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// The Mermaid sequence diagram of one process manager: what starts it, each command it sends to the aggregate that
    /// handles it, the events that come back (through gateways too), and where it ends.
    /// </summary>
    /// <param name="graph">The domain.</param>
    /// <param name="process">The process manager.</param>
    public static string Sequence(DomainGraph graph, DomainProcess process)
    {
        var participants = new List<(string Id, string Label)>();
        string Participant(string label)
        {
            var index = participants.FindIndex(p => p.Label == label);
            if (index >= 0) return participants[index].Id;
            participants.Add(("P" + participants.Count, label));
            return participants[^1].Id;
        }

        var messages = new List<string>();
        var listened = process.StartOn.Concat(process.On).Concat(process.EndOn).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Arrives(string from, string @event)
        {
            if (!seen.Add(@event)) return;
            var self = Participant(process.Name);
            messages.Add($"{from}-){self}: {@event}");
            if (process.EndOn.Contains(@event)) messages.Add($"Note over {self}: ends");
        }

        // What the gateways that react to an event do: bring events in, send commands whose events come back.
        var reacted = new HashSet<(string Gateway, string Event)>();
        void Reactions(string from, string @event)
        {
            foreach (var gateway in graph.GatewaysOn(@event))
            {
                if (!reacted.Add((gateway.Name, @event))) continue;
                var outside = Participant(gateway.Name);
                messages.Add($"{from}-){outside}: {@event}");
                foreach (var brought in graph.BroughtInBy(gateway).Where(listened.Contains)) Arrives(outside, brought);
                foreach (var sent in graph.SentBy(gateway))
                {
                    if (graph.HandlerOf(sent) is not { } target) continue;
                    var targetId = Participant(target.Name);
                    messages.Add($"{outside}->>{targetId}: {sent}");
                    foreach (var result in graph.EventsOf(target, sent))
                    {
                        if (listened.Contains(result)) Arrives(targetId, result);
                        Reactions(targetId, result);
                    }
                }
            }
        }

        // Whoever emits a start event comes first, so the diagram reads left to right.
        foreach (var start in process.StartOn)
        {
            var producers = graph.ProducersOf(start);
            var from = Participant(producers.Count > 0 ? producers[0].Name : "outside");
            Arrives(from, start);
            messages.Add($"Note over {Participant(process.Name)}: starts");
            Reactions(from, start);
        }
        var self = Participant(process.Name);
        foreach (var command in process.Sends)
        {
            if (graph.HandlerOf(command) is not { } aggregate)
            {
                messages.Add($"Note over {self}: sends {command}, which no aggregate handles");
                continue;
            }
            var handler = Participant(aggregate.Name);
            messages.Add($"{self}->>{handler}: {command}");
            foreach (var @event in graph.EventsOf(aggregate, command))
            {
                if (listened.Contains(@event)) Arrives(handler, @event);
                Reactions(handler, @event);
            }
        }
        // Events the process listens to that none of its own commands lead to.
        foreach (var @event in process.On.Concat(process.EndOn).Where(e => !seen.Contains(e)).ToList())
        {
            var producers = graph.ProducersOf(@event);
            Arrives(Participant(producers.Count > 0 ? producers[0].Name : "outside"), @event);
        }

        var text = new StringBuilder("sequenceDiagram\n");
        foreach (var (id, label) in participants) text.Append("    participant ").Append(id).Append(" as ").Append(label).Append('\n');
        foreach (var message in messages) text.Append("    ").Append(message).Append('\n');
        return text.ToString();
    }

    private static string NodeId(DomainNode node, int index)
    {
        var prefix = node.Kind switch
        {
            DomainNodeKind.Command => "cmd_",
            DomainNodeKind.Aggregate => "agg_",
            DomainNodeKind.Event => "evt_",
            DomainNodeKind.Projector => "prj_",
            DomainNodeKind.Process => "pm_",
            _ => "gw_",
        };
        // Readable ids for plain names; any other name gets a numbered one (its label still shows the name).
        return node.Name.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') ? prefix + node.Name : prefix + index;
    }

    private static string Shape(DomainNodeKind kind, string name) => kind switch
    {
        DomainNodeKind.Command => $"[/\"{name}\"/]",
        DomainNodeKind.Aggregate => $"[[\"{name}\"]]",
        DomainNodeKind.Event => $"([\"{name}\"])",
        DomainNodeKind.Projector => $"[(\"{name}\")]",
        DomainNodeKind.Process => $"{{{{\"{name}\"}}}}",
        _ => $">\"{name}\"]",
    };

    private static string ClassName(DomainNodeKind kind) => kind.ToString().ToLowerInvariant();

    // Event-storming colours: commands blue, aggregates yellow, events orange, read models green, policies lilac, outside pink.
    private static string Style(DomainNodeKind kind) => kind switch
    {
        DomainNodeKind.Command => "fill:#cfe3ff,stroke:#2f6fd6,color:#000",
        DomainNodeKind.Aggregate => "fill:#fff3b0,stroke:#b59b00,color:#000",
        DomainNodeKind.Event => "fill:#ffd8a8,stroke:#d9480f,color:#000",
        DomainNodeKind.Projector => "fill:#d3f9d8,stroke:#2b8a3e,color:#000",
        DomainNodeKind.Process => "fill:#e5dbff,stroke:#6741d9,color:#000",
        _ => "fill:#ffdeeb,stroke:#c2255c,color:#000",
    };

    private static string Or(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "(none)",
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1],
    };
}
