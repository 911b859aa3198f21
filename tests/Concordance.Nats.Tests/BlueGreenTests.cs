using Concordance.Runtime.Tests.Commands;
using Concordance.Runtime.Tests.Processing;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>Blue/green rebuilds on a real nats-server: the lease holder builds, readers on every host keep whole read models.</summary>
public sealed class BlueGreenTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private const int Accounts = 4, Deposits = 10;
    private readonly string _prefix = server.FreshOptions().Prefix;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => server.DeleteStreamsAsync(_prefix);

    private IHost Build(int maxAttempts = 3, Ledger? ledger = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddConcordance(o =>
        {
            o.UseNats(server.Url, n =>
            {
                n.Prefix = _prefix;
                n.PollInterval = TimeSpan.FromMilliseconds(50);
                n.LeaseTimeToLive = TimeSpan.FromSeconds(2);
            });
            o.Processing.IdlePollInterval = TimeSpan.FromMilliseconds(200);
            o.Processing.BatchSize = o.Processing.CatchUpBatchSize = 5;
            o.Processing.MaxAttempts = maxAttempts;
        })
        .AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>().AddProjector<Ledger>();
        if (ledger is not null) builder.Services.AddSingleton<Ledger>(ledger);
        return builder.Build();
    }

    /// <summary>Opens every account and makes its deposits (the accounts in parallel, each one's commands in order).</summary>
    private static Task SendAccountsAsync(ICommandBus bus) =>
        Task.WhenAll(Enumerable.Range(0, Accounts).Select(async a =>
        {
            await bus.SendAsync(new Open($"acct{a}", 0m));
            for (var i = 1; i <= Deposits; i++) await bus.SendAsync(new Deposit($"acct{a}", i));
        }));

    private static AccountSummary Complete(int account) => new($"acct{account}", Deposits * (Deposits + 1) / 2, Deposits + 1, "deposit");

    private static async Task<(int Reads, List<string> Failures)> ReadAllAlongAsync(IReadModels readModels, CountdownEvent firstPass, CancellationToken stop)
    {
        var reads = 0;
        var failures = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            for (var a = 0; a < Accounts; a++)
            {
                try
                {
                    var model = await readModels.GetAsync<AccountSummary>("Ledger", $"acct{a}");
                    if (model == Complete(a)) reads++;
                    else failures.Add($"acct{a}: {model?.ToString() ?? "nothing"}");
                }
                catch (Exception ex)
                {
                    failures.Add($"acct{a}: {ex.GetType().Name}: {ex.Message}");
                }
            }
            if (reads == Accounts) firstPass.Signal();
        }
        return (reads, failures);
    }

    [Fact]
    public async Task Given_two_hosts_and_readers_on_both_when_a_projection_is_rebuilt_on_the_host_without_the_lease_then_no_read_fails_or_sees_a_partial_model_it_switches_once_and_only_the_lease_holder_builds()
    {
        using var first = Build();
        using var second = Build();
        await first.StartAsync();
        await second.StartAsync();
        var bus = second.Services.GetRequiredService<ICommandBus>();
        await SendAccountsAsync(bus);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await first.Services.GetRequiredService<IProjectionProgress>().WaitForCatchUpAsync("Ledger", timeout.Token);
        using var stop = new CancellationTokenSource();
        using var firstPass = new CountdownEvent(2);
        var readers = new[] { first, second }.Select(h => Task.Run(() => ReadAllAlongAsync(h.Services.GetRequiredService<IReadModels>(), firstPass, stop.Token))).ToArray();
        Assert.True(firstPass.Wait(TimeSpan.FromSeconds(30)), "the readers did not start");
        var reports = new List<ProjectionRebuildProgress>();
        // The host whose worker took the projector's lease projected everything; the other one nothing.
        var ledgers = new[] { first, second }.Select(h => h.Services.GetServices<IProjector>().OfType<Ledger>().Single()).ToArray();
        Assert.Single(ledgers, l => l.Calls == 0);
        var waiter = ledgers[0].Calls > 0 ? second : first;
        var (holderLedger, waiterLedger) = ledgers[0].Calls > 0 ? (ledgers[0], ledgers[1]) : (ledgers[1], ledgers[0]);
        var holderCalls = holderLedger.Calls;

        await waiter.Services.GetRequiredService<IProjectionRebuilder>().RebuildAsync("Ledger", new Progress(reports), timeout.Token);
        await Task.Delay(200);
        await stop.CancelAsync();
        var results = await Task.WhenAll(readers);

        Assert.Empty(results.SelectMany(r => r.Failures));
        Assert.All(results, r => Assert.True(r.Reads > Accounts));
        Assert.True(reports[^1].IsSwitched);
        Assert.Equal(0, waiterLedger.Calls);
        Assert.True(holderLedger.Calls >= holderCalls + Accounts * (Deposits + 1), $"the lease holder projected {holderLedger.Calls - holderCalls} events for the rebuild");
        var components = second.Services.GetRequiredService<IConcordanceStore>().Components;
        Assert.Equal(new ProjectionGenerations(new ProjectionGeneration(1, 1)), await components.GetProjectionAsync(Ledger.ProjectorName));
        Assert.Null(await components.GetDocumentAsync(Ledger.ProjectorName, "acct0"));
        await bus.SendAsync(new Deposit("acct0", 100m));
        var readModels = waiter.Services.GetRequiredService<IReadModels>();
        while ((await readModels.GetAsync<AccountSummary>("Ledger", "acct0", timeout.Token))?.Balance != Complete(0).Balance + 100m)
            await Task.Delay(20, timeout.Token);
        await second.StopAsync();
        await first.StopAsync();
    }

    [Fact]
    public async Task Given_a_poison_event_during_a_rebuild_when_readers_are_switched_then_its_dead_letter_is_listed_under_the_projector_and_a_retry_lands_in_the_active_build()
    {
        using var host = Build(maxAttempts: 1);
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        await bus.SendAsync(new Open("acct0", 0m));
        await bus.SendAsync(new Open("poison", 0m));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.Services.GetRequiredService<IProjectionProgress>().WaitForCatchUpAsync("Ledger", timeout.Token);
        var ledger = host.Services.GetServices<IProjector>().OfType<Ledger>().Single();
        ledger.FailFor.Add("poison");

        await host.Services.GetRequiredService<IProjectionRebuilder>().RebuildAsync("Ledger", timeout.Token);

        var deadLetters = host.Services.GetRequiredService<IDeadLetters>();
        var letter = Assert.Single(await deadLetters.ListAsync(cancellationToken: timeout.Token));
        Assert.Equal(("projector:" + Ledger.ProjectorName, "v1.1"), (letter.Component, letter.Generation));
        var readModels = host.Services.GetRequiredService<IReadModels>();
        Assert.Null(await readModels.GetAsync<AccountSummary>("Ledger", "poison", timeout.Token));
        ledger.FailFor.Clear();
        Assert.True(await deadLetters.RetryAsync(letter.Id, timeout.Token));
        Assert.Empty(await deadLetters.ListAsync(cancellationToken: timeout.Token));
        Assert.Equal(new AccountSummary("poison", 0m, 1, "opened"), await readModels.GetAsync<AccountSummary>("Ledger", "poison", timeout.Token));
        await host.StopAsync();
    }

    [Fact]
    public async Task Given_the_lease_holder_runs_the_old_version_when_a_host_of_the_new_version_rebuilds_then_the_new_host_builds_it_after_a_lease_time_to_live_with_its_own_code()
    {
        var old = new Ledger();
        using var first = Build(ledger: old);
        await first.StartAsync();
        await SendAccountsAsync(first.Services.GetRequiredService<ICommandBus>());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await first.Services.GetRequiredService<IProjectionProgress>().WaitForCatchUpAsync("Ledger", timeout.Token);
        var ledger = new Ledger { Version = 2, NotePrefix = "v2:" };
        using var second = Build(ledger: ledger);
        await second.StartAsync();
        var oldCalls = old.Calls;

        await second.Services.GetRequiredService<IProjectionRebuilder>().RebuildAsync("Ledger", timeout.Token);

        Assert.Equal(oldCalls, old.Calls);
        Assert.True(ledger.Calls >= Accounts * (Deposits + 1), $"version 2's host projected {ledger.Calls} events");
        var components = second.Services.GetRequiredService<IConcordanceStore>().Components;
        Assert.Equal(2, (await components.GetProjectionAsync(Ledger.ProjectorName))!.Active.Version);
        var readModels = first.Services.GetRequiredService<IReadModels>();
        Assert.Equal(Complete(0) with { LastNote = "v2:deposit" }, await readModels.GetAsync<AccountSummary>("Ledger", "acct0", timeout.Token));
        await second.StopAsync();
        await first.StopAsync();
    }

    private sealed class Progress(List<ProjectionRebuildProgress> reports) : IProgress<ProjectionRebuildProgress>
    {
        public void Report(ProjectionRebuildProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
