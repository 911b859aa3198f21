using System.Text.Json;

namespace Concordance;

/// <summary>
/// The runtime's view of an aggregate: decide and evolve over untyped messages. Generated
/// <c>{Name}AggregateBase</c> classes implement it with type switches; users derive from those.
/// </summary>
public interface IAggregate
{
    /// <summary>The aggregate's schema name, e.g. <c>Bank.BankAccount</c>.</summary>
    string Name { get; }

    /// <summary>The commands this aggregate handles.</summary>
    IReadOnlyList<Type> CommandTypes { get; }

    /// <summary>The events this aggregate emits.</summary>
    IReadOnlyList<Type> EventTypes { get; }

    /// <summary>The generated <c>{Name}State</c> record type.</summary>
    Type StateType { get; }

    /// <summary>Writes a state instance as JSON (for snapshots), without reflection.</summary>
    void WriteState(Utf8JsonWriter writer, object state);

    /// <summary>Reads a state instance written by <see cref="WriteState"/>.</summary>
    object ReadState(ref Utf8JsonReader reader);

    /// <summary>The stream key of <paramref name="command"/> (its <c>key</c> field as text), or null if not handled here.</summary>
    string? KeyOf(ICommand command);

    /// <summary>Decides about <paramref name="command"/> given the current state (null = no state yet).</summary>
    /// <exception cref="ArgumentException">The command is not handled by this aggregate.</exception>
    Decision Decide(ICommand command, object? state);

    /// <summary>Applies <paramref name="event"/> to the state (null = no state) and returns the new state.</summary>
    /// <exception cref="ArgumentException">The event is not emitted by this aggregate.</exception>
    object? Evolve(IEvent @event, object? state);
}

/// <summary>The runtime's view of a projector. Generated <c>{Name}ProjectorBase</c> classes implement it.</summary>
public interface IProjector
{
    /// <summary>The projector's schema name, e.g. <c>Bank.AccountLedger</c>.</summary>
    string Name { get; }

    /// <summary>The events this projector subscribes to.</summary>
    IReadOnlyList<Type> EventTypes { get; }

    /// <summary>Projects <paramref name="event"/> through <paramref name="context"/>; events it does not subscribe to are ignored.</summary>
    ValueTask ProjectAsync(IEvent @event, ProjectionContext context);

    /// <summary>
    /// The projector's schema version (<c>projector AccountLedger v2 { … }</c>; 1 when none is declared). A host that
    /// starts a version its store's read models were not built with builds the new version in the background while
    /// readers keep the previous one, then switches (see <see cref="IProjectionRebuilder"/>).
    /// </summary>
    int Version => 1;
}

/// <summary>The runtime's view of a process manager. Generated <c>{Name}ProcessManagerBase</c> classes implement it.</summary>
public interface IProcessManager
{
    /// <summary>The process's schema name, e.g. <c>Bank.InterbankTransfer</c>.</summary>
    string Name { get; }

    /// <summary>The events this process listens to (start, advance and end).</summary>
    IReadOnlyList<Type> EventTypes { get; }

    /// <summary>The commands this process may send.</summary>
    IReadOnlyList<Type> CommandTypes { get; }

    /// <summary>The generated <c>{Name}State</c> record type.</summary>
    Type StateType { get; }

    /// <summary>Writes a state instance as JSON (for snapshots), without reflection.</summary>
    void WriteState(Utf8JsonWriter writer, object state);

    /// <summary>Reads a state instance written by <see cref="WriteState"/>.</summary>
    object ReadState(ref Utf8JsonReader reader);

    /// <summary>The role of <paramref name="event"/> for this process.</summary>
    ProcessStep StepOf(IEvent @event);

    /// <summary>The instance key (the process <c>key</c> field as text) carried by <paramref name="event"/>, or null if not listened to.</summary>
    string? KeyOf(IEvent @event);

    /// <summary>Handles <paramref name="event"/> given the instance state (null on the start event).</summary>
    ProcessOutcome Handle(IEvent @event, object? state);
}

/// <summary>The runtime's view of a gateway. Generated <c>{Name}GatewayBase</c> classes implement it.</summary>
public interface IGateway
{
    /// <summary>The gateway's schema name, e.g. <c>Bank.WireNetwork</c>.</summary>
    string Name { get; }

    /// <summary>The events this gateway reacts to.</summary>
    IReadOnlyList<Type> EventTypes { get; }

    /// <summary>The external events this gateway may record through <see cref="GatewayContext.EmitAsync"/> (its <c>emit</c> list).</summary>
    IReadOnlyList<Type> EmittedEventTypes { get; }

    /// <summary>The commands this gateway may send through <see cref="GatewayContext.SendAsync"/> (its <c>send</c> list).</summary>
    IReadOnlyList<Type> CommandTypes { get; }

    /// <summary>
    /// Reacts to <paramref name="event"/>; may do I/O. Generated gateways wrap <paramref name="context"/> in their typed
    /// <c>{Name}GatewayContext</c>, which sends and emits only the declared messages.
    /// </summary>
    Task DispatchAsync(IEvent @event, GatewayContext context, CancellationToken cancellationToken);
}
