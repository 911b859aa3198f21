using Concordance.Runtime.Tests.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

public sealed class ProjectionProgressTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Given_a_running_host_on_sqlite_when_commands_are_sent_then_WaitForCatchUpAsync_returns_once_the_read_models_hold_them()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddConcordance(o => o.UseSqlite(_database.ConnectionString))
            .AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>().AddProjector<Ledger>();
        using var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        await bus.SendAsync(new Open("alice", 0m));
        for (var i = 1; i <= 20; i++) await bus.SendAsync(new Deposit("alice", 1m));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var position = await host.Services.GetRequiredService<IProjectionProgress>().WaitForCatchUpAsync("Ledger", timeout.Token);

        Assert.Equal(21, position);
        Assert.Equal(new AccountSummary("alice", 20m, 21, "deposit"),
            await host.Services.GetRequiredService<IReadModels>().GetAsync<AccountSummary>("Ledger", "alice"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Given_a_projector_behind_the_log_when_waiting_then_the_wait_completes_only_after_the_projector_processes_the_events()
    {
        await using var harness = Harness.Sqlite(_database, projectors: [new Ledger()]);
        await harness.AppendAsync(Harness.Account("alice"), new Opened("alice", 0m), new Deposited("alice", 5m, "gift"));
        var progress = new ProjectionProgress(harness.Runners);

        var waiting = progress.WaitForCatchUpAsync(Ledger.ProjectorName);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted, "the wait ended before the projector processed anything");
        await harness.Projector().CatchUpAsync();

        Assert.Equal(2, await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(new AccountSummary("alice", 5m, 2, "gift"), await harness.ReadModels.GetAsync<AccountSummary>(Ledger.ProjectorName, "alice"));
    }

    [Fact]
    public async Task Given_a_caught_up_projector_when_the_log_ends_with_events_it_does_not_subscribe_to_then_the_wait_returns_at_once()
    {
        await using var harness = Harness.Sqlite(_database, projectors: [new Ledger()]);
        await harness.AppendAsync(Harness.Account("alice"), new Opened("alice", 0m));
        await harness.Projector().CatchUpAsync();
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "alice", 1m), new PayoutApproved("p1"));

        var position = await new ProjectionProgress(harness.Runners).WaitForCatchUpAsync("Ledger").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, position);
        Assert.Equal(1, await harness.Store.Components.GetCheckpointAsync("projector:" + Ledger.ProjectorName));
    }

    [Fact]
    public async Task Given_no_worker_runs_the_projector_when_waiting_with_a_timeout_then_the_wait_is_cancelled()
    {
        await using var harness = Harness.Sqlite(_database, projectors: [new Ledger()]);
        await harness.AppendAsync(Harness.Account("alice"), new Opened("alice", 0m));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ProjectionProgress(harness.Runners).WaitForCatchUpAsync("Ledger", timeout.Token));
    }

    [Fact]
    public async Task Given_an_unknown_projector_when_waiting_then_ArgumentException_names_it()
    {
        await using var harness = Harness.InMemory(projectors: [new Ledger()]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new ProjectionProgress(harness.Runners).WaitForCatchUpAsync("Nope"));

        Assert.Contains("'Nope'", error.Message);
    }
}
