namespace Concordance;

/// <summary>The handler's refusal of a command, with a reason for the sender. Made with <c>Reject("…")</c>.</summary>
/// <param name="Reason">Why the command was rejected, in words a user can act on.</param>
public readonly record struct Rejection(string Reason);

/// <summary>
/// What an aggregate decided about one command, untyped: the events to append, or a rejection.
/// Generated <c>{Command}Decision</c> types convert to it; they are what handlers return.
/// </summary>
public readonly struct Decision
{
    private readonly IEvent[]? _events;

    private Decision(IEvent[]? events, string? rejectionReason)
    {
        _events = events;
        RejectionReason = rejectionReason;
    }

    /// <summary>A decision to append <paramref name="events"/> (possibly none).</summary>
    public static Decision Accept(params IEvent[] events) => new(events, null);

    /// <summary>A decision to refuse the command.</summary>
    public static Decision Reject(string reason) => new(null, reason ?? string.Empty);

    /// <summary>True when the command was refused.</summary>
    public bool IsRejected => RejectionReason is not null;

    /// <summary>The reason given with a rejection; null when accepted.</summary>
    public string? RejectionReason { get; }

    /// <summary>The events to append, in order; empty when rejected.</summary>
    public IReadOnlyList<IEvent> Events => _events ?? [];
}
