namespace Concordance;

/// <summary>
/// A projector's only door to storage. Reads see the projector's own earlier writes; every write
/// commits atomically with the projector's checkpoint, so an event's effect lands exactly once.
/// </summary>
public abstract class ProjectionContext
{
    /// <summary>Reads the read model stored under <paramref name="key"/>, or null.</summary>
    public abstract ValueTask<T?> GetAsync<T>(string key) where T : class;

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> when the event's processing commits.</summary>
    public abstract void Set<T>(string key, T value) where T : class;

    /// <summary>Removes the read model under <paramref name="key"/> when the event's processing commits.</summary>
    public abstract void Delete(string key);
}

/// <summary>
/// A gateway's door back into the application: send commands, record external events. This is the runtime's untyped
/// side: a generated gateway's handlers receive the typed <c>{Name}GatewayContext</c> that wraps it and accepts only the
/// gateway's declared <c>send</c> commands and <c>emit</c> events. Subclass it in a unit test to observe what a gateway
/// sends and emits.
/// </summary>
public abstract class GatewayContext
{
    /// <summary>Sends <paramref name="command"/>, one of the gateway's declared <c>send</c> commands, through the command bus.</summary>
    public abstract Task<CommandResult> SendAsync(ICommand command, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records <paramref name="event"/>, one of the gateway's declared <c>emit</c> events, in the log.
    /// Recording the same event id twice records it once.
    /// </summary>
    public abstract Task EmitAsync(IEvent @event, CancellationToken cancellationToken = default);
}
