using System.Buffers;
using System.Text.Json;
using Concordance.Storage;
using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>
/// Runs a process manager. Each instance (by the process key) is a document <c>{"ended":…,"state":…}</c> in the
/// collection <c>process:{Name}</c>: a start event creates it, advance and end events need it running, and an ended
/// instance keeps its marker so late events stay ignored. The commands an event yields go to the outbox with ids
/// derived from the process, the event id and the index, in the same commit as the instance and the checkpoint, so
/// a re-run enqueues the same ids (kept once) and the bus's command-id check applies each at most once.
/// </summary>
internal sealed class ProcessManagerRunner(IProcessManager process, ProcessingEnvironment environment)
    : ComponentRunner("process", process.Name, process.EventTypes, environment)
{
    public IProcessManager Process { get; } = process;

    /// <summary>The document collection holding instance state.</summary>
    public string Collection => Component;

    /// <summary>The outbox id of the <paramref name="index"/>th command process <paramref name="processName"/> sent for event <paramref name="eventId"/>.</summary>
    public static string OutboxId(string processName, string eventId, int index) =>
        DeterministicId.Create("outbox", processName, eventId, index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    protected override async ValueTask HandleAsync(StoredEvent stored, IEvent @event, ComponentUnitOfWork unit, CancellationToken cancellationToken)
    {
        var step = Process.StepOf(@event);
        var key = Process.KeyOf(@event);
        if (step == ProcessStep.None || key is null)
        {
            Logger.LogDebug("{Component}: {EventType} {EventId} has no role or key for this process; ignored.", Component, stored.Type, stored.Id);
            return;
        }

        (bool Ended, object? State)? instance = await unit.GetAsync(Collection, key, cancellationToken).ConfigureAwait(false) is { } data ? Read(data.Span) : null;
        object? state;
        switch (step)
        {
            case ProcessStep.Start when instance is null:
                state = null;
                break;
            case ProcessStep.Start:
                Logger.LogInformation("{Component}: start event {EventType} {EventId} for instance {Key}, which is already {Status}; ignored.",
                    Component, stored.Type, stored.Id, key, instance.Value.Ended ? "ended" : "running");
                return;
            case ProcessStep.Advance or ProcessStep.End when instance is { Ended: false }:
                state = instance.Value.State;
                break;
            case ProcessStep.Advance or ProcessStep.End when instance is null:
                Logger.LogInformation("{Component}: {EventType} {EventId} for instance {Key}, which never started; ignored.", Component, stored.Type, stored.Id, key);
                return;
            default:
                Logger.LogDebug("{Component}: {EventType} {EventId} for instance {Key}, which has ended; ignored.", Component, stored.Type, stored.Id, key);
                return;
        }

        var outcome = Process.Handle(@event, state);
        var ended = outcome.IsComplete || step == ProcessStep.End;
        unit.Put(Collection, key, Write(ended, ended ? null : outcome.State));

        var commands = outcome.Commands;
        // The handling's span: sending the commands continues its trace.
        var (traceParent, traceState) = ConcordanceTelemetry.CurrentTraceContext();
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            if (!Process.CommandTypes.Contains(command.GetType()))
                throw new InvalidOperationException($"{Process.Name} sent {command.GetType()}, which it does not declare with 'send'.");
            var (type, json) = Environment.Serializer.Serialize(command);
            unit.Outbox.Add(new OutboxMessage(OutboxId(Process.Name, stored.Id, i), Component, type.Name, type.Version, json,
                stored.CorrelationId ?? stored.Id, stored.Id, Environment.Time.GetUtcNow())
            {
                TraceParent = traceParent,
                TraceState = traceState,
            });
        }
        if (ended) Logger.LogDebug("{Component}: instance {Key} ended at {EventType} {EventId}.", Component, key, stored.Type, stored.Id);
    }

    private (bool Ended, object? State) Read(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data, MessageLimits.ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"{Component}: an instance document is not a JSON object.");
        var ended = false;
        object? state = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ended"u8))
            {
                reader.Read();
                ended = reader.GetBoolean();
            }
            else if (reader.ValueTextEquals("state"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null) state = Process.ReadState(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return (ended, state);
    }

    private byte[] Write(bool ended, object? state)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, MessageLimits.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("ended", ended);
            writer.WritePropertyName("state");
            if (state is null) writer.WriteNullValue();
            else Process.WriteState(writer, state);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
