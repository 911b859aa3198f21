using Concordance.LanguageServer.Workspace;
using Concordance.Schema;
using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Features;

/// <summary>
/// The C# the generator writes for a declaration, as an IDE shows it: the record, enum or base class and its handler
/// members, named through <see cref="GeneratedNames"/>, with the namespaces the generator spells out
/// (<c>global::System.Collections.Generic.</c>, <c>global::Concordance.</c>, the schema's own) left off.
/// </summary>
internal static class CSharpSignatures
{
    public static string Type(TypeSyntax? type) => type is null ? "?" : type.Kind switch
    {
        TypeSyntaxKind.Named => type.Name is { } name ? Named(name.Text) : "?",
        TypeSyntaxKind.Nullable => Type(type.Arguments.FirstOrDefault()) + "?",
        TypeSyntaxKind.List => "IReadOnlyList<" + Type(type.Arguments.FirstOrDefault()) + ">",
        TypeSyntaxKind.Map => "IReadOnlyDictionary<string, " + Type(type.Arguments.Skip(1).FirstOrDefault()) + ">",
        _ => "?",
    };

    /// <summary>A built-in's C# type without its namespace (<c>DateTimeOffset</c>), or the generated type of a record or enum.</summary>
    public static string Named(string name) =>
        BuiltIns.Types.TryGetValue(name, out var cs) ? (cs.StartsWith("System.", StringComparison.Ordinal) ? cs.Substring("System.".Length) : cs) : name;

    /// <summary><c>public sealed partial record OpenCart(string CartId, decimal Amount) : ICommand;</c></summary>
    public static string Record(MessageSyntax message, bool isLatest)
    {
        var name = isLatest || message.Kind != DeclarationKind.Event ? message.Name.Text : GeneratedNames.EventVersion(message.Name.Text, message.EffectiveVersion);
        var parameters = message.Fields.Count == 0 ? "" : "(" + string.Join(", ", message.Fields.Select(f => Type(f.Type) + " " + GeneratedNames.PropertyName(f.Name.Text))) + ")";
        var contract = message.Kind switch
        {
            DeclarationKind.Command => "ICommand",
            DeclarationKind.Event => "IEvent",
            _ => "IMessage",
        };
        return "public sealed partial record " + name + parameters + " : " + contract + ";";
    }

    public static string Enum(EnumSyntax @enum) =>
        "public enum " + @enum.Name.Text + " { " + string.Join(", ", @enum.Members.Select(m => m.Name.Text)) + " }";

    /// <summary>The base class and its abstract handlers, one per line.</summary>
    public static IEnumerable<string> Component(DeclarationSyntax component)
    {
        var name = component.Name.Text;
        var state = GeneratedNames.State(name);
        switch (component)
        {
            case AggregateSyntax aggregate:
                yield return "public abstract partial class " + GeneratedNames.AggregateBase(name) + " : IAggregate";
                foreach (var handle in aggregate.Handles.Where(h => !h.Command.IsMissing)) yield return "    " + Handle(handle.Command.Text, name);
                foreach (var e in aggregate.Handles.SelectMany(h => h.Events).Select(e => e.Text).Distinct()) yield return "    " + Apply(e, name);
                break;
            case ProjectorSyntax projector:
                yield return "public abstract partial class " + GeneratedNames.ProjectorBase(name) + " : IProjector";
                foreach (var e in projector.On.Select(e => e.Text).Distinct()) yield return "    public abstract ValueTask Handle(" + e + " @event, ProjectionContext context);";
                break;
            case ProcessSyntax process:
                yield return "public abstract partial class " + GeneratedNames.ProcessManagerBase(name) + " : IProcessManager";
                foreach (var e in process.StartOn.Concat(process.On).Concat(process.EndOn).Select(e => e.Text).Distinct())
                {
                    yield return "    public abstract " + GeneratedNames.Outcome(name) + " Handle(" + e + " @event, " + state + "? state);";
                }
                break;
            case GatewaySyntax gateway:
                yield return "public abstract partial class " + GeneratedNames.GatewayBase(name) + " : IGateway";
                foreach (var e in gateway.On.Select(e => e.Text).Distinct())
                {
                    yield return "    public abstract Task HandleAsync(" + e + " @event, " + GeneratedNames.GatewayContext(name) + " context, CancellationToken cancellationToken);";
                }
                break;
        }
    }

    /// <summary><c>public abstract OpenCartDecision Handle(OpenCart command, CartState? state);</c></summary>
    public static string Handle(string command, string aggregate) =>
        "public abstract " + GeneratedNames.Decision(command) + " Handle(" + command + " command, " + GeneratedNames.State(aggregate) + "? state);";

    /// <summary><c>public abstract CartState? Apply(CartOpened @event, CartState? state);</c></summary>
    public static string Apply(string @event, string aggregate) =>
        "public abstract " + GeneratedNames.State(aggregate) + "? Apply(" + @event + " @event, " + GeneratedNames.State(aggregate) + "? state);";
}
