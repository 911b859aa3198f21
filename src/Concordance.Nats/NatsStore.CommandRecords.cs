using System.Collections.Concurrent;
using System.Text.Json;
using Concordance.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concordance.Nats;

// Command idempotency on NATS has two layers. Within the events stream's duplicate window the server itself refuses
// a second message with the same Nats-Msg-Id ("c:{command id}") and DuplicateAsync answers from the stored one.
// Beyond the window the answer is the command record, a create-only entry in the commands bucket. The record is
// published once the event's ack is in, without the caller waiting for its own ack: a command costs one round trip.
// Until its ack arrives the record is kept here, so this process answers from it (FindCommandAsync), a failed write
// is retried, and DisposeAsync waits for what is still on its way.
public sealed partial class NatsStore
{
    /// <summary>How long <see cref="DisposeAsync"/> waits for command records still on their way before giving them up.</summary>
    private static readonly TimeSpan RecordFlushTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FirstRecordRetryDelay = TimeSpan.FromMilliseconds(50), MaxRecordRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>Command records published but not acknowledged yet, by command id.</summary>
    private readonly ConcurrentDictionary<string, RecordInFlight> _recordsInFlight = new(StringComparer.Ordinal);

    /// <summary>Cancelled when the store gives up on the records still in flight (disposal after the flush timeout).</summary>
    private readonly CancellationTokenSource _recording = new();

    private ILogger? _logger;

    private ILogger Logger => _logger ??= _options.LoggerFactory?.CreateLogger<NatsStore>() ?? (ILogger)NullLogger.Instance;

    /// <summary>Command records this process has published and the server has not acknowledged yet (for tests).</summary>
    internal int CommandRecordsInFlight => _recordsInFlight.Count;

    /// <summary>Completes when every command record in flight now has landed or been given up (for tests).</summary>
    internal Task CommandRecordsWrittenAsync() => Task.WhenAll(_recordsInFlight.Values.Select(r => r.Done.Task));

    /// <summary>How many times this store looked a command id up in the commands bucket (for tests).</summary>
    internal int CommandLookups => Volatile.Read(ref _commandLookups);

    private int _commandLookups;

    /// <summary>
    /// Writes <paramref name="record"/> for a command whose message the server has acknowledged, without making the
    /// caller wait: retried with backoff until it lands or the store is disposed. A write already in flight for the
    /// same id is left alone (create-only: the first outcome stays the outcome).
    /// </summary>
    private void RecordAfterAck(CommandRecord record)
    {
        var inFlight = new RecordInFlight(record);
        if (!_recordsInFlight.TryAdd(record.CommandId, inFlight)) return;
        _ = KeepRecordingAsync(inFlight);
    }

    private async Task KeepRecordingAsync(RecordInFlight inFlight)
    {
        var record = inFlight.Record;
        var delay = FirstRecordRetryDelay;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await RecordCommandAsync(record, _recording.Token).ConfigureAwait(false);
                    break;
                }
                catch (Exception ex) when (!_recording.IsCancellationRequested)
                {
                    Logger.LogWarning(ex, "The record of command {CommandId} on {Stream} was not written (attempt {Attempt}); retrying in {Delay}.",
                        record.CommandId, record.Stream, attempt, delay);
                    await Task.Delay(delay, _recording.Token).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRecordRetryDelay.Ticks));
                }
            }
            // Only now: until the bucket holds the record, FindCommandAsync must answer from this entry.
            _recordsInFlight.TryRemove(KeyValuePair.Create(record.CommandId, inFlight));
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "The record of command {CommandId} on {Stream} was given up at shutdown: beyond the duplicate window a retry of this id would apply again.",
                record.CommandId, record.Stream);
        }
        finally
        {
            inFlight.Done.TrySetResult();
        }
    }

    /// <summary>Waits for the command records still in flight (at most <see cref="RecordFlushTimeout"/>), then stops retrying.</summary>
    private async ValueTask FlushCommandRecordsAsync()
    {
        var pending = CommandRecordsWrittenAsync();
        if (await Task.WhenAny(pending, Task.Delay(RecordFlushTimeout)).ConfigureAwait(false) != pending)
            Logger.LogError("{Count} command records were still unwritten after {Timeout}; giving them up.", _recordsInFlight.Count, RecordFlushTimeout);
        await _recording.CancelAsync().ConfigureAwait(false);
        await pending.ConfigureAwait(false);
        _recording.Dispose();
    }

    private async ValueTask RecordCommandAsync(CommandRecord record, CancellationToken cancellationToken)
    {
        // Create-only: the first outcome stays the outcome.
        var body = JsonSerializer.SerializeToUtf8Bytes(record, NatsJson.Default.CommandRecord);
        var key = SubjectToken.Encode(record.CommandId);
        // A lost race is fine (the first outcome stays); an unanswered write is not: it must be retried.
        Landed(await _commands.TryCreateAsync(key, body, Raw, cancellationToken).ConfigureAwait(false), key);
    }

    /// <inheritdoc />
    /// <remarks>Answers first from the records this process has published and not yet seen acknowledged.</remarks>
    public async ValueTask<CommandRecord?> FindCommandAsync(string commandId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commandId);
        if (_recordsInFlight.TryGetValue(commandId, out var inFlight)) return inFlight.Record;
        Interlocked.Increment(ref _commandLookups);
        var entry = await EntryOrNullAsync(_commands, SubjectToken.Encode(commandId), cancellationToken).ConfigureAwait(false);
        return entry is { } found ? JsonSerializer.Deserialize(found.Value, NatsJson.Default.CommandRecord) : null;
    }

    private sealed class RecordInFlight(CommandRecord record)
    {
        public CommandRecord Record { get; } = record;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
