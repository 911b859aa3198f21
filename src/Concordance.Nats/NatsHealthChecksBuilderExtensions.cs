using Concordance;
using Concordance.Nats;
using Concordance.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the NATS store's health check to a health-check builder.</summary>
public static class NatsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds <c>concordance:nats-leases</c> (<c>services.AddHealthChecks().AddConcordance().AddConcordanceNatsLeases()</c>):
    /// which of this host's workers (projectors, process managers, gateways, the outbox) this host holds the lease for,
    /// and who holds the others, read from the leases bucket. Degraded when a lease is held by nobody (its worker runs
    /// nowhere for the moment), unhealthy when the bucket cannot be read within <paramref name="timeout"/> (default 5 s).
    /// </summary>
    public static IHealthChecksBuilder AddConcordanceNatsLeases(this IHealthChecksBuilder builder, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var limit = timeout ?? TimeSpan.FromSeconds(5);
        return builder.Add(new HealthCheckRegistration("concordance:nats-leases",
            sp => new NatsLeaseHealthCheck(sp.GetRequiredService<IConcordanceStore>(), sp.GetRequiredService<IConcordanceWorkers>(), limit),
            HealthStatus.Unhealthy, ["concordance"], limit + TimeSpan.FromSeconds(1)));
    }
}
