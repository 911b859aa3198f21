using Concordance.Runtime.Tests.Commands;
using Concordance.Runtime.Tests.Processing;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>Two hosts (two service providers with AddConcordance + UseNats on one prefix) sharing a projector through its lease.</summary>
public sealed class HostFailoverTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private readonly string _prefix = server.FreshOptions().Prefix;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => server.DeleteStreamsAsync(_prefix);

    private IHost Build(CapturingLoggerFactory logs)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Information).AddProvider(logs);
        builder.Services.AddConcordance(o =>
        {
            o.UseNats(server.Url, n =>
            {
                n.Prefix = _prefix;
                n.LeaseTimeToLive = TimeSpan.FromSeconds(3);
                n.PollInterval = TimeSpan.FromMilliseconds(50);
            });
            // Renewals well within the time to live, so a loaded machine does not make the holder lose its lease.
            o.Processing.LeaseRenewInterval = TimeSpan.FromMilliseconds(500);
            o.Processing.IdlePollInterval = TimeSpan.FromMilliseconds(200);
            o.Processing.RetryDelay = TimeSpan.FromMilliseconds(10);
            o.Processing.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
        })
        .AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>().AddProjector<Ledger>();
        return builder.Build();
    }

    private static async Task SendAsync(IHost host, string account, int deposits)
    {
        var bus = host.Services.GetRequiredService<ICommandBus>();
        Assert.True((await bus.SendAsync(new Open(account, 0m))).IsAccepted);
        for (var i = 1; i <= deposits; i++) Assert.True((await bus.SendAsync(new Deposit(account, i))).IsAccepted);
    }

    private static AccountSummary Expected(string account, int deposits) => new(account, deposits * (deposits + 1) / 2, deposits + 1, deposits == 0 ? "opened" : "deposit");

    private static async Task WaitForLedgerAsync(IHost host, string account, int deposits)
    {
        var readModels = host.Services.GetRequiredService<IReadModels>();
        var expected = Expected(account, deposits);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await readModels.GetAsync<AccountSummary>("Ledger", account) != expected)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The ledger never showed {expected}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Given_two_hosts_with_a_projector_then_only_the_lease_holder_projects_and_when_it_dies_abruptly_the_other_finishes_the_read_model_exactly_once()
    {
        var logsA = new CapturingLoggerFactory();
        var logsB = new CapturingLoggerFactory();
        using var hostA = Build(logsA);
        using var hostB = Build(logsB);
        var ledgerA = hostA.Services.GetRequiredService<Ledger>();
        var ledgerB = hostB.Services.GetRequiredService<Ledger>();
        await hostA.StartAsync();
        await SendAsync(hostA, "alice", 3);
        await WaitForLedgerAsync(hostA, "alice", 3);

        // Host B joins; commands go to both hosts; A keeps the projector.
        await hostB.StartAsync();
        await SendAsync(hostB, "bob", 4);
        await SendAsync(hostA, "carol", 2);
        await WaitForLedgerAsync(hostB, "bob", 4);
        await WaitForLedgerAsync(hostB, "carol", 2);
        Assert.Equal(0, Volatile.Read(ref ledgerB.Calls));
        Assert.True(Volatile.Read(ref ledgerA.Calls) >= 12);

        // A dies with work pending: its connection is gone, it releases nothing.
        await SendAsync(hostB, "dave", 5);
        await hostA.Services.GetRequiredService<IConcordanceStore>().DisposeAsync();
        await SendAsync(hostB, "erin", 3);

        foreach (var (account, deposits) in new[] { ("alice", 3), ("bob", 4), ("carol", 2), ("dave", 5), ("erin", 3) })
            await WaitForLedgerAsync(hostB, account, deposits);
        Assert.True(Volatile.Read(ref ledgerB.Calls) > 0);
        Assert.Contains(logsB.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("took the lease 'projector:Tests.Ledger'"));
        Assert.Contains(logsA.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("took the lease 'projector:Tests.Ledger'"));

        await hostB.StopAsync();
        Assert.Contains(logsB.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("released the lease 'projector:Tests.Ledger'"));
        await hostA.StopAsync();
    }
}
