using System.Globalization;
using Concordance.Storage;
using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>
/// Runs a gateway with at-least-once delivery: each event is dispatched, retried with exponential backoff on failure,
/// and the checkpoint moves past it only after it succeeded (or was dead-lettered), one commit per event. A crash
/// between the side effect and the commit delivers the event again, so what the gateway records is idempotent:
/// emitted events and sent commands carry ids derived from the triggering event (see <see cref="RuntimeGatewayContext"/>).
/// </summary>
internal sealed class GatewayRunner(IGateway gateway, ProcessingEnvironment environment)
    : ComponentRunner("gateway", gateway.Name, gateway.EventTypes, environment)
{
    public IGateway Gateway { get; } = gateway;

    // A gateway retry touches no documents, and the worker may be sleeping in a backoff: do not wait for it.
    protected override bool RetryTakesGate => false;

    // A gateway's effects are outside the store: each event commits on its own, so a redelivery repeats at most one.
    protected override Task HandleBatchAsync(IReadOnlyList<StoredEvent> batch, CancellationToken cancellationToken) =>
        HandleEachAloneAsync(batch, cancellationToken);

    protected override async ValueTask HandleAsync(StoredEvent stored, IEvent @event, ComponentUnitOfWork unit, CancellationToken cancellationToken) =>
        await Gateway.DispatchAsync(@event, new RuntimeGatewayContext(this, stored), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The gateway's context for one attempt on one event. <see cref="EmitAsync"/> appends to the stream
    /// <c>{gateway name}/{triggering event's subject}</c> with the id <c>hash(gateway, event id, "emit", index)</c>, recorded as
    /// the append's command id, so a retried or redelivered handler emitting again records nothing twice (the first
    /// emitted event at an index wins). <see cref="SendAsync"/> sends with the command id
    /// <c>hash(gateway, event id, "send", index, command type, command JSON)</c>: re-sending the same command after a retry
    /// applies it once, and a different command is never mistaken for it. Both refuse a message the gateway does not
    /// declare (<c>emit</c>, <c>send</c>): generated gateways cannot compile such a call, hand-written ones fail here.
    /// </summary>
    internal sealed class RuntimeGatewayContext(GatewayRunner runner, StoredEvent trigger) : GatewayContext
    {
        private int _sent;
        private int _emitted;

        public override Task<CommandResult> SendAsync(ICommand command, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(command);
            if (!runner.Gateway.CommandTypes.Contains(command.GetType()))
                throw new InvalidOperationException($"{runner.Gateway.Name} cannot send {command.GetType()}: it is not among the commands the gateway declares with 'send'.");
            var index = Interlocked.Increment(ref _sent) - 1;
            var (type, data) = runner.Environment.Serializer.Serialize(command);
            var id = DeterministicId.Create(data, "send", runner.Name, trigger.Id, index.ToString(CultureInfo.InvariantCulture), type.Name);
            return runner.Environment.Bus.SendAsync(command,
                new CommandMetadata { CommandId = id, CorrelationId = trigger.CorrelationId ?? trigger.Id, CausationId = trigger.Id }, cancellationToken);
        }

        public override async Task EmitAsync(IEvent @event, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(@event);
            if (!runner.Gateway.EmittedEventTypes.Contains(@event.GetType()))
                throw new InvalidOperationException($"{runner.Gateway.Name} cannot emit {@event.GetType()}: it is not among the events the gateway declares with 'emit'.");
            var index = Interlocked.Increment(ref _emitted) - 1;
            var id = EmitId(runner.Name, trigger.Id, index);
            var (type, data) = runner.Environment.Serializer.Serialize(@event);
            var stream = new StreamId(runner.Name, trigger.Subject);
            var request = new AppendRequest(stream, ExpectedVersion.Any,
                [new NewEvent(id, type.Name, type.Version, data, runner.Environment.Time.GetUtcNow(), runner.Environment.Options.Source, trigger.CorrelationId ?? trigger.Id, trigger.Id)])
            { CommandId = id };
            var result = (await runner.Environment.Store.Events.AppendAsync([request], cancellationToken).ConfigureAwait(false))[0];
            if (result.Status == AppendStatus.Appended)
                ConcordanceTelemetry.RecordAppended(stream.Category, result.Events.Count);
            else
                runner.Logger.LogDebug("{Component}: {EventType} {EventId} was already recorded; not recorded again.", runner.Component, type.Name, id);
        }
    }

    /// <summary>The id of the <paramref name="index"/>th event gateway <paramref name="gatewayName"/> emitted while handling event <paramref name="eventId"/>.</summary>
    public static string EmitId(string gatewayName, string eventId, int index) =>
        DeterministicId.Create("emit", gatewayName, eventId, index.ToString(CultureInfo.InvariantCulture));
}
