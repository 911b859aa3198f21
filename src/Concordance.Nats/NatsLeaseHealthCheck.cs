using Concordance.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Concordance.Nats;

/// <summary>
/// The NATS lease state: for each worker registered on this host, who holds its lease now, read from the leases bucket.
/// Healthy when every lease is held (by this host or another), degraded when one is held by nobody (that worker runs
/// nowhere until a host takes it over), unhealthy when the bucket cannot be read.
/// </summary>
internal sealed class NatsLeaseHealthCheck(IConcordanceStore store, IConcordanceWorkers workers, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (store is not NatsStore nats)
            return new HealthCheckResult(context.Registration.FailureStatus, $"The store is {store.GetType().Name}, not NATS: there are no leases to check.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var here = new List<string>();
        var elsewhere = new List<string>();
        var nobody = new List<string>();
        var data = new Dictionary<string, object> { ["host"] = workers.HostId };
        try
        {
            foreach (var worker in workers.Current)
            {
                var holder = await nats.GetLeaseHolderAsync(worker.Name, limit.Token).ConfigureAwait(false);
                data[worker.Name] = holder is null ? "nobody" : holder == workers.HostId ? "this host" : holder;
                (holder is null ? nobody : holder == workers.HostId ? here : elsewhere).Add(worker.Name);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The NATS leases bucket cannot be read: " + ex.Message, ex, data);
        }
        var held = $"This host ({workers.HostId}) holds the leases of {List(here)}; other hosts hold {List(elsewhere)}";
        return nobody.Count > 0
            ? HealthCheckResult.Degraded($"{held}; nobody holds {List(nobody)}, which run nowhere until a host takes them over.", data: data)
            : HealthCheckResult.Healthy(held + ".", data);
    }

    private static string List(List<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
