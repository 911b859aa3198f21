using System.Diagnostics;
using Concordance.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>Component leases on the real server: two stores on one prefix stand for two hosts.</summary>
public sealed class ComponentLeaseTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);
    private const string Lease = "projector:Bank.AccountLedger";
    private readonly NatsStoreOptions _options = WithTtl(server.FreshOptions());
    private NatsStore _hostA = null!;
    private NatsStore _hostB = null!;

    private static NatsStoreOptions WithTtl(NatsStoreOptions options)
    {
        options.LeaseTimeToLive = Ttl;
        return options;
    }

    public async Task InitializeAsync()
    {
        _hostA = await NatsStore.ConnectAsync(_options);
        _hostB = await NatsStore.ConnectAsync(_options);
    }

    public async Task DisposeAsync()
    {
        await _hostA.DisposeAsync();
        await _hostB.DisposeAsync();
        await server.DeleteStreamsAsync(_options.Prefix);
    }

    /// <summary>Tries to take <see cref="Lease"/> until it is taken; fails after a generous timeout.</summary>
    private static async Task<(ComponentLease Lease, int Refusals)> TakeEventuallyAsync(IComponentLeases leases, string owner)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var refusals = 0; ; refusals++)
        {
            if (await leases.TryAcquireAsync(Lease, owner) is { } lease) return (lease, refusals);
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{owner} never took the lease.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Given_the_leases_bucket_made_by_a_first_host_when_a_host_configured_with_another_time_to_live_starts_then_it_adopts_the_buckets_and_changes_nothing()
    {
        var logs = new RecordingLoggerFactory();
        await using var other = await NatsStore.ConnectAsync(new NatsStoreOptions
        {
            Url = _options.Url,
            Prefix = _options.Prefix,
            LeaseTimeToLive = TimeSpan.FromSeconds(30),
            LoggerFactory = logs,
        });

        // Hosts renewing within different ages would take each other's leases: the second host renews within the first's.
        Assert.Equal(Ttl, ((IComponentLeases)other).TimeToLive);
        Assert.Equal(Ttl, ((IComponentLeases)_hostA).TimeToLive);
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = server.Url });
        var bucket = await new NATS.Client.KeyValueStore.NatsKVContext(new NatsJSContext(connection)).GetStoreAsync(_options.Prefix + "_leases");
        Assert.Equal(Ttl, (await bucket.GetStatusAsync()).Info.Config.MaxAge);
        Assert.Contains(logs.Warnings, w => w.Contains("00:00:02") && w.Contains("00:00:30"));
    }

    [Fact]
    public async Task Given_a_lease_host_A_holds_when_another_store_asks_its_holder_then_it_is_A_until_released_and_then_nobody()
    {
        Assert.Null(await ((IComponentLeases)_hostB).GetHolderAsync(Lease));
        var lease = (await ((IComponentLeases)_hostA).TryAcquireAsync(Lease, "host-a"))!;

        var held = await ((IComponentLeases)_hostB).GetHolderAsync(Lease);
        await ((IComponentLeases)_hostA).ReleaseAsync(lease);
        var released = await ((IComponentLeases)_hostB).GetHolderAsync(Lease);

        Assert.Equal("host-a", held);
        Assert.Null(released);
    }

    [Fact]
    public async Task Given_a_store_under_a_prefix_when_an_inspection_tool_connects_to_it_as_existing_then_it_reads_the_same_and_a_missing_prefix_is_refused_naming_it()
    {
        await _hostA.AppendAsync([new AppendRequest(new StreamId("Test.Account", "a"), ExpectedVersion.NoStream,
            [new NewEvent("e1", "Test.Happened", 1, "{}"u8.ToArray(), DateTimeOffset.UnixEpoch, "/tests", null, null)])]);
        await using var existing = await NatsStore.ConnectExistingAsync(new NatsStoreOptions { Url = _options.Url, Prefix = _options.Prefix });

        Assert.Equal(await _hostA.GetHeadPositionAsync(), await existing.GetHeadPositionAsync());
        Assert.Equal(Ttl, ((IComponentLeases)existing).TimeToLive);
        var missing = "none" + Guid.NewGuid().ToString("N")[..8];
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NatsStore.ConnectExistingAsync(new NatsStoreOptions { Url = _options.Url, Prefix = missing }));
        Assert.Contains($"prefix '{missing}'", error.Message);
        await using var admin = new NatsConnection(NatsOpts.Default with { Url = server.Url });
        await foreach (var name in new NatsJSContext(admin).ListStreamNamesAsync()) Assert.DoesNotContain(missing, name);
    }

    [Fact]
    public async Task Given_a_nats_store_then_it_offers_leases_whose_bucket_expires_entries_after_the_time_to_live()
    {
        await using var admin = new NatsConnection(NatsOpts.Default with { Url = server.Url });
        var bucket = await new NatsJSContext(admin).GetStreamAsync("KV_" + _options.Prefix + "_leases");

        Assert.Same(_hostA, ((IConcordanceStore)_hostA).Leases);
        Assert.Equal(Ttl, ((IConcordanceStore)_hostA).Leases!.TimeToLive);
        Assert.Equal(Ttl, bucket.Info.Config.MaxAge);
        Assert.Equal(1, bucket.Info.Config.MaxMsgsPerSubject);
    }

    [Fact]
    public async Task Given_two_hosts_racing_for_a_free_lease_then_exactly_one_holds_it_and_the_other_is_refused_while_it_is_renewed()
    {
        var results = await Task.WhenAll(
            _hostA.TryAcquireAsync(Lease, "host-a").AsTask(),
            _hostB.TryAcquireAsync(Lease, "host-b").AsTask());

        var holder = Assert.Single(results, r => r is not null)!;
        var (holderStore, otherStore, other) = holder.Owner == "host-a" ? (_hostA, _hostB, "host-b") : (_hostB, _hostA, "host-a");
        var renewed = await holderStore.TryRenewAsync(holder);
        Assert.NotNull(renewed);
        Assert.True(renewed.Version > holder.Version);
        Assert.Null(await otherStore.TryAcquireAsync(Lease, other));
        // The holder asking again (a worker restarted within its lease) gets the lease it holds.
        Assert.Equal(renewed, await holderStore.TryAcquireAsync(Lease, holder.Owner));
    }

    [Fact]
    public async Task Given_a_holder_that_dies_without_releasing_then_the_other_host_takes_the_lease_only_once_it_expired_and_the_dead_holders_renewal_fails()
    {
        await using var dying = await NatsStore.ConnectAsync(_options);
        var held = await dying.TryAcquireAsync(Lease, "host-dying");
        Assert.NotNull(held);
        var stale = held;
        // Renewed once: a renewal restarts the time to live.
        held = await dying.TryRenewAsync(held);
        Assert.NotNull(held);
        Assert.Null(await _hostB.TryRenewAsync(stale));
        var died = Stopwatch.StartNew();

        await dying.DisposeAsync();
        var (taken, refusals) = await TakeEventuallyAsync(_hostB, "host-b");

        Assert.True(refusals > 0, "the lease was taken before it expired");
        Assert.Equal("host-b", taken.Owner);
        // The server, not a client clock, expired it: never before the time to live (a little slack for the clocks' granularity).
        Assert.True(died.Elapsed > Ttl - TimeSpan.FromMilliseconds(250), $"taken after {died.Elapsed}");
        // The former holder comes back (a paused process): its lease is no longer the one held.
        await using var revived = await NatsStore.ConnectAsync(_options);
        Assert.Null(await revived.TryRenewAsync(held));
        Assert.Null(await revived.TryAcquireAsync(Lease, "host-dying"));
        Assert.NotNull(await _hostB.TryRenewAsync(taken));
    }

    [Fact]
    public async Task Given_a_lease_nobody_took_after_it_expired_then_the_holders_late_renewal_fails_and_it_can_take_it_afresh()
    {
        var held = await _hostA.TryAcquireAsync(Lease, "host-a");
        Assert.NotNull(held);
        // Wait for the server to expire it: the holder's own acquire answers from the store, so poll with the other host's.
        await TakeEventuallyProbeAsync();

        Assert.Null(await _hostA.TryRenewAsync(held));
        var again = await _hostA.TryAcquireAsync(Lease, "host-a");
        Assert.NotNull(again);
        Assert.NotEqual(held.Version, again.Version);

        async Task TakeEventuallyProbeAsync()
        {
            var (probe, _) = await TakeEventuallyAsync(_hostB, "host-b");
            await _hostB.ReleaseAsync(probe);
        }
    }

    [Fact]
    public async Task Given_a_holder_that_releases_its_lease_then_another_host_takes_it_at_once_and_the_released_lease_cannot_be_renewed()
    {
        var held = await _hostA.TryAcquireAsync(Lease, "host-a");
        Assert.NotNull(held);
        Assert.Null(await _hostB.TryAcquireAsync(Lease, "host-b"));

        await _hostA.ReleaseAsync(held);
        var taken = await _hostB.TryAcquireAsync(Lease, "host-b");

        Assert.NotNull(taken);
        Assert.Null(await _hostA.TryRenewAsync(held));
        // Releasing a lease another host holds now changes nothing.
        await _hostA.ReleaseAsync(held);
        Assert.Null(await _hostA.TryAcquireAsync(Lease, "host-a"));
        Assert.NotNull(await _hostB.TryRenewAsync(taken));
    }

    [Fact]
    public async Task Given_leases_of_two_components_then_they_are_held_independently()
    {
        var ledger = await _hostA.TryAcquireAsync(Lease, "host-a");
        var outbox = await _hostB.TryAcquireAsync("outbox", "host-b");

        Assert.NotNull(ledger);
        Assert.NotNull(outbox);
        Assert.Null(await _hostB.TryAcquireAsync(Lease, "host-b"));
        Assert.Null(await _hostA.TryAcquireAsync("outbox", "host-a"));
    }
}

/// <summary>Keeps the warnings logged through it.</summary>
internal sealed class RecordingLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory, Microsoft.Extensions.Logging.ILogger
{
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_warnings) return [.. _warnings];
        }
    }

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel != Microsoft.Extensions.Logging.LogLevel.Warning) return;
        lock (_warnings) _warnings.Add(formatter(state, exception));
    }
}
