using System.Collections.Generic;
using System.Linq;
using Concordance.Generators.Model;
using Concordance.Schema;

namespace Concordance.Generators.Emit;

/// <summary>
/// Writes a typed given/when/then scenario per aggregate, projector and process manager, in <c>{Namespace}.Testing</c>:
/// <c>{Name}Scenario</c> wraps the runtime's test kit (<c>Concordance.Testing</c>) and takes only the component's own
/// messages, through nested <c>Event</c> and <c>Command</c> structs with an implicit conversion from each declared
/// message, so passing another component's message does not compile.
/// </summary>
internal static class TestKitEmitter
{
    /// <summary>The namespace of the scenarios: the schema's, plus this.</summary>
    public const string NamespaceSuffix = "." + Concordance.Schema.GeneratedNames.TestKitNamespace;

    /// <summary>The suffix of a scenario type.</summary>
    public const string ScenarioSuffix = Concordance.Schema.GeneratedNames.ScenarioSuffix;

    private const string Kit = "global::Concordance.Testing";
    private const string IEvent = Types.Runtime + ".IEvent";
    private const string ICommand = Types.Runtime + ".ICommand";

    public static string Aggregate(SchemaModel schema, AggregateModel aggregate)
    {
        var ns = schema.Namespace;
        var name = aggregate.Name + ScenarioSuffix;
        var component = Types.Q(ns, GeneratedNames.AggregateBase(aggregate.Name));
        var state = Types.Q(ns, aggregate.State.TypeName);
        var inner = $"{Kit}.AggregateScenario<{component}>";
        var outcome = $"{Kit}.AggregateOutcome<{component}>";
        var w = SourceWriter.File(ns + NamespaceSuffix);
        Open(w, name, inner, component, "AggregateScenario", "aggregate", "TAggregate", "with no history",
            $"Given/when/then for the <c>{aggregate.SchemaName}</c> aggregate, in its own messages: its events in <see cref=\"Given\"/> and <see cref=\"Outcome.ThenEvents\"/>, its commands in <see cref=\"When\"/>. Another component's message does not compile.");
        w.Line("/// <summary>Adds <paramref name=\"events\"/> to the stream's history (after any given before); the scenario is immutable.</summary>");
        w.Line("/// <param name=\"events\">Events of this aggregate.</param>");
        w.Line("/// <returns>A new scenario with the longer history.</returns>");
        w.Line($"public {name} Given(params Event[] events) => new {name}(_scenario.Given(Event.Values(events)));");
        w.Line();
        w.Line("/// <summary>The state the history folds to (null when there is no history).</summary>");
        w.Line($"public {state}? State => ({state}?)_scenario.State;");
        w.Line();
        w.Line("/// <summary>Asserts that the history folds to <paramref name=\"expected\"/>.</summary>");
        w.Line("/// <param name=\"expected\">The expected state.</param>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenState({state}? expected) {{ _scenario.ThenState(expected); return this; }}");
        w.Line();
        w.Line("/// <summary>Decides <paramref name=\"command\"/> on the state the history folds to.</summary>");
        w.Line("/// <param name=\"command\">A command of this aggregate.</param>");
        w.Line("/// <returns>The outcome, to assert on.</returns>");
        w.Line("public Outcome When(Command command) => new Outcome(_scenario.When(command.Value));");
        w.Line();
        Wrapper(w, "Event", IEvent, "event", aggregate.AppliedEvents.Select(e => Types.Q(ns, e)), "An event of this aggregate.");
        w.Line();
        Wrapper(w, "Command", ICommand, "command", aggregate.Handles.Select(h => Types.Q(ns, h.Command)), "A command of this aggregate.");
        w.Line();
        w.Line("/// <summary>What the command did: its events or its rejection, and the state after it.</summary>");
        w.Line(Types.GeneratedCode);
        w.Open("public sealed class Outcome");
        w.Line($"private readonly {outcome} _outcome;");
        w.Line();
        w.Line($"internal Outcome({outcome} outcome) => _outcome = outcome;");
        w.Line();
        w.Line("/// <summary>The events emitted, in order (empty when rejected).</summary>");
        w.Line($"public global::System.Collections.Generic.IReadOnlyList<{IEvent}> Events => _outcome.Events;");
        w.Line();
        w.Line("/// <summary>Why the command was rejected; null when it was not.</summary>");
        w.Line("public string? RejectionReason => _outcome.RejectionReason;");
        w.Line();
        w.Line("/// <summary>The state after the command's events.</summary>");
        w.Line($"public {state}? State => ({state}?)_outcome.State;");
        w.Line();
        w.Line("/// <summary>Asserts that the command was accepted and emitted exactly <paramref name=\"events\"/>, in order.</summary>");
        w.Line("/// <param name=\"events\">Events of this aggregate.</param>");
        w.Line("/// <returns>This outcome.</returns>");
        w.Line("public Outcome ThenEvents(params Event[] events) { _outcome.ThenEvents(Event.Values(events)); return this; }");
        w.Line();
        w.Line("/// <summary>Asserts that the command was accepted and emitted no event.</summary>");
        w.Line("/// <returns>This outcome.</returns>");
        w.Line("public Outcome ThenNoEvents() { _outcome.ThenNoEvents(); return this; }");
        w.Line();
        w.Line("/// <summary>Asserts that the command was rejected, with a reason containing <paramref name=\"reasonContains\"/> when given.</summary>");
        w.Line("/// <param name=\"reasonContains\">Text the reason must contain (ordinal), or null for any reason.</param>");
        w.Line("/// <returns>This outcome.</returns>");
        w.Line("public Outcome ThenRejected(string? reasonContains = null) { _outcome.ThenRejected(reasonContains); return this; }");
        w.Line();
        w.Line("/// <summary>Asserts that the state after the command's events equals <paramref name=\"expected\"/>.</summary>");
        w.Line("/// <param name=\"expected\">The expected state.</param>");
        w.Line("/// <returns>This outcome.</returns>");
        w.Line($"public Outcome ThenState({state}? expected) {{ _outcome.ThenState(expected); return this; }}");
        w.Line();
        w.Line("/// <summary>Asserts that the aggregate threw <typeparamref name=\"TException\"/> while deciding or applying.</summary>");
        w.Line("/// <typeparam name=\"TException\">The exception expected.</typeparam>");
        w.Line("/// <param name=\"messageContains\">Text its message must contain (ordinal), or null.</param>");
        w.Line("/// <returns>This outcome.</returns>");
        w.Line("public Outcome ThenThrows<TException>(string? messageContains = null) where TException : global::System.Exception { _outcome.ThenThrows<TException>(messageContains); return this; }");
        w.Close();
        w.Close();
        return w.ToString();
    }

    public static string Projector(SchemaModel schema, ProjectorModel projector)
    {
        var ns = schema.Namespace;
        var name = projector.Name + ScenarioSuffix;
        var component = Types.Q(ns, GeneratedNames.ProjectorBase(projector.Name));
        var inner = $"{Kit}.ProjectionScenario<{component}>";
        var w = SourceWriter.File(ns + NamespaceSuffix);
        Open(w, name, inner, component, "ProjectionScenario", "projector", "TProjector", "with no events",
            $"Given/then for the <c>{projector.SchemaName}</c> projector, in its own events: only the events it subscribes to compile in <see cref=\"Given\"/>; read models are checked by key.");
        w.Line("/// <summary>Projects <paramref name=\"events\"/> after any given before; the scenario is immutable.</summary>");
        w.Line("/// <param name=\"events\">Events this projector subscribes to.</param>");
        w.Line("/// <returns>A new scenario with the longer history.</returns>");
        w.Line($"public {name} Given(params Event[] events) => new {name}(_scenario.Given(Event.Values(events)));");
        w.Line();
        w.Line("/// <summary>The read model under <paramref name=\"key\"/> after the events, or null.</summary>");
        w.Line("/// <typeparam name=\"T\">The read model's type.</typeparam>");
        w.Line("/// <param name=\"key\">Its key.</param>");
        w.Line("/// <returns>The read model, or null.</returns>");
        w.Line("public T? ReadModel<T>(string key) where T : class => _scenario.ReadModel<T>(key);");
        w.Line();
        w.Line("/// <summary>Asserts that the read model under <paramref name=\"key\"/> equals <paramref name=\"expected\"/>.</summary>");
        w.Line("/// <typeparam name=\"T\">The read model's type.</typeparam>");
        w.Line("/// <param name=\"key\">Its key.</param>");
        w.Line("/// <param name=\"expected\">The expected read model.</param>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenReadModel<T>(string key, T expected) where T : class {{ _scenario.ThenReadModel(key, expected); return this; }}");
        w.Line();
        w.Line("/// <summary>Runs <paramref name=\"assert\"/> on the read model under <paramref name=\"key\"/>.</summary>");
        w.Line("/// <typeparam name=\"T\">The read model's type.</typeparam>");
        w.Line("/// <param name=\"key\">Its key.</param>");
        w.Line("/// <param name=\"assert\">Any test framework's assertions.</param>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenReadModel<T>(string key, global::System.Action<T> assert) where T : class {{ _scenario.ThenReadModel(key, assert); return this; }}");
        w.Line();
        w.Line("/// <summary>Asserts that there is no read model under <paramref name=\"key\"/>.</summary>");
        w.Line("/// <param name=\"key\">The key.</param>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenNoReadModel(string key) {{ _scenario.ThenNoReadModel(key); return this; }}");
        w.Line();
        Wrapper(w, "Event", IEvent, "event", projector.Events.Select(e => Types.Q(ns, e)), "An event this projector subscribes to.");
        w.Close();
        return w.ToString();
    }

    public static string Process(SchemaModel schema, ProcessModel process)
    {
        var ns = schema.Namespace;
        var name = process.Name + ScenarioSuffix;
        var component = Types.Q(ns, GeneratedNames.ProcessManagerBase(process.Name));
        var state = Types.Q(ns, process.State.TypeName);
        var inner = $"{Kit}.ProcessScenario<{component}>";
        var w = SourceWriter.File(ns + NamespaceSuffix);
        Open(w, name, inner, component, "ProcessScenario", "process", "TProcess", "with no events",
            $"Given/when/then for the <c>{process.SchemaName}</c> process manager, in its own messages: the events it listens to in <see cref=\"Given\"/> and <see cref=\"When\"/>, the commands it may send in <see cref=\"Then\"/>. Another component's message does not compile.");
        w.Line("/// <summary>Events already handled (their commands are not expected in <see cref=\"Then\"/>); the scenario is immutable.</summary>");
        w.Line("/// <param name=\"events\">Events this process manager listens to.</param>");
        w.Line("/// <returns>A new scenario.</returns>");
        w.Line($"public {name} Given(params Event[] events) => new {name}(_scenario.Given(Event.Values(events)));");
        w.Line();
        w.Line("/// <summary>The events whose commands <see cref=\"Then\"/> checks.</summary>");
        w.Line("/// <param name=\"events\">Events this process manager listens to.</param>");
        w.Line("/// <returns>A new scenario.</returns>");
        w.Line($"public {name} When(params Event[] events) => new {name}(_scenario.When(Event.Values(events)));");
        w.Line();
        w.Line("/// <summary>Asserts that the events in <see cref=\"When\"/> sent exactly <paramref name=\"commands\"/>, in order.</summary>");
        w.Line("/// <param name=\"commands\">Commands this process manager may send.</param>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} Then(params Command[] commands) {{ _scenario.Then(Command.Values(commands)); return this; }}");
        w.Line();
        w.Line("/// <summary>Asserts that the events in <see cref=\"When\"/> sent no command.</summary>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenNoCommands() {{ _scenario.ThenNoCommands(); return this; }}");
        w.Line();
        w.Line("/// <summary>Asserts the state of the instance the last event went to.</summary>");
        w.Line("/// <param name=\"expected\">The expected state.</param>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenState({state}? expected) {{ _scenario.ThenState(expected); return this; }}");
        w.Line();
        w.Line("/// <summary>Asserts the state of the instance under <paramref name=\"key\"/>.</summary>");
        w.Line("/// <param name=\"key\">The instance's key.</param>");
        w.Line("/// <param name=\"expected\">The expected state.</param>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenState(string key, {state}? expected) {{ _scenario.ThenState(key, expected); return this; }}");
        w.Line();
        w.Line("/// <summary>Asserts that the instance under <paramref name=\"key\"/> has completed.</summary>");
        w.Line("/// <param name=\"key\">The instance's key.</param>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenCompleted(string key) {{ _scenario.ThenCompleted(key); return this; }}");
        w.Line();
        w.Line("/// <summary>Asserts that the instance under <paramref name=\"key\"/> is still running.</summary>");
        w.Line("/// <param name=\"key\">The instance's key.</param>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenRunning(string key) {{ _scenario.ThenRunning(key); return this; }}");
        w.Line();
        w.Line("/// <summary>Asserts that the instance the last event went to has completed.</summary>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenCompleted() {{ _scenario.ThenCompleted(); return this; }}");
        w.Line();
        w.Line("/// <summary>Asserts that the instance the last event went to is still running.</summary>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenRunning() {{ _scenario.ThenRunning(); return this; }}");
        w.Line();
        w.Line("/// <summary>Asserts that the events in <see cref=\"When\"/> were ignored (no instance to go to).</summary>");
        w.Line("/// <returns>This scenario.</returns>");
        w.Line($"public {name} ThenIgnored() {{ _scenario.ThenIgnored(); return this; }}");
        w.Line();
        Wrapper(w, "Event", IEvent, "event", process.Events.Select(e => Types.Q(ns, e.Event)).Distinct(), "An event this process manager listens to.");
        w.Line();
        Wrapper(w, "Command", ICommand, "command", process.Sends.Select(c => Types.Q(ns, c)), "A command this process manager may send.");
        w.Close();
        return w.ToString();
    }

    /// <summary>
    /// Opens the scenario class: its summary, the wrapped runtime scenario <paramref name="inner"/> and its constructor,
    /// and the two <c>For</c> factories (an instance, or a new <paramref name="typeParameter"/>) through <paramref name="kit"/>.
    /// </summary>
    private static void Open(SourceWriter w, string name, string inner, string component, string kit, string parameter, string typeParameter, string start, string summary)
    {
        w.Line($"/// <summary>{summary}</summary>");
        w.Line(Types.GeneratedCode);
        w.Open($"public sealed class {name}");
        w.Line($"private readonly {inner} _scenario;");
        w.Line();
        w.Line($"private {name}({inner} scenario) => _scenario = scenario;");
        w.Line();
        w.Line($"/// <summary>Starts a scenario for <paramref name=\"{parameter}\"/>, {start}.</summary>");
        w.Line($"/// <param name=\"{parameter}\">The implementation under test.</param>");
        w.Line("/// <returns>The scenario.</returns>");
        w.Line($"public static {name} For({component} {parameter}) => new {name}({Kit}.{kit}.For({parameter}));");
        w.Line();
        w.Line($"/// <summary>Starts a scenario for a new <typeparamref name=\"{typeParameter}\"/>, {start}.</summary>");
        w.Line($"/// <typeparam name=\"{typeParameter}\">The implementation under test.</typeparam>");
        w.Line("/// <returns>The scenario.</returns>");
        w.Line($"public static {name} For<{typeParameter}>() where {typeParameter} : {component}, new() => For(new {typeParameter}());");
        w.Line();
    }

    /// <summary>A struct that only the listed message types convert to, and back to the runtime's interface.</summary>
    private static void Wrapper(SourceWriter w, string name, string runtimeType, string parameter, IEnumerable<string> types, string summary)
    {
        w.Line($"/// <summary>{summary} Only these convert to it, so another message does not compile.</summary>");
        w.Line(Types.GeneratedCode);
        w.Open($"public readonly struct {name}");
        w.Line($"private {name}({runtimeType} value) => Value = value;");
        foreach (var type in types)
        {
            w.Line();
            w.Line($"/// <summary>Takes a <see cref=\"{type}\"/>.</summary>");
            w.Line($"/// <param name=\"{parameter}\">The message.</param>");
            w.Line($"public static implicit operator {name}({type} @{parameter}) => new {name}(@{parameter} ?? throw new global::System.ArgumentNullException(nameof(@{parameter})));");
        }
        w.Line();
        w.Line("/// <summary>The message.</summary>");
        w.Line($"public {runtimeType} Value {{ get; }}");
        w.Line();
        w.Line($"internal static {runtimeType}[] Values({name}[] items)");
        w.Line("{");
        w.Indent();
        w.Line($"var values = new {runtimeType}[items.Length];");
        w.Line("for (var i = 0; i < items.Length; i++) values[i] = items[i].Value;");
        w.Line("return values;");
        w.Outdent();
        w.Line("}");
        w.Close();
    }
}
