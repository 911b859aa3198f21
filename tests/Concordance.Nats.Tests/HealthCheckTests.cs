using Concordance.Runtime.Tests.Commands;
using Concordance.Runtime.Tests.Processing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>Health checks of two hosts sharing one NATS deployment: the lease check says which host runs what.</summary>
public sealed class HealthCheckTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private readonly string _prefix = server.FreshOptions().Prefix;

    private static readonly string[] Workers = ["outbox", "projector:Tests.Ledger"];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => server.DeleteStreamsAsync(_prefix);

    private IHost Build()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddConcordance(o =>
        {
            o.UseNats(server.Url, n =>
            {
                n.Prefix = _prefix;
                n.LeaseTimeToLive = TimeSpan.FromSeconds(3);
                n.PollInterval = TimeSpan.FromMilliseconds(50);
            });
            o.Processing.LeaseRenewInterval = TimeSpan.FromMilliseconds(300);
            o.Processing.IdlePollInterval = TimeSpan.FromMilliseconds(200);
        })
        .AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>().AddProjector<Ledger>();
        builder.Services.AddHealthChecks().AddConcordance().AddConcordanceNatsLeases();
        return builder.Build();
    }

    private static async Task<HealthReport> Until(Func<Task<HealthReport>> check, Func<HealthReport, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var report = await check();
            if (done(report)) return report;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}; last report: " + string.Join("; ", report.Entries.Select(e => $"{e.Key}={e.Value.Status} ({e.Value.Description})")));
            await Task.Delay(50);
        }
    }

    private static Task<HealthReport> CheckAsync(IHost host) => host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    private static IEnumerable<string> HeldHere(HealthReport report) =>
        Workers.Where(w => (string)report.Entries["concordance:nats-leases"].Data[w] == "this host");

    [Fact]
    public async Task Given_two_hosts_on_one_nats_deployment_then_each_lease_is_held_by_exactly_one_and_when_the_holder_stops_the_other_reports_holding_them_all()
    {
        using var hostA = Build();
        using var hostB = Build();
        await hostA.StartAsync();
        await Until(() => CheckAsync(hostA), r => r.Status == HealthStatus.Healthy && HeldHere(r).Count() == Workers.Length, "host A holding every lease");
        await hostB.StartAsync();
        Assert.True((await hostB.Services.GetRequiredService<ICommandBus>().SendAsync(new Open("alice", 0m))).IsAccepted);

        var a = await Until(() => CheckAsync(hostA), r => r.Status == HealthStatus.Healthy && (long)r.Entries["concordance:projector:Tests.Ledger"].Data["lag"] == 0, "host A healthy and caught up");
        var b = await Until(() => CheckAsync(hostB), r => r.Status == HealthStatus.Healthy, "host B healthy");

        Assert.Equal(Workers, HeldHere(a));
        Assert.Empty(HeldHere(b));
        var hostAId = hostA.Services.GetRequiredService<IConcordanceWorkers>().HostId;
        Assert.All(Workers, w => Assert.Equal(hostAId, b.Entries["concordance:nats-leases"].Data[w]));
        Assert.Contains("runs on the host holding its lease", b.Entries["concordance:projector:Tests.Ledger"].Description);
        Assert.Equal("Standby", b.Entries["concordance:projector:Tests.Ledger"].Data["worker"]);
        Assert.Contains($"This host ({hostAId}) holds the leases of outbox, projector:Tests.Ledger", a.Entries["concordance:nats-leases"].Description);

        // A clean stop releases the leases; B takes them over.
        await hostA.StopAsync();
        var takenOver = await Until(() => CheckAsync(hostB), r => r.Status == HealthStatus.Healthy && HeldHere(r).Count() == Workers.Length, "host B holding every lease");
        Assert.Equal("Running", takenOver.Entries["concordance:projector:Tests.Ledger"].Data["worker"]);
        await hostB.StopAsync();
    }

    [Fact]
    public async Task Given_a_host_that_holds_no_lease_yet_because_it_never_started_then_the_lease_check_reports_its_workers_held_by_nobody_as_degraded()
    {
        using var host = Build();
        // The workers exist (the hosted services are made) but never run: nobody takes their leases.
        _ = host.Services.GetServices<IHostedService>().ToList();

        var report = await CheckAsync(host);

        var leases = report.Entries["concordance:nats-leases"];
        Assert.Equal(HealthStatus.Degraded, leases.Status);
        Assert.All(Workers, w => Assert.Equal("nobody", leases.Data[w]));
        Assert.Contains("nobody holds outbox, projector:Tests.Ledger", leases.Description);
        Assert.Equal(HealthStatus.Healthy, report.Entries["concordance:store"].Status);
    }
}
