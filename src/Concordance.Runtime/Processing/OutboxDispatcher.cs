using System.Diagnostics;
using Concordance.Storage;
using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>
/// Sends the outbox's pending commands through the <see cref="ICommandBus"/> under their deterministic ids (with
/// their correlation and causation) and marks them dispatched. Dispatch is at-least-once (a crash between the send
/// and the mark sends again) and the effect exactly-once (the bus answers a known command id with its first outcome).
/// A rejected command is an outcome: it is logged and marked dispatched.
/// </summary>
/// <remarks>
/// Messages go in outbox order: a send that throws stops the round, so later commands do not overtake it, and the
/// round is retried with backoff. A store that cannot be reached holds everything back this way for as long as it
/// lasts. But a message whose send keeps throwing while the store answers (<see cref="ProcessingOptions.MaxAttempts"/>
/// times in a row: a command no aggregate can take, data that no longer reads, an aggregate that throws on it) would
/// hold back every process manager's commands for good; it is set aside instead: it stays pending, is retried on its
/// own with backoff (up to <see cref="ProcessingOptions.MaxRetryDelay"/>, an error logged each time), and the commands
/// after it go on. Conflicts that outlast the bus's retries are contention, not a bad message: they never set one aside.
/// One dispatcher per process runs the rounds (the hosted outbox worker); its calls do not overlap.
/// </remarks>
internal sealed class OutboxDispatcher : IDisposable
{
    private readonly ProcessingEnvironment _environment;
    private readonly ILogger _logger;

    /// <summary>Consecutive failed sends per message id, while the store answered.</summary>
    private readonly Dictionary<string, int> _failures = [];

    /// <summary>Messages set aside: their failed attempts and when the next one is due (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    private readonly Dictionary<string, (int Attempts, long DueAt)> _setAside = [];

    /// <summary>How many messages are set aside now; read by the telemetry gauge from another thread.</summary>
    private int _setAsideCount;

    /// <summary>A dispatcher for <paramref name="environment"/>'s outbox, reporting to the telemetry gauge until disposed.</summary>
    public OutboxDispatcher(ProcessingEnvironment environment)
    {
        _environment = environment;
        _logger = environment.LoggerFactory.CreateLogger<OutboxDispatcher>();
        ConcordanceTelemetry.Observe(this);
    }

    /// <summary>The ids of the messages set aside now (for tests and diagnostics).</summary>
    internal IReadOnlyCollection<string> SetAside => _setAside.Keys;

    /// <summary>How many messages are set aside now (<see cref="ConcordanceTelemetry.OutboxSetAside"/>).</summary>
    internal int SetAsideCount => Volatile.Read(ref _setAsideCount);

    /// <summary>Stops reporting to the telemetry gauge.</summary>
    public void Dispose() => ConcordanceTelemetry.Forget(this);

    /// <summary>Sends everything pending now; returns how many were dispatched, and whether a send failed and stopped the round.</summary>
    public async Task<(int Dispatched, bool Failed)> DispatchPendingAsync(CancellationToken cancellationToken = default)
    {
        var outbox = _environment.Store.Outbox;
        var batchSize = Math.Max(1, _environment.Processing.BatchSize);
        var total = 0;
        while (true)
        {
            // The messages set aside come back with every page: the page holds batchSize others besides them.
            var wanted = batchSize + _setAside.Count;
            var pending = await outbox.GetPendingAsync(wanted, cancellationToken).ConfigureAwait(false);
            if (pending.Count < wanted) ForgetGone(pending);
            if (pending.Count == 0) return (total, false);
            var dispatched = new List<string>(pending.Count);
            var failed = false;
            try
            {
                foreach (var message in pending)
                {
                    var asideBefore = _setAside.TryGetValue(message.Id, out var aside);
                    if (asideBefore && _environment.Time.GetTimestamp() < aside.DueAt) continue;
                    var error = await SendAsync(message, cancellationToken).ConfigureAwait(false);
                    if (error is null)
                    {
                        dispatched.Add(message.Id);
                        _failures.Remove(message.Id);
                        if (RemoveSetAside(message.Id))
                            _logger.LogInformation("Outbox: {CommandType} {CommandId} from {Component}, set aside after failing, went through on attempt {Attempt}.", message.Type, message.Id, message.Component, aside.Attempts + 1);
                        continue;
                    }
                    if (asideBefore)
                    {
                        PutAside(message, aside.Attempts + 1, error);
                        continue;
                    }
                    if (!await CountsAgainstMessageAsync(error, cancellationToken).ConfigureAwait(false))
                    {
                        _logger.LogError(error, "Outbox: sending {CommandType} {CommandId} from {Component} failed; it stays pending and is retried, and the commands after it wait.", message.Type, message.Id, message.Component);
                        failed = true;
                        break;
                    }
                    var failures = _failures[message.Id] = _failures.GetValueOrDefault(message.Id) + 1;
                    if (failures >= Math.Max(1, _environment.Processing.MaxAttempts))
                    {
                        _failures.Remove(message.Id);
                        PutAside(message, failures, error);
                        continue;
                    }
                    _logger.LogError(error, "Outbox: sending {CommandType} {CommandId} from {Component} failed (attempt {Attempt}); it stays pending and is retried, and the commands after it wait.", message.Type, message.Id, message.Component, failures);
                    failed = true;
                    break;
                }
            }
            finally
            {
                if (dispatched.Count > 0) await outbox.MarkDispatchedAsync(dispatched, CancellationToken.None).ConfigureAwait(false);
            }
            total += dispatched.Count;
            if (failed) return (total, true);
            if (pending.Count < wanted || dispatched.Count == 0) return (total, false);
        }
    }

    private void PutAside(OutboxMessage message, int attempts, Exception error)
    {
        var wait = _environment.Processing.BackoffAfter(attempts);
        _setAside[message.Id] = (attempts, _environment.Time.GetTimestamp() + (long)(wait.TotalSeconds * _environment.Time.TimestampFrequency));
        Volatile.Write(ref _setAsideCount, _setAside.Count);
        _logger.LogError(error, "Outbox: {CommandType} {CommandId} from {Component} failed {Attempts} times while the store answers; it is set aside and retried in {Wait}, and the commands after it go on.",
            message.Type, message.Id, message.Component, attempts, wait);
    }

    /// <summary>Whether a failed send is the message's fault: not a conflict, and the store answers.</summary>
    private async Task<bool> CountsAgainstMessageAsync(Exception error, CancellationToken cancellationToken)
    {
        if (error is ConcurrencyConflictException) return false;
        try
        {
            await _environment.Store.Events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private bool RemoveSetAside(string id)
    {
        if (!_setAside.Remove(id)) return false;
        Volatile.Write(ref _setAsideCount, _setAside.Count);
        return true;
    }

    /// <summary>Drops what is known of messages no longer pending (dispatched by another host meanwhile, say).</summary>
    private void ForgetGone(IReadOnlyList<OutboxMessage> pending)
    {
        if (_setAside.Count == 0 && _failures.Count == 0) return;
        var ids = pending.Select(m => m.Id).ToHashSet();
        foreach (var id in _setAside.Keys.Where(id => !ids.Contains(id)).ToList()) RemoveSetAside(id);
        foreach (var id in _failures.Keys.Where(id => !ids.Contains(id)).ToList()) _failures.Remove(id);
    }

    /// <summary>Sends one message; returns null when the bus answered (accepted or rejected), else the exception.</summary>
    private async Task<Exception?> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        // A child of the process manager's handling that enqueued it; the send's span is this one's child.
        using var activity = ConcordanceTelemetry.StartContinuing($"outbox {message.Type}", ActivityKind.Producer, message.TraceParent, message.TraceState);
        activity?.SetTag(ConcordanceTelemetry.ComponentTag, message.Component);
        activity?.SetTag("concordance.command.id", message.Id);
        try
        {
            var command = _environment.Serializer.Deserialize(message.Type, message.SchemaVersion, message.Data.Span) as ICommand
                ?? throw new InvalidOperationException($"Outbox message {message.Id} of type '{message.Type}' is not a command.");
            var metadata = new CommandMetadata { CommandId = message.Id, CorrelationId = message.CorrelationId, CausationId = message.CausationId };
            var result = await _environment.Bus.SendAsync(command, metadata, cancellationToken).ConfigureAwait(false);
            if (result.IsAccepted)
                _logger.LogDebug("Outbox: {Component} sent {CommandType} {CommandId}: accepted.", message.Component, message.Type, message.Id);
            else
                _logger.LogInformation("Outbox: {Component} sent {CommandType} {CommandId}: rejected: {Reason}", message.Component, message.Type, message.Id, result.RejectionReason);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return ex;
        }
    }

    /// <summary>Dispatches until cancelled: woken by commits that enqueue, polling otherwise, backing off after failures.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = _environment.OutboxSignal.Next;
            var (_, failed) = await DispatchPendingAsync(cancellationToken).ConfigureAwait(false);
            if (failed)
            {
                failures++;
                await Task.Delay(_environment.Processing.BackoffAfter(failures), _environment.Time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            failures = 0;
            await Task.WhenAny(next, Task.Delay(_environment.Processing.OutboxPollInterval, _environment.Time, cancellationToken)).ConfigureAwait(false);
        }
    }
}
