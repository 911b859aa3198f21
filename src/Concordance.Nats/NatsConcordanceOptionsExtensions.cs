using Concordance.Nats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>Selects the NATS JetStream store: <c>services.AddConcordance(o => o.UseNats("nats://127.0.0.1:4222"))</c>.</summary>
public static class NatsConcordanceOptionsExtensions
{
    /// <summary>
    /// Stores everything in the NATS JetStream deployment at <paramref name="url"/>; streams and buckets are created
    /// on first start. <paramref name="configure"/> sets credentials (user/password, token, .creds, NKey), TLS,
    /// the prefix and the replicas (1 for a single server, 3 for a cluster).
    /// </summary>
    public static ConcordanceOptions UseNats(this ConcordanceOptions options, string url, Action<NatsStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var nats = new NatsStoreOptions { Url = url };
        configure?.Invoke(nats);
        nats.Validate();
        // The store factory is synchronous (a DI singleton): connecting happens once, when the store is first resolved.
        return options.UseStore(services =>
        {
            nats.LoggerFactory ??= services.GetService<ILoggerFactory>();
            return NatsStore.ConnectAsync(nats).GetAwaiter().GetResult();
        });
    }
}
