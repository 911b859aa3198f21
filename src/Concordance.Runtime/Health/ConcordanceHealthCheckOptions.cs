namespace Concordance;

/// <summary>Configures the checks <c>services.AddHealthChecks().AddConcordance(o => …)</c> adds.</summary>
public sealed class ConcordanceHealthCheckOptions
{
    /// <summary>
    /// How long a component may trail the log without its lag shrinking before it reports <c>Degraded</c> (stalled).
    /// The lag is measured at each check, from the store (head position and the component's checkpoint), so a stall is
    /// seen whichever host runs the component. Default: 1 minute.
    /// </summary>
    public TimeSpan StallTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one check may wait for the store before it reports the store unreachable. Default: 5 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The tags every Concordance check carries (to filter them in <c>MapHealthChecks</c>). Default: <c>concordance</c>.</summary>
    public IList<string> Tags { get; } = ["concordance"];
}
