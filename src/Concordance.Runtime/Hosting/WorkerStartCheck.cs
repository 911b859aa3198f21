using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>
/// Warns once when projectors, process managers or gateways are registered but nothing starts their hosted workers: a
/// service provider built straight from a <c>ServiceCollection</c>, without the generic host. Such components silently
/// process nothing (read models stay empty, process commands never leave the outbox), so the first use of the command
/// bus or the read models arms a check that logs a warning when no worker has started <see cref="GracePeriod"/> later,
/// or when the provider is disposed first. Never armed where a host is registered (<c>IHostApplicationLifetime</c>):
/// the host starts the workers when it runs. Workers started by hand (<c>IHostedService.StartAsync</c>) count as
/// started; runners driven directly (tests) go through no service provider and are never checked.
/// </summary>
internal sealed class WorkerStartCheck(ComponentCatalog catalog, bool hosted, TimeProvider time, ILogger<WorkerStartCheck> logger) : IDisposable
{
    /// <summary>How long after the first use a worker has to start before the warning.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _armed;
    private bool _started;
    private bool _warned;
    private bool _disposed;

    /// <summary>Starts the grace period, once, if this provider has components that need workers and no host.</summary>
    public void Arm()
    {
        if (hosted || !NeedsWorkers) return;
        lock (_gate)
        {
            if (_armed || _started || _disposed) return;
            _armed = true;
            _timer = time.CreateTimer(_ => WarnIfNoneStarted(), null, GracePeriod, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Called by every hosted worker as it starts.</summary>
    public void WorkerStarted()
    {
        lock (_gate)
        {
            _started = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private bool NeedsWorkers => catalog.Projectors.Count + catalog.ProcessManagers.Count + catalog.Gateways.Count > 0;

    private void WarnIfNoneStarted()
    {
        lock (_gate)
        {
            if (!_armed || _started || _warned) return;
            _warned = true;
        }
        var components = catalog.Projectors.Select(t => "projector " + t.Name)
            .Concat(catalog.ProcessManagers.Select(t => "process manager " + t.Name))
            .Concat(catalog.Gateways.Select(t => "gateway " + t.Name))
            .Concat(catalog.ProcessManagers.Count > 0 ? ["the outbox dispatcher"] : []);
        logger.LogWarning(
            "Concordance: no host has started the hosted workers of {Components}, so they process nothing: read models stay empty and " +
            "process managers' commands stay in the outbox. Add Concordance to a generic host's services (Host.CreateApplicationBuilder(args).Services." +
            "AddConcordance(...), package Microsoft.Extensions.Hosting) and run the host, or start every IHostedService yourself.",
            string.Join(", ", components));
    }

    /// <summary>A provider disposed while armed and before any worker started warns now: the components never ran.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
        WarnIfNoneStarted();
    }
}
