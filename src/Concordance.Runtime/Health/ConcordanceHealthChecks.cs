using Concordance;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Concordance's health checks to a health-check builder.</summary>
public static class ConcordanceHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds Concordance's checks, after ASP.NET's convention (<c>services.AddHealthChecks().AddConcordance()</c>):
    /// <list type="bullet">
    /// <item><c>concordance:store</c>: the store answers (the log's head position is read within <see cref="ConcordanceHealthCheckOptions.Timeout"/>); unhealthy otherwise.</item>
    /// <item>one per projector, process manager and gateway, named for it (<c>concordance:projector:Bank.AccountLedger</c>):
    /// unhealthy when its worker is not running (not started, stopped, or restarting after a failure); degraded when it is
    /// stalled (its lag has not shrunk for <see cref="ConcordanceHealthCheckOptions.StallTime"/>) or has dead letters;
    /// healthy when it runs here or, with a shared store, on the host holding its lease.</item>
    /// <item><c>concordance:outbox</c>: the outbox dispatcher's worker runs; degraded while commands are set aside.</item>
    /// </list>
    /// The components are those registered with <c>AddConcordance(…)</c> when the checks first run. Calling this twice
    /// adds the checks once (the first call's options win).
    /// </summary>
    public static IHealthChecksBuilder AddConcordance(this IHealthChecksBuilder builder, Action<ConcordanceHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(ConcordanceHealthCheckOptions))) return builder;
        var options = new ConcordanceHealthCheckOptions();
        configure?.Invoke(options);
        var tags = options.Tags.ToArray();
        builder.Services.AddSingleton(options);
        // The components are known only once the provider is built: registrations are added as the options are made.
        builder.Services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(sp => new ConfigureOptions<HealthCheckServiceOptions>(health =>
        {
            var runners = sp.GetService<ComponentRunners>()
                ?? throw new InvalidOperationException("AddHealthChecks().AddConcordance() needs Concordance itself: call services.AddConcordance(…) too.");
            var lags = new LagWatches();
            health.Registrations.Add(new HealthCheckRegistration("concordance:store", _ => new StoreHealthCheck(runners.Environment.Store, options),
                HealthStatus.Unhealthy, tags, options.Timeout + TimeSpan.FromSeconds(1)));
            foreach (var runner in runners.All.OrderBy(r => r.Component, StringComparer.Ordinal))
            {
                health.Registrations.Add(new HealthCheckRegistration("concordance:" + runner.Component,
                    s => new ComponentHealthCheck(runner, runners.Environment, s.GetRequiredService<ConcordanceWorkers>(), lags.For(runner.Component), options),
                    HealthStatus.Unhealthy, tags));
            }
            health.Registrations.Add(new HealthCheckRegistration("concordance:" + ConcordanceWorkers.OutboxName,
                s => new OutboxHealthCheck(runners.Outbox, s.GetRequiredService<ConcordanceWorkers>()), HealthStatus.Unhealthy, tags));
        }));
        return builder;
    }
}
