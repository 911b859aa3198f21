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

    private IHost Build(int maxAttempts = 3)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddConcordance(o =>
        {
            o.UseNats(server.Url, n =>
            {
                n.Prefix = _prefix;
                n.PollInterval = TimeSpan.FromMilliseconds(50);
            });
            o.Processing.IdlePollInterval = TimeSpan.FromMilliseconds(200);
            o.Processing.BatchSize = o.Processing.CatchUpBatchSize = 5;
            o.Processing.MaxAttempts = maxAttempts;
        })
        .AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>().AddProjector<Ledger>();
        return builder.Build();
    }

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
    public async Task Given_two_hosts_and_readers_on_both_when_a_projection_is_rebuilt_then_no_read_fails_or_sees_a_partial_model_and_it_switches_once()
    {
        using var first = Build();
        using var second = Build();
        await first.StartAsync();
        await second.StartAsync();
        var bus = second.Services.GetRequiredService<ICommandBus>();
        await Task.WhenAll(Enumerable.Range(0, Accounts).Select(async a =>
        {
            await bus.SendAsync(new Open($"acct{a}", 0m));
            for (var i = 1; i <= Deposits; i++) await bus.SendAsync(new Deposit($"acct{a}", i));
        }));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await first.Services.GetRequiredService<IProjectionProgress>().WaitForCatchUpAsync("Ledger", timeout.Token);
        using var stop = new CancellationTokenSource();
        using var firstPass = new CountdownEvent(2);
        var readers = new[] { first, second }.Select(h => Task.Run(() => ReadAllAlongAsync(h.Services.GetRequiredService<IReadModels>(), firstPass, stop.Token))).ToArray();
        Assert.True(firstPass.Wait(TimeSpan.FromSeconds(30)), "the readers did not start");
        var reports = new List<ProjectionRebuildProgress>();

        await second.Services.GetRequiredService<IProjectionRebuilder>().RebuildAsync("Ledger", new Progress(reports), timeout.Token);
        await Task.Delay(200);
        await stop.CancelAsync();
        var results = await Task.WhenAll(readers);

        Assert.Empty(results.SelectMany(r => r.Failures));
        Assert.All(results, r => Assert.True(r.Reads > Accounts));
        Assert.True(reports[^1].IsSwitched);
        var components = second.Services.GetRequiredService<IConcordanceStore>().Components;
        Assert.Equal(new ProjectionGenerations(new ProjectionGeneration(1, 1)), await components.GetProjectionAsync(Ledger.ProjectorName));
        Assert.Null(await components.GetDocumentAsync(Ledger.ProjectorName, "acct0"));
        await bus.SendAsync(new Deposit("acct0", 100m));
        var readModels = first.Services.GetRequiredService<IReadModels>();
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

    private sealed class Progress(List<ProjectionRebuildProgress> reports) : IProgress<ProjectionRebuildProgress>
    {
        public void Report(ProjectionRebuildProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
