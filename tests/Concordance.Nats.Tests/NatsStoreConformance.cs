using Concordance.Conformance;
using Concordance.Storage;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>The runtime's conformance suite against a real nats-server; every test gets its own streams and buckets.</summary>
public sealed class NatsStoreConformance(NatsServerFixture server) : EventStoreConformance, IClassFixture<NatsServerFixture>
{
    private string? _prefix;

    protected override async ValueTask<IConcordanceStore> CreateStoreAsync()
    {
        var options = server.FreshOptions();
        _prefix = options.Prefix;
        return await NatsStore.ConnectAsync(options);
    }

    protected override async ValueTask CleanUpAsync()
    {
        if (_prefix is not null) await server.DeleteStreamsAsync(_prefix);
    }
}
