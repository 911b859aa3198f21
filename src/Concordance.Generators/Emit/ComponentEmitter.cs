using System.Linq;
using Concordance.Generators.Model;
using Concordance.Schema;

namespace Concordance.Generators.Emit;

/// <summary>
/// Writes the abstract bases users derive from: handlers are <c>public abstract</c>, the runtime
/// interface is implemented explicitly with type switches (no reflection).
/// </summary>
internal static class ComponentEmitter
{
    private const string Decision = Types.Runtime + ".Decision";
    private const string IEvent = Types.Runtime + ".IEvent";
    private const string ICommand = Types.Runtime + ".ICommand";
    private const string ValueTask = "global::System.Threading.Tasks.ValueTask";
    private const string Task = "global::System.Threading.Tasks.Task";
    private const string CancellationToken = "global::System.Threading.CancellationToken";
    private const string ArgumentException = "global::System.ArgumentException";
    private const string GatewayContextType = Types.Runtime + ".GatewayContext";
    private const string CommandResult = Types.Runtime + ".CommandResult";

    public static string Aggregate(SchemaModel schema, AggregateModel aggregate)
    {
        var ns = schema.Namespace;
        var w = SourceWriter.File(ns, schema.LinePath);
        var state = Types.Q(ns, aggregate.State.TypeName);
        MessageEmitter.State(w, ns, aggregate.State, aggregate.SchemaName);

        foreach (var handle in aggregate.Handles)
        {
            w.Line();
            DecisionStruct(w, ns, handle);
        }

        w.Line();
        var baseName = GeneratedNames.AggregateBase(aggregate.Name);
        w.Summary(aggregate.Doc, $"The <c>{aggregate.SchemaName}</c> aggregate: derive from this class and implement every handler. Handlers must be pure.");
        w.Line(Types.GeneratedCode);
        w.Mapped(aggregate.Place, $"public abstract partial class {baseName} : {Types.Runtime}.IAggregate", baseName);
        w.Line("{").Indent();
        foreach (var handle in aggregate.Handles)
        {
            var command = Types.Q(ns, handle.Command);
            w.Line($"/// <summary>Decides about a <see cref=\"{command}\"/>: return a declared event, <c>Emit(…)</c> several, or <c>Reject(\"why\")</c>.</summary>");
            w.Line("/// <param name=\"command\">The command.</param>");
            w.Line("/// <param name=\"state\">The current state; null before the first event.</param>");
            w.Line("/// <returns>The decision.</returns>");
            w.Mapped(handle.Place, $"public abstract {Types.Q(ns, handle.DecisionName)} Handle({command} command, {state}? state);", "Handle");
            w.Line();
        }
        for (var i = 0; i < aggregate.AppliedEvents.Count; i++)
        {
            var type = Types.Q(ns, aggregate.AppliedEvents[i]);
            w.Line($"/// <summary>Applies a <see cref=\"{type}\"/> to the state.</summary>");
            w.Line("/// <param name=\"event\">The event.</param>");
            w.Line("/// <param name=\"state\">The current state; null before the first event.</param>");
            w.Line("/// <returns>The new state; null for no state.</returns>");
            w.Mapped(PlaceAt(aggregate.AppliedPlaces, i), $"public abstract {state}? Apply({type} @event, {state}? state);", "Apply");
            w.Line();
        }
        w.Line("/// <summary>Refuses the command with a reason the sender can act on.</summary>");
        w.Line("/// <param name=\"reason\">Why the command is refused.</param>");
        w.Line("/// <returns>A rejection, convertible to every decision of this aggregate.</returns>");
        w.Line($"protected static {Types.Runtime}.Rejection Reject(string reason) => new {Types.Runtime}.Rejection(reason);");
        foreach (var handle in aggregate.Handles)
        {
            var decision = Types.Q(ns, handle.DecisionName);
            w.Line();
            w.Line($"/// <summary>Emits several events for a <see cref=\"{Types.Q(ns, handle.Command)}\"/>, in order.</summary>");
            w.Line("/// <param name=\"events\">The events, each one of the command's declared events.</param>");
            w.Line("/// <returns>The decision.</returns>");
            w.Line($"protected static {decision} Emit(params {decision}.Event[] events) => {decision}.Emit(events);");
        }
        w.Line();
        TypeList(w, "CommandTypes", aggregate.Handles.Select(h => h.Command), ns);
        TypeList(w, "EventTypes", aggregate.AppliedEvents, ns);
        const string I = Types.Runtime + ".IAggregate";
        w.Line($"string {I}.Name => {SourceWriter.Literal(aggregate.SchemaName)};");
        w.Line();
        w.Line($"{Types.TypeList} {I}.CommandTypes => CommandTypes;");
        w.Line();
        w.Line($"{Types.TypeList} {I}.EventTypes => EventTypes;");
        w.Line();
        w.Line($"{Types.Type} {I}.StateType => typeof({state});");
        w.Line();
        w.Line($"void {I}.WriteState({Types.Writer} writer, object state) => {GeneratedNames.JsonConverter(state)}.WriteValue(writer, ({state})state);");
        w.Line();
        w.Line($"object {I}.ReadState(ref {Types.Reader} reader) => {GeneratedNames.JsonConverter(state)}.ReadValue(ref reader);");
        w.Line();
        Switch(w, $"string? {I}.KeyOf({ICommand} command) => command switch",
            aggregate.Handles.Where(h => h.Key is not null).Select(handle => $"{Types.Q(ns, handle.Command)} c => {KeyText("c", handle.Key!)},"),
            "_ => null,");
        w.Line();
        Switch(w, $"{Decision} {I}.Decide({ICommand} command, object? state) => command switch",
            aggregate.Handles.Select(handle => $"{Types.Q(ns, handle.Command)} c => Handle(c, ({state}?)state).ToDecision(),"),
            $"_ => throw new {ArgumentException}({SourceWriter.Literal(aggregate.SchemaName + " does not handle ")} + command.GetType().FullName + \".\", nameof(command)),");
        w.Line();
        Switch(w, $"object? {I}.Evolve({IEvent} @event, object? state) => @event switch",
            aggregate.AppliedEvents.Select(@event => $"{Types.Q(ns, @event)} e => Apply(e, ({state}?)state),"),
            $"_ => throw new {ArgumentException}({SourceWriter.Literal(aggregate.SchemaName + " does not emit ")} + @event.GetType().FullName + \".\", nameof(@event)),");
        w.Close();
        return w.ToString();
    }

    private static void DecisionStruct(SourceWriter w, string ns, HandleModel handle)
    {
        var name = handle.DecisionName;
        var self = Types.Q(ns, name);
        var command = Types.Q(ns, handle.Command);
        w.Line($"/// <summary>What a handler decides about a <see cref=\"{command}\"/>: one of its declared events, several through <c>Emit</c>, or a rejection.</summary>");
        w.Line(Types.GeneratedCode);
        w.Mapped(handle.Place, $"public readonly struct {name}", name);
        w.Line("{").Indent();
        w.Line($"private readonly {Decision} _decision;");
        w.Line();
        w.Line($"private {name}({Decision} decision) => _decision = decision;");
        foreach (var @event in handle.Events)
        {
            var type = Types.Q(ns, @event);
            w.Line();
            w.Line($"/// <summary>Accepts the command by emitting <paramref name=\"event\"/>.</summary>");
            w.Line("/// <param name=\"event\">The event to append.</param>");
            w.Line($"public static implicit operator {name}({type} @event) => new {self}({Decision}.Accept(@event ?? throw new global::System.ArgumentNullException(nameof(@event))));");
        }
        w.Line();
        w.Line("/// <summary>Refuses the command.</summary>");
        w.Line("/// <param name=\"rejection\">The rejection, from <c>Reject(\"why\")</c>.</param>");
        w.Line($"public static implicit operator {name}({Types.Runtime}.Rejection rejection) => new {self}({Decision}.Reject(rejection.Reason));");
        w.Line();
        w.Line("/// <summary>The untyped decision the runtime works with.</summary>");
        w.Line("/// <param name=\"decision\">The typed decision.</param>");
        w.Line(Types.NotBrowsable);
        w.Line($"public static implicit operator {Decision}({name} decision) => decision._decision;");
        w.Line();
        w.Line("/// <summary>Accepts the command by emitting <paramref name=\"events\"/> in order (none is allowed).</summary>");
        w.Line("/// <param name=\"events\">The events, each one of the command's declared events.</param>");
        w.Line("/// <returns>The decision.</returns>");
        w.Open($"public static {name} Emit(params {self}.Event[] events)");
        w.Line($"var values = new {IEvent}[events.Length];");
        w.Line("for (var i = 0; i < events.Length; i++) values[i] = events[i].Value;");
        w.Line($"return new {self}({Decision}.Accept(values));");
        w.Close();
        w.Line();
        w.Line("/// <summary>The untyped decision the runtime works with.</summary>");
        w.Line("/// <returns>The decision.</returns>");
        w.Line(Types.NotBrowsable);
        w.Line($"public {Decision} ToDecision() => _decision;");
        w.Line();
        w.Line($"/// <summary>One of the events declared for <see cref=\"{command}\"/>; converts implicitly from each.</summary>");
        w.Line(Types.GeneratedCode);
        w.Line(Types.NotBrowsable);
        w.Open("public readonly struct Event");
        w.Line($"private Event({IEvent} value) => Value = value;");
        foreach (var @event in handle.Events)
        {
            var type = Types.Q(ns, @event);
            w.Line();
            w.Line($"/// <summary>Wraps a <see cref=\"{type}\"/>.</summary>");
            w.Line("/// <param name=\"event\">The event.</param>");
            w.Line($"public static implicit operator Event({type} @event) => new Event(@event ?? throw new global::System.ArgumentNullException(nameof(@event)));");
        }
        w.Line();
        w.Line("/// <summary>The wrapped event.</summary>");
        w.Line(Types.NotBrowsable);
        w.Line($"public {IEvent} Value {{ get; }}");
        w.Close();
        w.Close();
    }

    public static string Projector(SchemaModel schema, ProjectorModel projector)
    {
        var ns = schema.Namespace;
        var w = SourceWriter.File(ns, schema.LinePath);
        w.Summary(projector.Doc, $"The <c>{projector.SchemaName}</c> projector: derive from this class and implement every handler. Handlers must be pure; write read models through the context.");
        w.Line(Types.GeneratedCode);
        w.Mapped(projector.Place, $"public abstract partial class {GeneratedNames.ProjectorBase(projector.Name)} : {Types.Runtime}.IProjector", GeneratedNames.ProjectorBase(projector.Name));
        w.Line("{").Indent();
        for (var i = 0; i < projector.Events.Count; i++)
        {
            var type = Types.Q(ns, projector.Events[i]);
            w.Line($"/// <summary>Projects a <see cref=\"{type}\"/>.</summary>");
            w.Line("/// <param name=\"event\">The event.</param>");
            w.Line("/// <param name=\"context\">The only door to storage; writes commit with the checkpoint.</param>");
            w.Line("/// <returns>A task that completes when the event is projected.</returns>");
            w.Mapped(PlaceAt(projector.EventPlaces, i), $"public abstract {ValueTask} Handle({type} @event, {Types.Runtime}.ProjectionContext context);", "Handle");
            w.Line();
        }
        TypeList(w, "EventTypes", projector.Events, ns);
        const string I = Types.Runtime + ".IProjector";
        w.Line($"string {I}.Name => {SourceWriter.Literal(projector.SchemaName)};");
        w.Line();
        w.Line($"{Types.TypeList} {I}.EventTypes => EventTypes;");
        w.Line();
        if (projector.Version > 1)
        {
            w.Line($"int {I}.Version => {projector.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)};");
            w.Line();
        }
        Switch(w, $"{ValueTask} {I}.ProjectAsync({IEvent} @event, {Types.Runtime}.ProjectionContext context) => @event switch",
            projector.Events.Select(@event => $"{Types.Q(ns, @event)} e => Handle(e, context),"),
            "_ => default,");
        w.Close();
        return w.ToString();
    }

    public static string Process(SchemaModel schema, ProcessModel process)
    {
        var ns = schema.Namespace;
        var w = SourceWriter.File(ns, schema.LinePath);
        var state = Types.Q(ns, process.State.TypeName);
        var outcomeName = GeneratedNames.Outcome(process.Name);
        var outcome = Types.Q(ns, outcomeName);
        const string ProcessOutcome = Types.Runtime + ".ProcessOutcome";
        MessageEmitter.State(w, ns, process.State, process.SchemaName);
        w.Line();

        w.Line($"/// <summary>What <c>{process.SchemaName}</c> decides about an event: go on with a new state or complete, sending declared commands.</summary>");
        w.Line(Types.GeneratedCode);
        w.Mapped(process.Place, $"public readonly struct {outcomeName}", outcomeName);
        w.Line("{").Indent();
        w.Line($"private readonly {ProcessOutcome} _outcome;");
        w.Line();
        w.Line($"private {outcomeName}({ProcessOutcome} outcome) => _outcome = outcome;");
        w.Line();
        w.Line("/// <summary>The instance goes on with <paramref name=\"state\"/> and sends <paramref name=\"commands\"/>.</summary>");
        w.Line("/// <param name=\"state\">The new state.</param>");
        w.Line("/// <param name=\"commands\">Commands to send, each one the process declares with <c>send</c>.</param>");
        w.Line("/// <returns>The outcome.</returns>");
        w.Line($"public static {outcomeName} Continue({state} state, params {outcome}.Command[] commands) =>");
        w.Line($"    new {outcome}({ProcessOutcome}.Continue(state ?? throw new global::System.ArgumentNullException(nameof(state)), Values(commands)));");
        w.Line();
        w.Line("/// <summary>The instance ends after sending <paramref name=\"commands\"/>.</summary>");
        w.Line("/// <param name=\"commands\">Commands to send, each one the process declares with <c>send</c>.</param>");
        w.Line("/// <returns>The outcome.</returns>");
        w.Line($"public static {outcomeName} Complete(params {outcome}.Command[] commands) => new {outcome}({ProcessOutcome}.Complete(Values(commands)));");
        w.Line();
        w.Line("/// <summary>The untyped outcome the runtime works with.</summary>");
        w.Line("/// <param name=\"outcome\">The typed outcome.</param>");
        w.Line(Types.NotBrowsable);
        w.Line($"public static implicit operator {ProcessOutcome}({outcomeName} outcome) => outcome._outcome;");
        w.Line();
        w.Line("/// <summary>The untyped outcome the runtime works with.</summary>");
        w.Line("/// <returns>The outcome.</returns>");
        w.Line(Types.NotBrowsable);
        w.Line($"public {ProcessOutcome} ToOutcome() => _outcome;");
        w.Line();
        w.Open($"private static {ICommand}[] Values({outcome}.Command[] commands)");
        w.Line($"var values = new {ICommand}[commands.Length];");
        w.Line("for (var i = 0; i < commands.Length; i++) values[i] = commands[i].Value;");
        w.Line("return values;");
        w.Close();
        w.Line();
        w.Line($"/// <summary>One of the commands <c>{process.SchemaName}</c> declares with <c>send</c>; converts implicitly from each.</summary>");
        w.Line(Types.GeneratedCode);
        w.Line(Types.NotBrowsable);
        w.Open("public readonly struct Command");
        w.Line($"private Command({ICommand} value) => Value = value;");
        foreach (var send in process.Sends)
        {
            var type = Types.Q(ns, send);
            w.Line();
            w.Line($"/// <summary>Wraps a <see cref=\"{type}\"/>.</summary>");
            w.Line("/// <param name=\"command\">The command.</param>");
            w.Line($"public static implicit operator Command({type} command) => new Command(command ?? throw new global::System.ArgumentNullException(nameof(command)));");
        }
        w.Line();
        w.Line("/// <summary>The wrapped command.</summary>");
        w.Line(Types.NotBrowsable);
        w.Line($"public {ICommand} Value {{ get; }}");
        w.Close();
        w.Close();
        w.Line();

        w.Summary(process.Doc, $"The <c>{process.SchemaName}</c> process manager: derive from this class and implement every handler. Handlers must be pure.");
        w.Line(Types.GeneratedCode);
        w.Mapped(process.Place, $"public abstract partial class {GeneratedNames.ProcessManagerBase(process.Name)} : {Types.Runtime}.IProcessManager", GeneratedNames.ProcessManagerBase(process.Name));
        w.Line("{").Indent();
        foreach (var @event in process.Events)
        {
            var type = Types.Q(ns, @event.Event);
            var role = @event.Step switch
            {
                ProcessStepKind.Start => "starts an instance",
                ProcessStepKind.End => "ends an instance",
                _ => "advances a running instance",
            };
            w.Line($"/// <summary>Handles a <see cref=\"{type}\"/>, which {role}.</summary>");
            w.Line("/// <param name=\"event\">The event.</param>");
            w.Line("/// <param name=\"state\">The instance state; null when no instance has started.</param>");
            w.Line("/// <returns>The outcome: <c>Continue(state, commands…)</c> or <c>Complete(commands…)</c>.</returns>");
            w.Mapped(@event.Place, $"public abstract {outcome} Handle({type} @event, {state}? state);", "Handle");
            w.Line();
        }
        w.Line("/// <summary>The instance goes on with <paramref name=\"state\"/> and sends <paramref name=\"commands\"/>.</summary>");
        w.Line("/// <param name=\"state\">The new state.</param>");
        w.Line("/// <param name=\"commands\">Commands to send, each one the process declares with <c>send</c>.</param>");
        w.Line("/// <returns>The outcome.</returns>");
        w.Line($"protected static {outcome} Continue({state} state, params {outcome}.Command[] commands) => {outcome}.Continue(state, commands);");
        w.Line();
        w.Line("/// <summary>The instance ends after sending <paramref name=\"commands\"/>.</summary>");
        w.Line("/// <param name=\"commands\">Commands to send, each one the process declares with <c>send</c>.</param>");
        w.Line("/// <returns>The outcome.</returns>");
        w.Line($"protected static {outcome} Complete(params {outcome}.Command[] commands) => {outcome}.Complete(commands);");
        w.Line();
        TypeList(w, "EventTypes", process.Events.Select(e => e.Event), ns);
        TypeList(w, "CommandTypes", process.Sends, ns);
        const string I = Types.Runtime + ".IProcessManager";
        const string Step = Types.Runtime + ".ProcessStep";
        w.Line($"string {I}.Name => {SourceWriter.Literal(process.SchemaName)};");
        w.Line();
        w.Line($"{Types.TypeList} {I}.EventTypes => EventTypes;");
        w.Line();
        w.Line($"{Types.TypeList} {I}.CommandTypes => CommandTypes;");
        w.Line();
        w.Line($"{Types.Type} {I}.StateType => typeof({state});");
        w.Line();
        w.Line($"void {I}.WriteState({Types.Writer} writer, object state) => {GeneratedNames.JsonConverter(state)}.WriteValue(writer, ({state})state);");
        w.Line();
        w.Line($"object {I}.ReadState(ref {Types.Reader} reader) => {GeneratedNames.JsonConverter(state)}.ReadValue(ref reader);");
        w.Line();
        Switch(w, $"{Step} {I}.StepOf({IEvent} @event) => @event switch",
            process.Events.Select(@event => $"{Types.Q(ns, @event.Event)} => {Step}.{@event.Step},"),
            $"_ => {Step}.None,");
        w.Line();
        Switch(w, $"string? {I}.KeyOf({IEvent} @event) => @event switch",
            process.Events.Where(e => e.Key is not null).Select(@event => $"{Types.Q(ns, @event.Event)} e => {KeyText("e", @event.Key!)},"),
            "_ => null,");
        w.Line();
        Switch(w, $"{ProcessOutcome} {I}.Handle({IEvent} @event, object? state) => @event switch",
            process.Events.Select(@event => $"{Types.Q(ns, @event.Event)} e => Handle(e, ({state}?)state).ToOutcome(),"),
            $"_ => throw new {ArgumentException}({SourceWriter.Literal(process.SchemaName + " does not listen to ")} + @event.GetType().FullName + \".\", nameof(@event)),");
        w.Close();
        return w.ToString();
    }

    public static string Gateway(SchemaModel schema, GatewayModel gateway)
    {
        var ns = schema.Namespace;
        var w = SourceWriter.File(ns, schema.LinePath);
        var contextName = GeneratedNames.GatewayContext(gateway.Name);
        var context = Types.Q(ns, contextName);
        GatewayContext(w, ns, gateway, contextName);
        w.Line();

        w.Summary(gateway.Doc, $"The <c>{gateway.SchemaName}</c> gateway: derive from this class and implement every handler. Gateways may do I/O.");
        w.Line(Types.GeneratedCode);
        w.Mapped(gateway.Place, $"public abstract partial class {GeneratedNames.GatewayBase(gateway.Name)} : {Types.Runtime}.IGateway", GeneratedNames.GatewayBase(gateway.Name));
        w.Line("{").Indent();
        for (var i = 0; i < gateway.On.Count; i++)
        {
            var type = Types.Q(ns, gateway.On[i]);
            w.Line($"/// <summary>Reacts to a <see cref=\"{type}\"/>; may do I/O.</summary>");
            w.Line("/// <param name=\"event\">The event.</param>");
            w.Line("/// <param name=\"context\">Sends the gateway's declared commands and records its declared external events.</param>");
            w.Line("/// <param name=\"cancellationToken\">Cancels the work.</param>");
            w.Line("/// <returns>A task that completes when the event is handled.</returns>");
            w.Mapped(PlaceAt(gateway.OnPlaces, i), $"public abstract {Task} HandleAsync({type} @event, {context} context, {CancellationToken} cancellationToken);", "HandleAsync");
            w.Line();
        }
        TypeList(w, "EventTypes", gateway.On, ns);
        TypeList(w, "EmittedEventTypes", gateway.Emit, ns);
        TypeList(w, "CommandTypes", gateway.Sends, ns);
        const string I = Types.Runtime + ".IGateway";
        w.Line($"string {I}.Name => {SourceWriter.Literal(gateway.SchemaName)};");
        w.Line();
        w.Line($"{Types.TypeList} {I}.EventTypes => EventTypes;");
        w.Line();
        w.Line($"{Types.TypeList} {I}.EmittedEventTypes => EmittedEventTypes;");
        w.Line();
        w.Line($"{Types.TypeList} {I}.CommandTypes => CommandTypes;");
        w.Line();
        Switch(w, $"{Task} {I}.DispatchAsync({IEvent} @event, {GatewayContextType} context, {CancellationToken} cancellationToken) => @event switch",
            gateway.On.Select(@event => $"{Types.Q(ns, @event)} e => HandleAsync(e, new {context}(context), cancellationToken),"),
            $"_ => {Task}.CompletedTask,");
        w.Close();
        return w.ToString();
    }

    /// <summary>
    /// The typed context of a gateway: one <c>EmitAsync</c> per declared <c>emit</c> event and one <c>SendAsync</c> per
    /// declared <c>send</c> command, each forwarding to the runtime's context; no untyped overload, so an undeclared
    /// message does not compile. The runtime's context stays private: reaching it would reopen untyped sends and emits.
    /// </summary>
    private static void GatewayContext(SourceWriter w, string ns, GatewayModel gateway, string contextName)
    {
        const string ArgumentNull = "global::System.ArgumentNullException";
        w.Line($"/// <summary>What the <c>{gateway.SchemaName}</c> gateway may do besides its own I/O: record the events it declares with <c>emit</c> and send the commands it declares with <c>send</c>; any other message does not compile.</summary>");
        w.Line(Types.GeneratedCode);
        w.Mapped(gateway.Place, $"public sealed class {contextName}", contextName);
        w.Line("{").Indent();
        w.Line($"private readonly {GatewayContextType} _context;");
        w.Line();
        w.Line("/// <summary>Wraps the runtime's context for one event: the runtime does it for every handler call; a unit test can pass its own <see cref=\"" + GatewayContextType + "\"/> to observe what the gateway sends and emits.</summary>");
        w.Line("/// <param name=\"context\">The runtime's untyped context, which every call forwards to.</param>");
        w.Line($"public {contextName}({GatewayContextType} context) => _context = context ?? throw new {ArgumentNull}(nameof(context));");
        for (var i = 0; i < gateway.Emit.Count; i++)
        {
            var type = Types.Q(ns, gateway.Emit[i]);
            w.Line();
            w.Line($"/// <summary>Records a <see cref=\"{type}\"/> in the log. A retried or redelivered handler that emits again records nothing twice.</summary>");
            w.Line("/// <param name=\"event\">The external event.</param>");
            w.Line("/// <param name=\"cancellationToken\">Cancels the append.</param>");
            w.Line("/// <returns>A task that completes when the event is recorded.</returns>");
            w.Mapped(PlaceAt(gateway.EmitPlaces, i), $"public {Task} EmitAsync({type} @event, {CancellationToken} cancellationToken = default) =>", "EmitAsync");
            w.Line($"    _context.EmitAsync(@event ?? throw new {ArgumentNull}(nameof(@event)), cancellationToken);");
        }
        for (var i = 0; i < gateway.Sends.Count; i++)
        {
            var type = Types.Q(ns, gateway.Sends[i]);
            w.Line();
            w.Line($"/// <summary>Sends a <see cref=\"{type}\"/> through the command bus. A retried or redelivered handler that sends the same command again has it applied once.</summary>");
            w.Line("/// <param name=\"command\">The command.</param>");
            w.Line("/// <param name=\"cancellationToken\">Cancels the send.</param>");
            w.Line("/// <returns>The command's result: accepted with its events, or rejected with the reason.</returns>");
            w.Mapped(PlaceAt(gateway.SendPlaces, i), $"public {Task}<{CommandResult}> SendAsync({type} command, {CancellationToken} cancellationToken = default) =>", "SendAsync");
            w.Line($"    _context.SendAsync(command ?? throw new {ArgumentNull}(nameof(command)), cancellationToken);");
        }
        w.Close();
    }

    /// <summary>Writes <paramref name="header"/> (ending in <c>switch</c>), one arm per line, then the fallback arm.</summary>
    private static void Switch(SourceWriter w, string header, System.Collections.Generic.IEnumerable<string> arms, string fallback)
    {
        w.Line(header);
        w.Line("{");
        w.Indent();
        foreach (var arm in arms) w.Line(arm);
        w.Line(fallback);
        w.Outdent();
        w.Line("};");
    }

    private static void TypeList(SourceWriter w, string name, System.Collections.Generic.IEnumerable<string> types, string ns)
    {
        var items = types.Select(t => $"typeof({Types.Q(ns, t)})").ToList();
        var value = items.Count == 0 ? $"global::System.Array.Empty<{Types.Type}>()" : $"new {Types.Type}[] {{ {string.Join(", ", items)} }}";
        w.Line($"private static readonly {Types.Type}[] {name} = {value};");
        w.Line();
    }

    /// <summary>The place at <paramref name="index"/>, or null (no mapping) when the model has none there.</summary>
    private static SchemaPlace? PlaceAt(EquatableArray<SchemaPlace> places, int index) => index < places.Count ? places[index] : null;

    private static string KeyText(string variable, KeyModel key) =>
        key.IsText
            ? $"{variable}.{key.PropertyName}"
            : $"global::System.Convert.ToString({variable}.{key.PropertyName}, {Types.Invariant})";
}
