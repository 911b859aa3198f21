namespace Concordance;

/// <summary>The outcome of <c>ICommandBus.SendAsync</c>: accepted with its events and the stream's new version, or rejected with the handler's reason.</summary>
public sealed class CommandResult
{
    private CommandResult(bool isAccepted, IReadOnlyList<IEvent> events, long version, string? rejectionReason)
    {
        IsAccepted = isAccepted;
        Events = events;
        Version = version;
        RejectionReason = rejectionReason;
    }

    /// <summary>An accepted command: <paramref name="events"/> were appended and the stream is now at <paramref name="version"/>.</summary>
    public static CommandResult Accepted(IReadOnlyList<IEvent> events, long version) => new(true, events, version, null);

    /// <summary>A rejected command; nothing was appended.</summary>
    public static CommandResult Rejected(string reason, long version) => new(false, [], version, reason);

    /// <summary>True when the command was accepted.</summary>
    public bool IsAccepted { get; }

    /// <summary>The events appended for the command; empty when rejected.</summary>
    public IReadOnlyList<IEvent> Events { get; }

    /// <summary>The stream's version after the command (unchanged when rejected).</summary>
    public long Version { get; }

    /// <summary>The handler's reason when rejected; null when accepted.</summary>
    public string? RejectionReason { get; }

    /// <inheritdoc />
    public override string ToString() => IsAccepted ? $"Accepted: {Events.Count} event(s), version {Version}" : $"Rejected: {RejectionReason}";
}
