namespace Concordance;

/// <summary>
/// What a process manager decided about one event, untyped: its new state (or completion) and the
/// commands to send. Generated <c>{Process}Outcome</c> types convert to it.
/// </summary>
public readonly struct ProcessOutcome
{
    private readonly ICommand[]? _commands;

    private ProcessOutcome(object? state, bool isComplete, ICommand[]? commands)
    {
        State = state;
        IsComplete = isComplete;
        _commands = commands;
    }

    /// <summary>The instance goes on with <paramref name="state"/> and sends <paramref name="commands"/>.</summary>
    public static ProcessOutcome Continue(object state, params ICommand[] commands) => new(state, false, commands);

    /// <summary>The instance ends after sending <paramref name="commands"/>.</summary>
    public static ProcessOutcome Complete(params ICommand[] commands) => new(null, true, commands);

    /// <summary>The state to keep; null when the instance completed.</summary>
    public object? State { get; }

    /// <summary>True when the instance has ended.</summary>
    public bool IsComplete { get; }

    /// <summary>The commands to send, in order.</summary>
    public IReadOnlyList<ICommand> Commands => _commands ?? [];
}

/// <summary>The role an event plays for a process manager.</summary>
public enum ProcessStep
{
    /// <summary>The process does not listen to the event.</summary>
    None,
    /// <summary>The event starts an instance (<c>start on</c>).</summary>
    Start,
    /// <summary>The event advances a running instance (<c>on</c>).</summary>
    Advance,
    /// <summary>The event ends a running instance (<c>end on</c>).</summary>
    End,
}
