using System.Collections.Concurrent;
using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using Concordance.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

/// <summary>Hosted workers over a store that offers leases: they run only while holding their component's lease.</summary>
public sealed class LeasedWorkerTests
{
    private readonly CapturingLoggerFactory _logs = new();
    private readonly ScriptedLeases _leases = new();

    private IHost Build()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs);
        var store = new LeasedStore(new InMemoryStore(), _leases);
        builder.Services.AddConcordance(o =>
        {
            o.UseStore(_ => store);
            o.Processing.IdlePollInterval = TimeSpan.FromMilliseconds(50);
            o.Processing.LeaseRenewInterval = TimeSpan.FromMilliseconds(30);
        }).AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>().AddProjector<Ledger>();
        return builder.Build();
    }

    private bool Logged(string text) => _logs.Entries.Any(e => e.Message.Contains(text, StringComparison.Ordinal));

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(10);
        }
    }

    private static Task<AccountSummary?> Summary(IHost host, string account) =>
        host.Services.GetRequiredService<IReadModels>().GetAsync<AccountSummary>("Ledger", account).AsTask();

    [Fact]
    public async Task Given_a_lease_another_host_holds_then_the_worker_waits_and_takes_it_over_once_it_is_free()
    {
        _leases.HeldByOther.Add("projector:Tests.Ledger");
        using var host = Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<ICommandBus>().SendAsync(new Open("alice", 0m));
        await Until(() => _leases.Attempts.GetValueOrDefault("projector:Tests.Ledger") >= 3, "three refused attempts");

        Assert.False(Logged("projector:Tests.Ledger started."));
        Assert.Equal(0, host.Services.GetRequiredService<Ledger>().Calls);
        Assert.True(Logged("outbox dispatcher started."));

        _leases.HeldByOther.Remove("projector:Tests.Ledger");
        await Until(() => Summary(host, "alice").Result is not null, "the ledger");

        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("took the lease 'projector:Tests.Ledger'"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Given_a_running_worker_whose_renewal_is_refused_then_it_stops_at_once_and_runs_again_when_it_gets_the_lease_back()
    {
        using var host = Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        await bus.SendAsync(new Open("alice", 0m));
        await Until(() => Summary(host, "alice").Result is not null, "the ledger");

        // Another host takes the lease: this one's next renewal is refused.
        _leases.HeldByOther.Add("projector:Tests.Ledger");
        _leases.Expire("projector:Tests.Ledger");
        await Until(() => Logged("lost the lease 'projector:Tests.Ledger'"), "the loss");
        Assert.True(Logged("projector:Tests.Ledger stopped."));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("lost the lease 'projector:Tests.Ledger'"));

        _leases.HeldByOther.Remove("projector:Tests.Ledger");
        await bus.SendAsync(new Deposit("alice", 5m));
        await Until(() => Summary(host, "alice").Result?.Balance == 5m, "the deposit in the ledger");

        await host.StopAsync();
        Assert.Contains("projector:Tests.Ledger", _leases.Released);
        Assert.Contains("outbox", _leases.Released);
        Assert.Empty(_leases.Held);
    }

    /// <summary>Leases in memory, with a switch per lease saying another host holds it.</summary>
    private sealed class ScriptedLeases : IComponentLeases
    {
        private long _version;

        public ConcurrentDictionary<string, ComponentLease> Held { get; } = new();

        public ConcurrentDictionary<string, int> Attempts { get; } = new();

        public ConcurrentBag<string> Released { get; } = [];

        public HashSet<string> HeldByOther { get; } = [];

        public TimeSpan TimeToLive => TimeSpan.FromSeconds(30);

        public void Expire(string name) => Held.TryRemove(name, out _);

        public ValueTask<ComponentLease?> TryAcquireAsync(string name, string owner, CancellationToken cancellationToken = default)
        {
            Attempts.AddOrUpdate(name, 1, (_, n) => n + 1);
            lock (HeldByOther)
            {
                if (HeldByOther.Contains(name)) return ValueTask.FromResult<ComponentLease?>(null);
            }
            var lease = Held.GetOrAdd(name, _ => new ComponentLease(name, owner, Interlocked.Increment(ref _version)));
            return ValueTask.FromResult<ComponentLease?>(lease.Owner == owner ? lease : null);
        }

        public ValueTask<ComponentLease?> TryRenewAsync(ComponentLease lease, CancellationToken cancellationToken = default)
        {
            var renewed = lease with { Version = Interlocked.Increment(ref _version) };
            return ValueTask.FromResult<ComponentLease?>(Held.TryUpdate(lease.Name, renewed, lease) ? renewed : null);
        }

        public ValueTask<string?> GetHolderAsync(string name, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Held.TryGetValue(name, out var lease) ? lease.Owner : null);

        public ValueTask ReleaseAsync(ComponentLease lease, CancellationToken cancellationToken = default)
        {
            if (Held.TryRemove(new KeyValuePair<string, ComponentLease>(lease.Name, lease))) Released.Add(lease.Name);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>An in-memory store that offers <see cref="Leases"/>, like a store several hosts share.</summary>
    private sealed class LeasedStore(InMemoryStore inner, IComponentLeases leases) : IConcordanceStore
    {
        public IEventStore Events => inner.Events;
        public ISnapshotStore Snapshots => inner.Snapshots;
        public IComponentStore Components => inner.Components;
        public IOutboxStore Outbox => inner.Outbox;
        public IDeadLetterStore DeadLetters => inner.DeadLetters;
        public IComponentLeases Leases => leases;

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
