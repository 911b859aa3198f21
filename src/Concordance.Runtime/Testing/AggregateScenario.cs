namespace Concordance.Testing;

/// <summary>
/// Given/when/then for an aggregate, with no store: the given events are folded with
/// <see cref="IAggregate.Evolve"/>, the command is decided with <see cref="IAggregate.Decide"/>, and the
/// decision is compared with what the test expects. Generated messages and states have value equality, so
/// expected events are written as plain constructor calls.
/// </summary>
/// <example>
/// <code>
/// AggregateScenario.For(new BankAccount())
///     .Given(new AccountCreated("ABC123", 4000m, 100m, "CUSTBOB"))
///     .When(new WithdrawFunds("ABC123", 3950m, null, "CUSTBOB"))
///     .ThenRejected("below the minimum balance 100");
/// </code>
/// </example>
public static class AggregateScenario
{
    /// <summary>Starts a scenario for <paramref name="aggregate"/>, with no history.</summary>
    public static AggregateScenario<TAggregate> For<TAggregate>(TAggregate aggregate)
        where TAggregate : IAggregate =>
        new(aggregate ?? throw new ArgumentNullException(nameof(aggregate)), []);

    /// <summary>Starts a scenario for a new <typeparamref name="TAggregate"/>, with no history.</summary>
    public static AggregateScenario<TAggregate> For<TAggregate>()
        where TAggregate : IAggregate, new() =>
        new(new TAggregate(), []);
}

/// <summary>
/// An aggregate scenario before its command: the aggregate and the events already in its stream. Immutable:
/// <see cref="Given"/> returns a new scenario, so a common history can be shared by several tests.
/// </summary>
/// <typeparam name="TAggregate">The aggregate under test.</typeparam>
public sealed class AggregateScenario<TAggregate>
    where TAggregate : IAggregate
{
    private readonly IEvent[] _given;

    internal AggregateScenario(TAggregate aggregate, IEvent[] given)
    {
        Aggregate = aggregate;
        _given = given;
    }

    /// <summary>The aggregate under test.</summary>
    public TAggregate Aggregate { get; }

    /// <summary>The history so far, in order.</summary>
    public IReadOnlyList<IEvent> GivenEvents => _given;

    /// <summary>Adds <paramref name="events"/> to the stream's history (after any given before).</summary>
    public AggregateScenario<TAggregate> Given(params IEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new(Aggregate, [.. _given, .. events]);
    }

    /// <summary>The state the history folds to (null when there is no history).</summary>
    /// <exception cref="ScenarioFailedException">A given event could not be applied.</exception>
    public object? State => Fold(Aggregate, _given);

    /// <summary>Decides <paramref name="command"/> on the state the history folds to, and applies the events it emits.</summary>
    /// <exception cref="ScenarioFailedException">The aggregate does not handle the command, or a given event could not be applied.</exception>
    public AggregateOutcome<TAggregate> When(ICommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!Aggregate.CommandTypes.Contains(command.GetType()))
            throw new ScenarioFailedException(
                $"{Aggregate.Name} does not handle {command.GetType().Name}; it handles {string.Join(", ", Aggregate.CommandTypes.Select(t => t.Name))}.");
        var before = Fold(Aggregate, _given);
        Decision decision;
        try
        {
            decision = Aggregate.Decide(command, before);
        }
        catch (Exception ex)
        {
            return new AggregateOutcome<TAggregate>(this, command, default, before, before, ex, "deciding");
        }
        var after = before;
        if (!decision.IsRejected)
        {
            for (var i = 0; i < decision.Events.Count; i++)
            {
                try
                {
                    after = Aggregate.Evolve(decision.Events[i], after);
                }
                catch (Exception ex)
                {
                    return new AggregateOutcome<TAggregate>(this, command, decision, before, after, ex,
                        $"applying emitted event [{i}] {decision.Events[i].GetType().Name}");
                }
            }
        }
        return new AggregateOutcome<TAggregate>(this, command, decision, before, after, null, null);
    }

    /// <summary>Asserts that the history folds to <paramref name="expected"/> (value equality).</summary>
    /// <exception cref="ScenarioFailedException">The state differs.</exception>
    public AggregateScenario<TAggregate> ThenState<TState>(TState expected)
    {
        StateAssertions.Equal(expected, State, "after the given events");
        return this;
    }

    internal static object? Fold(TAggregate aggregate, IReadOnlyList<IEvent> events)
    {
        object? state = null;
        for (var i = 0; i < events.Count; i++)
        {
            try
            {
                state = aggregate.Evolve(events[i], state);
            }
            catch (Exception ex)
            {
                throw new ScenarioFailedException(
                    $"Given event [{i}] {ScenarioText.Describe(events[i])} could not be applied by {aggregate.Name}: {ex.GetType().Name}: {ex.Message}", ex);
            }
        }
        return state;
    }
}

/// <summary>
/// What an aggregate did with the scenario's command: the decision, and the state after its events. Each
/// <c>Then…</c> asserts one thing and returns this outcome, so assertions chain.
/// </summary>
/// <typeparam name="TAggregate">The aggregate under test.</typeparam>
public sealed class AggregateOutcome<TAggregate>
    where TAggregate : IAggregate
{
    private readonly Decision _decision;
    private readonly string? _failedWhile;

    internal AggregateOutcome(AggregateScenario<TAggregate> scenario, ICommand command, Decision decision, object? stateBefore, object? state, Exception? exception, string? failedWhile)
    {
        Scenario = scenario;
        Command = command;
        _decision = decision;
        StateBefore = stateBefore;
        State = state;
        Exception = exception;
        _failedWhile = failedWhile;
    }

    /// <summary>The scenario this outcome came from.</summary>
    public AggregateScenario<TAggregate> Scenario { get; }

    /// <summary>The command decided.</summary>
    public ICommand Command { get; }

    /// <summary>The state the command was decided on.</summary>
    public object? StateBefore { get; }

    /// <summary>The state after the emitted events (equal to <see cref="StateBefore"/> when rejected).</summary>
    public object? State { get; }

    /// <summary>The exception the aggregate threw while deciding or applying, or null.</summary>
    public Exception? Exception { get; }

    /// <summary>True when the command was rejected.</summary>
    public bool IsRejected => Exception is null && _decision.IsRejected;

    /// <summary>The rejection reason, or null when accepted.</summary>
    public string? RejectionReason => Exception is null ? _decision.RejectionReason : null;

    /// <summary>The events emitted, in order (empty when rejected or when the aggregate threw while deciding).</summary>
    public IReadOnlyList<IEvent> Events => _decision.Events;

    /// <summary>Asserts that the command was accepted and emitted exactly <paramref name="expected"/>, in order (value equality).</summary>
    /// <exception cref="ScenarioFailedException">The command was rejected, threw, or emitted other events.</exception>
    public AggregateOutcome<TAggregate> ThenEvents(params IEvent[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ThrowIfFailed($"events:{ScenarioText.List(expected)}");
        if (_decision.IsRejected)
            throw new ScenarioFailedException(
                $"{Intro()}\nExpected events:{ScenarioText.List(expected)}\nbut it was rejected: \"{_decision.RejectionReason}\"");
        if (ScenarioText.FirstDifference(expected, Events) is { } difference)
            throw new ScenarioFailedException(
                $"{Intro()}\nExpected events:{ScenarioText.List(expected)}\nActual events:{ScenarioText.List(Events)}\n{difference}");
        return this;
    }

    /// <summary>Asserts that the command was accepted and emitted no event.</summary>
    /// <exception cref="ScenarioFailedException">The command was rejected, threw, or emitted events.</exception>
    public AggregateOutcome<TAggregate> ThenNoEvents() => ThenEvents();

    /// <summary>Asserts that the command was rejected, with a reason containing <paramref name="reasonContains"/> (ordinal) when given.</summary>
    /// <exception cref="ScenarioFailedException">The command was accepted, threw, or was rejected for another reason.</exception>
    public AggregateOutcome<TAggregate> ThenRejected(string? reasonContains = null)
    {
        var wanted = reasonContains is null ? "a rejection" : $"a rejection with a reason containing \"{reasonContains}\"";
        ThrowIfFailed(wanted);
        if (!_decision.IsRejected)
            throw new ScenarioFailedException($"{Intro()}\nExpected {wanted}\nbut it was accepted with events:{ScenarioText.List(Events)}");
        if (reasonContains is not null && !_decision.RejectionReason!.Contains(reasonContains, StringComparison.Ordinal))
            throw new ScenarioFailedException($"{Intro()}\nExpected {wanted}\nbut the reason was: \"{_decision.RejectionReason}\"");
        return this;
    }

    /// <summary>Asserts that the state after the command's events equals <paramref name="expected"/> (value equality).</summary>
    /// <exception cref="ScenarioFailedException">The state differs, or the aggregate threw.</exception>
    public AggregateOutcome<TAggregate> ThenState<TState>(TState expected)
    {
        ThrowIfFailed($"the state {ScenarioText.Describe(expected)}");
        StateAssertions.Equal(expected, State, $"after {Command.GetType().Name}");
        return this;
    }

    /// <summary>Runs <paramref name="assert"/> (any test framework's assertions) on the state after the command's events.</summary>
    /// <exception cref="ScenarioFailedException">The state is missing or of another type, or the aggregate threw.</exception>
    public AggregateOutcome<TAggregate> ThenState<TState>(Action<TState> assert)
    {
        ArgumentNullException.ThrowIfNull(assert);
        ThrowIfFailed($"a {typeof(TState).Name} state");
        assert(StateAssertions.As<TState>(State, $"after {Command.GetType().Name}"));
        return this;
    }

    /// <summary>Asserts that the aggregate threw <typeparamref name="TException"/> (or a subtype) while deciding or applying, with a message containing <paramref name="messageContains"/> when given.</summary>
    /// <exception cref="ScenarioFailedException">Nothing was thrown, or something else was.</exception>
    public AggregateOutcome<TAggregate> ThenThrows<TException>(string? messageContains = null)
        where TException : Exception
    {
        if (Exception is TException ex && (messageContains is null || ex.Message.Contains(messageContains, StringComparison.Ordinal)))
            return this;
        var wanted = $"a {typeof(TException).Name}" + (messageContains is null ? "" : $" with a message containing \"{messageContains}\"");
        var actual = Exception is not null
            ? $"{_failedWhile} threw {Exception.GetType().Name}: {Exception.Message}"
            : _decision.IsRejected ? $"it was rejected: \"{_decision.RejectionReason}\"" : $"it was accepted with events:{ScenarioText.List(Events)}";
        throw new ScenarioFailedException($"{Intro()}\nExpected {wanted}\nbut {actual}", Exception);
    }

    private void ThrowIfFailed(string wanted)
    {
        if (Exception is not null)
            throw new ScenarioFailedException(
                $"{Intro()}\nExpected {wanted}\nbut {Scenario.Aggregate.Name} threw while {_failedWhile}: {Exception.GetType().Name}: {Exception.Message}", Exception);
    }

    private string Intro() =>
        $"{Scenario.Aggregate.Name}: given {Scenario.GivenEvents.Count} event(s), when {ScenarioText.Describe(Command)}";
}

/// <summary>State comparisons shared by the scenarios.</summary>
internal static class StateAssertions
{
    public static void Equal<TState>(TState expected, object? actual, string when)
    {
        if (Equals(expected, actual)) return;
        throw new ScenarioFailedException(
            $"The state {when} differs.\nExpected: {ScenarioText.Describe(expected)}\nActual:   {ScenarioText.Describe(actual)}\n{ScenarioText.Difference(expected, actual)}");
    }

    public static TState As<TState>(object? actual, string when) => actual is TState typed
        ? typed
        : throw new ScenarioFailedException($"Expected a {typeof(TState).Name} state {when}, but the state is {ScenarioText.Describe(actual)}.");
}
