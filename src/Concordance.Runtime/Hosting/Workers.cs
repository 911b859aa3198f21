using System.Diagnostics;
using Concordance.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>
/// The hosted worker of one projector, process manager or gateway. Stopping cancels it cleanly (a batch in progress
/// is abandoned uncommitted and redone at the next start); any other failure is logged and the runner restarts from
/// its stored checkpoint after a backoff, so the host never goes down with it. When the store offers leases (several
/// hosts share it), the worker runs only while this host holds the component's lease (see <see cref="LeasedWork"/>).
/// </summary>
internal sealed class ComponentWorker(ComponentRunner runner, ProcessingEnvironment environment, ILogger<ComponentWorker> logger,
    WorkerStartCheck? startCheck = null, WorkerCell? cell = null) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        startCheck?.WorkerStarted();
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LeasedWork.RunAsync(runner.Component, runner.Component, runner.RunAsync, runner.Reset, environment, logger, stoppingToken, cell);

    /// <summary>Runs <paramref name="run"/> until <paramref name="stoppingToken"/> is cancelled, restarting it with backoff after failures.</summary>
    internal static async Task Supervise(string name, Func<CancellationToken, Task> run, Action reset, ProcessingOptions options, ILogger logger, CancellationToken stoppingToken,
        WorkerCell? cell = null)
    {
        // Leave StartAsync at once: the host starts every worker before any of them does I/O.
        await Task.Yield();
        logger.LogInformation("{Worker} started.", name);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                cell?.Set(WorkerState.Running);
                await run(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = options.BackoffAfter(failures);
                cell?.Set(WorkerState.Restarting, ex);
                logger.LogError(ex, "{Worker} failed; restarting in {Delay}.", name, delay);
                reset();
                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        logger.LogInformation("{Worker} stopped.", name);
    }
}

/// <summary>The hosted worker that sends the outbox's pending commands; with leases, on one host at a time (lease <c>outbox</c>).</summary>
internal sealed class OutboxWorker(ComponentRunners runners, ILogger<OutboxWorker> logger, WorkerStartCheck? startCheck = null, WorkerCell? cell = null) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        startCheck?.WorkerStarted();
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LeasedWork.RunAsync("outbox dispatcher", ConcordanceWorkers.OutboxName, runners.Outbox.RunAsync, () => { }, runners.Environment, logger, stoppingToken, cell);
}

/// <summary>
/// Runs a worker on one host at a time when the store offers <see cref="IComponentLeases"/>: the host takes the
/// worker's lease, runs it and renews the lease every <see cref="ProcessingOptions.LeaseRenewInterval"/>; when a renewal
/// is refused (the lease expired or another host took it), or failures leave no time for another try before it
/// expires, the run is cancelled at once and the runner forgets its checkpoint, and the host goes back to polling for
/// the lease. A host without the lease polls at the same interval and takes over once the holder's lease has expired
/// (the holder died) or was released (the holder stopped cleanly). Without leases the worker simply runs.
/// </summary>
internal static class LeasedWork
{
    public static async Task RunAsync(string worker, string leaseName, Func<CancellationToken, Task> run, Action reset,
        ProcessingEnvironment environment, ILogger logger, CancellationToken stoppingToken, WorkerCell? cell = null)
    {
        try
        {
            await RunLeasedAsync(worker, leaseName, run, reset, environment, logger, stoppingToken, cell).ConfigureAwait(false);
        }
        finally
        {
            cell?.Set(WorkerState.Stopped);
        }
    }

    private static async Task RunLeasedAsync(string worker, string leaseName, Func<CancellationToken, Task> run, Action reset,
        ProcessingEnvironment environment, ILogger logger, CancellationToken stoppingToken, WorkerCell? cell)
    {
        var leases = environment.Store.Leases;
        if (leases is null)
        {
            await ComponentWorker.Supervise(worker, run, reset, environment.Processing, logger, stoppingToken, cell).ConfigureAwait(false);
            return;
        }
        await Task.Yield();
        var owner = environment.HostId;
        var ttl = leases.TimeToLive;
        var interval = environment.Processing.LeaseRenewInterval is { } configured && configured > TimeSpan.Zero ? configured : ttl / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Lease time is the store's: measure from before the request that took or renewed it, never after.
            var takenAt = Stopwatch.GetTimestamp();
            var lease = await TryAsync(() => leases.TryAcquireAsync(leaseName, owner, stoppingToken), worker, "taking its lease", logger, stoppingToken).ConfigureAwait(false);
            if (lease is null)
            {
                cell?.Set(WorkerState.Standby);
                if (!await DelayAsync(interval, stoppingToken).ConfigureAwait(false)) break;
                continue;
            }
            logger.LogInformation("{Worker}: host {Host} took the lease '{Lease}'; running here.", worker, owner, leaseName);
            using var holding = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var running = ComponentWorker.Supervise(worker, run, reset, environment.Processing, logger, holding.Token, cell);
            var (last, lostBecause) = await HoldAsync(leases, lease, takenAt, ttl, interval, worker, logger, stoppingToken).ConfigureAwait(false);
            await holding.CancelAsync().ConfigureAwait(false);
            await running.ConfigureAwait(false);
            reset();
            if (lostBecause is null)
            {
                // A clean stop: hand the lease over at once rather than after it expires.
                await ReleaseAsync(leases, last, worker, logger).ConfigureAwait(false);
                break;
            }
            cell?.Set(WorkerState.Standby);
            logger.LogInformation("{Worker}: host {Host} lost the lease '{Lease}' ({Reason}); stopped here.", worker, owner, leaseName, lostBecause);
            if (!await DelayAsync(interval, stoppingToken).ConfigureAwait(false)) break;
        }
    }

    /// <summary>Renews <paramref name="lease"/> until the host stops (no reason: the last lease is still held) or the lease is lost (with the reason).</summary>
    private static async Task<(ComponentLease Last, string? LostBecause)> HoldAsync(IComponentLeases leases, ComponentLease lease, long renewedAt, TimeSpan ttl,
        TimeSpan interval, string worker, ILogger logger, CancellationToken stoppingToken)
    {
        while (true)
        {
            if (!await DelayAsync(interval, stoppingToken).ConfigureAwait(false)) return (lease, null);
            var started = Stopwatch.GetTimestamp();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(interval);
            try
            {
                var renewed = await leases.TryRenewAsync(lease, timeout.Token).ConfigureAwait(false);
                if (renewed is null) return (lease, "it expired or another host took it");
                lease = renewed;
                renewedAt = started;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return (lease, null);
            }
            catch (Exception ex)
            {
                // One failed renewal is survivable while the lease still outlives the next attempt.
                if (Stopwatch.GetElapsedTime(renewedAt) + interval >= ttl) return (lease, "renewals failed until it was about to expire: " + ex.Message);
                logger.LogWarning(ex, "{Worker}: renewing the lease '{Lease}' failed; trying again in {Interval}.", worker, lease.Name, interval);
            }
        }
    }

    private static async Task ReleaseAsync(IComponentLeases leases, ComponentLease lease, string worker, ILogger logger)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await leases.ReleaseAsync(lease, timeout.Token).ConfigureAwait(false);
            logger.LogInformation("{Worker}: host {Host} released the lease '{Lease}'.", worker, lease.Owner, lease.Name);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "{Worker}: releasing the lease '{Lease}' failed; another host takes it over once it expires.", worker, lease.Name);
        }
    }

    private static async Task<ComponentLease?> TryAsync(Func<ValueTask<ComponentLease?>> attempt, string worker, string what, ILogger logger, CancellationToken stoppingToken)
    {
        try
        {
            return await attempt().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "{Worker}: {What} failed; trying again later.", worker, what);
            return null;
        }
    }

    /// <summary>Waits <paramref name="delay"/>; false when the host stops first.</summary>
    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
