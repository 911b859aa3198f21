using System.Buffers;
using System.Text.Json;

namespace Concordance.Testing;

/// <summary>
/// Given/when/then for a process manager, with no store. Events go through the process the way the runtime
/// routes them: by <see cref="IProcessManager.StepOf"/> and <see cref="IProcessManager.KeyOf"/> to one
/// instance per key; a start event starts an instance that has not started, an advance or end event reaches
/// a running instance, and every other event is ignored (an event the process does not listen to, an
/// advance or end before the start, anything after the end, a second start). An instance ends on an end
/// event or when its handler completes it. Between events the state is written and read back with
/// <see cref="IProcessManager.WriteState"/>/<see cref="IProcessManager.ReadState"/>, as it is when stored.
/// </summary>
/// <example>
/// <code>
/// ProcessScenario.For(new InterbankTransfer())
///     .Given(new WireTransferInitiated("ABC123", 2500m, null, "CUSTBOB", "WT-1", "021000021", "987654321"))
///     .Then(new ReserveFunds("ABC123", 2500m, "CUSTBOB", "WT-1"));
/// </code>
/// </example>
public static class ProcessScenario
{
    /// <summary>Starts a scenario for <paramref name="process"/>, with no events.</summary>
    public static ProcessScenario<TProcess> For<TProcess>(TProcess process)
        where TProcess : IProcessManager =>
        new(process ?? throw new ArgumentNullException(nameof(process)), [], []);

    /// <summary>Starts a scenario for a new <typeparamref name="TProcess"/>, with no events.</summary>
    public static ProcessScenario<TProcess> For<TProcess>()
        where TProcess : IProcessManager, new() =>
        new(new TProcess(), [], []);
}

/// <summary>What happened to one event in a process scenario.</summary>
/// <param name="Event">The event.</param>
/// <param name="Step">Its role for the process.</param>
/// <param name="Key">The instance key it carries (null when the process does not listen to it).</param>
/// <param name="Handled">True when the handler ran; false when the event was ignored.</param>
/// <param name="Note">Why the event was ignored, or what the outcome was.</param>
/// <param name="Commands">The commands the handler sent.</param>
public sealed record ProcessStepRecord(IEvent Event, ProcessStep Step, string? Key, bool Handled, string Note, IReadOnlyList<ICommand> Commands);

/// <summary>
/// A process-manager scenario: the events already seen (<see cref="Given"/>) and the events under test
/// (<see cref="When"/>). Immutable until a <c>Then…</c> runs it; each <c>Then…</c> returns the scenario so
/// assertions chain. The commands checked by <see cref="Then"/> are those sent for the <c>When</c> events, or
/// for every event when there are none.
/// </summary>
/// <typeparam name="TProcess">The process manager under test.</typeparam>
public sealed class ProcessScenario<TProcess>
    where TProcess : IProcessManager
{
    private readonly IEvent[] _given;
    private readonly IEvent[] _when;
    private Run? _run;

    internal ProcessScenario(TProcess process, IEvent[] given, IEvent[] when)
    {
        Process = process;
        _given = given;
        _when = when;
    }

    /// <summary>The process manager under test.</summary>
    public TProcess Process { get; }

    /// <summary>Adds events the process has already seen.</summary>
    public ProcessScenario<TProcess> Given(params IEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new(Process, [.. _given, .. events], _when);
    }

    /// <summary>Adds events under test: <see cref="Then"/> checks the commands sent for these.</summary>
    public ProcessScenario<TProcess> When(params IEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new(Process, _given, [.. _when, .. events]);
    }

    /// <summary>What happened to each event, in order (runs the scenario).</summary>
    /// <exception cref="ScenarioFailedException">A handler threw, or a state did not survive being written and read back.</exception>
    public IReadOnlyList<ProcessStepRecord> Steps => Execute().Steps;

    /// <summary>The commands sent for the events under test, in order (runs the scenario).</summary>
    public IReadOnlyList<ICommand> Commands => Execute().Commands;

    /// <summary>Asserts that exactly <paramref name="expected"/> were sent, in order (value equality).</summary>
    /// <exception cref="ScenarioFailedException">Other commands were sent.</exception>
    public ProcessScenario<TProcess> Then(params ICommand[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var run = Execute();
        if (ScenarioText.FirstDifference(expected, run.Commands) is { } difference)
            throw new ScenarioFailedException(
                $"{Intro()}\nExpected commands:{ScenarioText.List(expected)}\nActual commands:{ScenarioText.List(run.Commands)}\n{difference}\n{Trace(run)}");
        return this;
    }

    /// <summary>Asserts that no command was sent.</summary>
    public ProcessScenario<TProcess> ThenNoCommands() => Then();

    /// <summary>Asserts that the instance of the last event under test the process listens to is running with state <paramref name="expected"/>.</summary>
    /// <exception cref="ScenarioFailedException">The instance is not running, or its state differs.</exception>
    public ProcessScenario<TProcess> ThenState<TState>(TState expected) => ThenState(LastKey(), expected);

    /// <summary>Asserts that instance <paramref name="key"/> is running with state <paramref name="expected"/> (value equality).</summary>
    /// <exception cref="ScenarioFailedException">The instance is not running, or its state differs.</exception>
    public ProcessScenario<TProcess> ThenState<TState>(string key, TState expected)
    {
        var instance = RunningInstance(key, $"the state {ScenarioText.Describe(expected)}");
        StateAssertions.Equal(expected, instance.State, $"of {Process.Name} instance '{key}'");
        return this;
    }

    /// <summary>Runs <paramref name="assert"/> on the state of the running instance of the last event under test.</summary>
    /// <exception cref="ScenarioFailedException">The instance is not running, or its state is of another type.</exception>
    public ProcessScenario<TProcess> ThenState<TState>(Action<TState> assert)
    {
        ArgumentNullException.ThrowIfNull(assert);
        var key = LastKey();
        var instance = RunningInstance(key, $"a {typeof(TState).Name} state");
        assert(StateAssertions.As<TState>(instance.State, $"of {Process.Name} instance '{key}'"));
        return this;
    }

    /// <summary>Asserts that the instance of the last event under test the process listens to has ended.</summary>
    public ProcessScenario<TProcess> ThenCompleted() => ThenCompleted(LastKey());

    /// <summary>Asserts that instance <paramref name="key"/> has ended.</summary>
    /// <exception cref="ScenarioFailedException">The instance never started or is still running.</exception>
    public ProcessScenario<TProcess> ThenCompleted(string key)
    {
        var run = Execute();
        if (run.Instances.TryGetValue(key, out var instance) && instance.Ended) return this;
        throw new ScenarioFailedException($"{Intro()}\nExpected instance '{key}' to have ended, but it {StatusOf(run, key)}.\n{Trace(run)}");
    }

    /// <summary>Asserts that the instance of the last event under test the process listens to is still running.</summary>
    public ProcessScenario<TProcess> ThenRunning() => ThenRunning(LastKey());

    /// <summary>Asserts that instance <paramref name="key"/> is running.</summary>
    /// <exception cref="ScenarioFailedException">The instance never started or has ended.</exception>
    public ProcessScenario<TProcess> ThenRunning(string key)
    {
        RunningInstance(key, "it to be running");
        return this;
    }

    /// <summary>Asserts that every event under test was ignored (no handler ran).</summary>
    /// <exception cref="ScenarioFailedException">A handler ran for one of them.</exception>
    public ProcessScenario<TProcess> ThenIgnored()
    {
        var run = Execute();
        var handled = run.Steps.Skip(run.FirstUnderTest).Where(s => s.Handled).ToList();
        if (handled.Count == 0) return this;
        throw new ScenarioFailedException(
            $"{Intro()}\nExpected the events under test to be ignored, but {Process.Name} handled:{ScenarioText.List(handled.Select(s => s.Event))}\n{Trace(run)}");
    }

    private Instance RunningInstance(string key, string wanted)
    {
        var run = Execute();
        if (run.Instances.TryGetValue(key, out var instance) && !instance.Ended) return instance;
        throw new ScenarioFailedException($"{Intro()}\nExpected {wanted} for instance '{key}', but it {StatusOf(run, key)}.\n{Trace(run)}");
    }

    private string LastKey()
    {
        var run = Execute();
        for (var i = run.Steps.Count - 1; i >= run.FirstUnderTest; i--)
        {
            if (run.Steps[i].Key is { } key) return key;
        }
        throw new ScenarioFailedException($"{Intro()}\nNo event under test is one {Process.Name} listens to, so there is no instance to check; pass a key.\n{Trace(run)}");
    }

    private static string StatusOf(Run run, string key) =>
        !run.Instances.TryGetValue(key, out var instance) ? "never started"
        : instance.Ended ? "has ended"
        : $"is running with state {ScenarioText.Describe(instance.State)}";

    private string Intro() => $"{Process.Name}: given {_given.Length} event(s)" + (_when.Length > 0 ? $", when {_when.Length} event(s)" : "");

    private static string Trace(Run run)
    {
        var lines = run.Steps.Select((s, i) =>
            $"  [{i}] {(run.HasWhen && i >= run.FirstUnderTest ? "when " : "")}{s.Event.GetType().Name} ({s.Step}{(s.Key is null ? "" : $", '{s.Key}'")}): {s.Note}");
        return "Steps:\n" + string.Join("\n", lines);
    }

    private Run Execute() => _run ??= Execute(Process, _given, _when);

    private static Run Execute(TProcess process, IEvent[] given, IEvent[] when)
    {
        var instances = new Dictionary<string, Instance>(StringComparer.Ordinal);
        var steps = new List<ProcessStepRecord>(given.Length + when.Length);
        var underTest = new List<ICommand>();
        var all = new List<ICommand>();
        var events = given.Concat(when).ToArray();
        for (var i = 0; i < events.Length; i++)
        {
            var @event = events[i];
            var step = process.StepOf(@event);
            if (step == ProcessStep.None)
            {
                steps.Add(new(@event, step, null, false, "ignored: not listened to", []));
                continue;
            }
            var key = process.KeyOf(@event)
                ?? throw new ScenarioFailedException($"{process.Name} listens to {@event.GetType().Name} ({step}) but KeyOf gave no key for {ScenarioText.Describe(@event)}.");
            instances.TryGetValue(key, out var instance);
            var ignored = (step, instance) switch
            {
                (ProcessStep.Start, { Ended: true }) => "ignored: the instance has ended",
                (ProcessStep.Start, not null) => "ignored: the instance has already started",
                (_, null) when step != ProcessStep.Start => "ignored: the instance has not started",
                (_, { Ended: true }) => "ignored: the instance has ended",
                _ => null,
            };
            if (ignored is not null)
            {
                steps.Add(new(@event, step, key, false, ignored, []));
                continue;
            }

            ProcessOutcome outcome;
            try
            {
                outcome = process.Handle(@event, instance?.State);
            }
            catch (Exception ex)
            {
                throw new ScenarioFailedException(
                    $"{process.Name} threw handling event [{i}] {ScenarioText.Describe(@event)}: {ex.GetType().Name}: {ex.Message}", ex);
            }
            var undeclared = outcome.Commands.FirstOrDefault(c => !process.CommandTypes.Contains(c.GetType()));
            if (undeclared is not null)
                throw new ScenarioFailedException($"{process.Name} sent {undeclared.GetType().Name} for event [{i}], a command it does not declare with send.");

            var ends = outcome.IsComplete || step == ProcessStep.End;
            string note;
            if (ends)
            {
                instances[key] = new Instance(null, Ended: true);
                note = "handled: the instance ended";
            }
            else
            {
                if (outcome.State is null)
                    throw new ScenarioFailedException($"{process.Name} continued instance '{key}' on event [{i}] {@event.GetType().Name} without a state.");
                instances[key] = new Instance(RoundTrip(process, outcome.State, key), Ended: false);
                note = "handled: the instance is running";
            }
            if (outcome.Commands.Count > 0) note += $", sent {string.Join(", ", outcome.Commands.Select(c => c.GetType().Name))}";
            steps.Add(new(@event, step, key, true, note, outcome.Commands));
            all.AddRange(outcome.Commands);
            if (i >= given.Length) underTest.AddRange(outcome.Commands);
        }
        return new Run(steps, instances, when.Length == 0 ? all : underTest, when.Length == 0 ? 0 : given.Length, when.Length > 0);
    }

    /// <summary>The state as the next event sees it once stored: written and read back, and checked to be unchanged.</summary>
    private static object RoundTrip(TProcess process, object state, string key)
    {
        object read;
        try
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer, MessageLimits.WriterOptions))
                process.WriteState(writer, state);
            var reader = new Utf8JsonReader(buffer.WrittenSpan, MessageLimits.ReaderOptions);
            reader.Read();
            read = process.ReadState(ref reader);
        }
        catch (Exception ex)
        {
            throw new ScenarioFailedException($"The state of {process.Name} instance '{key}' cannot be stored: {ex.GetType().Name}: {ex.Message}\nState: {ScenarioText.Describe(state)}", ex);
        }
        if (!Equals(read, state))
            throw new ScenarioFailedException(
                $"The state of {process.Name} instance '{key}' changes when stored (WriteState then ReadState).\nBefore: {ScenarioText.Describe(state)}\nAfter:  {ScenarioText.Describe(read)}\n{ScenarioText.Difference(state, read)}");
        return read;
    }

    private sealed record Instance(object? State, bool Ended);

    private sealed record Run(List<ProcessStepRecord> Steps, Dictionary<string, Instance> Instances, List<ICommand> Commands, int FirstUnderTest, bool HasWhen);
}
