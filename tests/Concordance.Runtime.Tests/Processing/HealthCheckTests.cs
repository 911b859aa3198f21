using Concordance.Runtime.Tests.Commands;
using Concordance.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

/// <summary><c>services.AddHealthChecks().AddConcordance()</c> on a host with a real SQLite file.</summary>
public sealed class HealthCheckTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private IHost Build(ObservedStore? store = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddConcordance(o =>
        {
            if (store is null) o.UseSqlite(_database.ConnectionString);
            else o.UseStore(_ => store);
            o.Processing.RetryDelay = TimeSpan.FromMilliseconds(1);
            o.Processing.MaxAttempts = 2;
            o.Processing.IdlePollInterval = TimeSpan.FromMilliseconds(100);
        })
        .AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>().AddProjector<Ledger>().AddProcessManager<WelcomeProcess>();
        builder.Services.AddHealthChecks().AddConcordance(o => o.StallTime = TimeSpan.FromMilliseconds(500));
        return builder.Build();
    }

    private static Task<HealthReport> CheckAsync(IHost host) => host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    private static Task<HealthReport> EventuallyAsync(IHost host, Func<HealthReport, bool> done, string what) =>
        Eventually.Get(() => CheckAsync(host), done, what);

    [Fact]
    public async Task Given_a_running_host_that_caught_up_then_the_store_each_component_and_the_outbox_report_healthy()
    {
        using var host = Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        Assert.True((await bus.SendAsync(new Open("alice", 0m))).IsAccepted);

        // Opened, then the welcome process's deposit: both in the log, and the ledger past them.
        var report = await EventuallyAsync(host, r => r.Status == HealthStatus.Healthy && (long)r.Entries["concordance:store"].Data["head"] >= 2
            && (long)r.Entries["concordance:projector:Tests.Ledger"].Data["lag"] == 0, "a healthy report after the welcome deposit");

        Assert.Equal(["concordance:outbox", "concordance:process:Tests.Welcome", "concordance:projector:Tests.Ledger", "concordance:store"], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("runs on this host and is caught up", report.Entries["concordance:projector:Tests.Ledger"].Description);
        Assert.Equal("Running", report.Entries["concordance:process:Tests.Welcome"].Data["worker"]);
        Assert.Equal(10m, (await host.Services.GetRequiredService<IReadModels>().GetAsync<AccountSummary>("Ledger", "alice"))?.Balance);
        await host.StopAsync();
    }

    [Fact]
    public async Task Given_the_checks_added_twice_then_each_is_registered_once_with_the_first_options()
    {
        // The health-check service needs what a host provides: options and logging.
        var services = new ServiceCollection().AddOptions().AddLogging();
        services.AddConcordance().AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddProjector<Ledger>();
        services.AddHealthChecks().AddConcordance(o => o.Tags.Add("first")).AddConcordance(o => o.Tags.Add("second"));
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(["concordance:outbox", "concordance:projector:Tests.Ledger", "concordance:store"], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.All(report.Entries.Values, e => Assert.Equal(["concordance", "first"], e.Tags.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Given_a_host_that_was_never_started_then_its_components_are_unhealthy_as_not_running()
    {
        using var host = Build();

        var report = await CheckAsync(host);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["concordance:store"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["concordance:projector:Tests.Ledger"].Status);
        Assert.Contains("not running on this host (NotStarted)", report.Entries["concordance:projector:Tests.Ledger"].Description);
    }

    [Fact]
    public async Task Given_a_projector_that_parked_poison_events_then_it_reports_degraded_with_its_dead_letters()
    {
        using var host = Build();
        host.Services.GetRequiredService<Ledger>().FailFor.Add("mallory");
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        Assert.True((await bus.SendAsync(new Open("mallory", 0m))).IsAccepted);

        // Opened, and the welcome process's deposit after it: two poison events.
        var report = await EventuallyAsync(host, r => (int)r.Entries["concordance:projector:Tests.Ledger"].Data["deadLetters"] == 2, "the ledger's two dead letters");

        var ledger = report.Entries["concordance:projector:Tests.Ledger"];
        Assert.Equal(HealthStatus.Degraded, ledger.Status);
        Assert.Contains("has 2 dead letter(s)", ledger.Description);
        Assert.Equal(HealthStatus.Healthy, report.Entries["concordance:store"].Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task Given_a_projector_stuck_on_an_event_when_its_lag_does_not_shrink_for_the_stall_time_then_it_reports_degraded_and_healthy_again_once_it_moves()
    {
        using var host = Build();
        using var release = new ManualResetEventSlim();
        var ledger = host.Services.GetRequiredService<Ledger>();
        ledger.BeforeProject = e =>
        {
            if (e is Opened { Account: "stuck" }) release.Wait(TimeSpan.FromSeconds(30));
        };
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        Assert.True((await bus.SendAsync(new Open("stuck", 0m))).IsAccepted);

        var stalled = await EventuallyAsync(host, r => r.Entries["concordance:projector:Tests.Ledger"].Status == HealthStatus.Degraded, "the ledger reported stalled");
        Assert.Contains("is stalled", stalled.Entries["concordance:projector:Tests.Ledger"].Description);
        Assert.True((long)stalled.Entries["concordance:projector:Tests.Ledger"].Data["lag"] > 0);

        release.Set();
        var moving = await EventuallyAsync(host, r => r.Entries["concordance:projector:Tests.Ledger"].Status == HealthStatus.Healthy
            && (long)r.Entries["concordance:projector:Tests.Ledger"].Data["lag"] == 0, "the ledger healthy again and caught up");
        Assert.Contains("is caught up", moving.Entries["concordance:projector:Tests.Ledger"].Description);
        await host.StopAsync();
    }

    [Fact]
    public async Task Given_a_store_that_does_not_answer_then_the_store_check_reports_unhealthy()
    {
        var store = new ObservedStore(SqliteStore.Open(_database.ConnectionString));
        using var host = Build(store);
        await host.StartAsync();
        store.Unreachable = true;

        var report = await CheckAsync(host);

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["concordance:store"].Status);
        Assert.Contains("cannot be reached", report.Entries["concordance:store"].Description);
        store.Unreachable = false;
        await host.StopAsync();
    }
}
