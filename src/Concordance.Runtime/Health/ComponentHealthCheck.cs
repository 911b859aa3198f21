using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Concordance;

/// <summary>
/// One projector's, process manager's or gateway's health: its worker runs (here, or on the host holding its lease),
/// its lag shrinks, and it has no dead letters. The lag is read from the store (head position against the checkpoint,
/// zero when none of the events after the checkpoint is the component's), so it is the component's wherever it runs.
/// </summary>
internal sealed class ComponentHealthCheck(ComponentRunner runner, ProcessingEnvironment environment, ConcordanceWorkers workers, LagWatch lag, ConcordanceHealthCheckOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var worker = workers.Find(runner.Component) ?? new WorkerStatus(runner.Component, WorkerState.NotStarted, default, null);
        var data = new Dictionary<string, object> { ["worker"] = worker.State.ToString() };
        if (worker.LastError is { } error) data["lastError"] = error;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        long behind;
        int deadLetters;
        try
        {
            var store = environment.Store;
            var head = await store.Events.GetHeadPositionAsync(timeout.Token).ConfigureAwait(false);
            var checkpoint = await store.Components.GetCheckpointAsync(runner.Component, timeout.Token).ConfigureAwait(false);
            behind = await runner.HasProcessedAsync(head, timeout.Token).ConfigureAwait(false) ? 0 : head - checkpoint;
            deadLetters = (await store.DeadLetters.ListAsync(runner.Component, timeout.Token).ConfigureAwait(false)).Count;
            data["checkpoint"] = checkpoint;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{runner.Component}: the store cannot be read: {ex.Message}", ex, data);
        }
        var stalledFor = lag.Observe(behind, environment.Time.GetTimestamp(), environment.Time.TimestampFrequency);
        data["lag"] = behind;
        data["deadLetters"] = deadLetters;

        switch (worker.State)
        {
            case WorkerState.NotStarted or WorkerState.Stopped:
                return new HealthCheckResult(context.Registration.FailureStatus, $"{runner.Component} is not running on this host ({worker.State}).", data: data);
            case WorkerState.Restarting:
                return new HealthCheckResult(context.Registration.FailureStatus, $"{runner.Component} failed and is restarting: {worker.LastError}", data: data);
        }
        var where = worker.State == WorkerState.Running ? "runs on this host" : "runs on the host holding its lease";
        if (stalledFor >= options.StallTime)
            return HealthCheckResult.Degraded($"{runner.Component} is stalled: {behind} position(s) behind the log's head, and its lag has not shrunk for {stalledFor:g}.", data: data);
        if (deadLetters > 0)
            return HealthCheckResult.Degraded($"{runner.Component} {where} but has {deadLetters} dead letter(s).", data: data);
        return HealthCheckResult.Healthy(behind == 0 ? $"{runner.Component} {where} and is caught up." : $"{runner.Component} {where}, {behind} position(s) behind.", data);
    }
}

/// <summary>The outbox dispatcher's health: its worker runs (here, or on the host holding its lease), and nothing is set aside here.</summary>
internal sealed class OutboxHealthCheck(OutboxDispatcher dispatcher, ConcordanceWorkers workers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var worker = workers.Find(ConcordanceWorkers.OutboxName)
            ?? new WorkerStatus(ConcordanceWorkers.OutboxName, WorkerState.NotStarted, default, null);
        var data = new Dictionary<string, object> { ["worker"] = worker.State.ToString(), ["setAside"] = dispatcher.SetAsideCount };
        return Task.FromResult(worker.State switch
        {
            WorkerState.NotStarted or WorkerState.Stopped => new HealthCheckResult(context.Registration.FailureStatus, $"The outbox dispatcher is not running on this host ({worker.State}).", data: data),
            WorkerState.Restarting => new HealthCheckResult(context.Registration.FailureStatus, $"The outbox dispatcher failed and is restarting: {worker.LastError}", data: data),
            _ when dispatcher.SetAsideCount > 0 => HealthCheckResult.Degraded($"The outbox has {dispatcher.SetAsideCount} command(s) set aside after failing; the log names them.", data: data),
            WorkerState.Running => HealthCheckResult.Healthy("The outbox dispatcher runs on this host.", data),
            _ => HealthCheckResult.Healthy("The outbox dispatcher runs on the host holding its lease.", data),
        });
    }
}

/// <summary>Whether a component's lag shrinks: the time since it last shrank (or was zero), across checks.</summary>
internal sealed class LagWatch
{
    private readonly Lock _lock = new();
    private long? _last;
    private long _shrunkAt;

    /// <summary>Records <paramref name="lag"/> seen at <paramref name="timestamp"/>; returns how long the lag has been above zero without shrinking.</summary>
    public TimeSpan Observe(long lag, long timestamp, long frequency)
    {
        lock (_lock)
        {
            if (_last is not { } last || lag == 0 || lag < last) _shrunkAt = timestamp;
            _last = lag;
            return lag == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((timestamp - _shrunkAt) / (double)frequency);
        }
    }
}

/// <summary>One <see cref="LagWatch"/> per component, shared by the checks of one registration set.</summary>
internal sealed class LagWatches
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LagWatch> _watches = new(StringComparer.Ordinal);

    public LagWatch For(string component) => _watches.GetOrAdd(component, _ => new LagWatch());
}
