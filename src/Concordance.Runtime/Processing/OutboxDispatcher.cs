using Concordance.Storage;
using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>
/// Sends the outbox's pending commands through the <see cref="ICommandBus"/> under their deterministic ids (with
/// their correlation and causation) and marks them dispatched. Dispatch is at-least-once (a crash between the send
/// and the mark sends again) and the effect exactly-once (the bus answers a known command id with its first outcome).
/// Messages go in outbox order; a send that throws stops the round so later commands do not overtake it, and the
/// round is retried with backoff. A rejected command is an outcome: it is logged and marked dispatched.
/// </summary>
internal sealed class OutboxDispatcher(ProcessingEnvironment environment)
{
    private readonly ILogger _logger = environment.LoggerFactory.CreateLogger<OutboxDispatcher>();

    /// <summary>Sends everything pending now; returns how many were dispatched, and whether a send failed.</summary>
    public async Task<(int Dispatched, bool Failed)> DispatchPendingAsync(CancellationToken cancellationToken = default)
    {
        var outbox = environment.Store.Outbox;
        var batchSize = Math.Max(1, environment.Processing.BatchSize);
        var total = 0;
        while (true)
        {
            var pending = await outbox.GetPendingAsync(batchSize, cancellationToken).ConfigureAwait(false);
            if (pending.Count == 0) return (total, false);
            var dispatched = new List<string>(pending.Count);
            var failed = false;
            try
            {
                foreach (var message in pending)
                {
                    if (!await SendAsync(message, cancellationToken).ConfigureAwait(false))
                    {
                        failed = true;
                        break;
                    }
                    dispatched.Add(message.Id);
                }
            }
            finally
            {
                if (dispatched.Count > 0) await outbox.MarkDispatchedAsync(dispatched, CancellationToken.None).ConfigureAwait(false);
            }
            total += dispatched.Count;
            if (failed) return (total, true);
            if (pending.Count < batchSize) return (total, false);
        }
    }

    private async Task<bool> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var command = environment.Serializer.Deserialize(message.Type, message.SchemaVersion, message.Data.Span) as ICommand
                ?? throw new InvalidOperationException($"Outbox message {message.Id} of type '{message.Type}' is not a command.");
            var metadata = new CommandMetadata { CommandId = message.Id, CorrelationId = message.CorrelationId, CausationId = message.CausationId };
            var result = await environment.Bus.SendAsync(command, metadata, cancellationToken).ConfigureAwait(false);
            if (result.IsAccepted)
                _logger.LogDebug("Outbox: {Component} sent {CommandType} {CommandId}: accepted.", message.Component, message.Type, message.Id);
            else
                _logger.LogInformation("Outbox: {Component} sent {CommandType} {CommandId}: rejected: {Reason}", message.Component, message.Type, message.Id, result.RejectionReason);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Outbox: sending {CommandType} {CommandId} from {Component} failed; it stays pending and is retried.", message.Type, message.Id, message.Component);
            return false;
        }
    }

    /// <summary>Dispatches until cancelled: woken by commits that enqueue, polling otherwise, backing off after failures.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = environment.OutboxSignal.Next;
            var (_, failed) = await DispatchPendingAsync(cancellationToken).ConfigureAwait(false);
            if (failed)
            {
                failures++;
                await Task.Delay(environment.Processing.BackoffAfter(failures), environment.Time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            failures = 0;
            await Task.WhenAny(next, Task.Delay(environment.Processing.OutboxPollInterval, environment.Time, cancellationToken)).ConfigureAwait(false);
        }
    }
}
