using Concordance.Runtime.Tests.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

public sealed class HostedWorkerTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly CapturingLoggerFactory _logs = new();

    public void Dispose() => _database.Dispose();

    private IHost Build(Action<IConcordanceBuilder> components)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs);
        var concordance = builder.Services.AddConcordance(o =>
        {
            o.UseSqlite(_database.ConnectionString);
            o.Processing.RetryDelay = TimeSpan.FromMilliseconds(1);
            o.Processing.OutboxPollInterval = TimeSpan.FromMilliseconds(200);
        });
        concordance.AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>();
        components(concordance);
        return builder.Build();
    }

    [Fact]
    public async Task Given_a_running_host_when_a_command_is_sent_then_its_events_reach_the_read_model_through_the_projector_and_the_process_managers_outbox()
    {
        using var host = Build(c => c.AddProjector<Ledger>().AddProcessManager<WelcomeProcess>());
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        var readModels = host.Services.GetRequiredService<IReadModels>();

        Assert.True((await bus.SendAsync(new Open("alice", 0m))).IsAccepted);
        // Opened → Welcome process → outbox → Deposit(10) → Deposited → ledger.
        var welcomed = await Eventually.Get(() => readModels.GetAsync<AccountSummary>("Ledger", "alice").AsTask(), s => s?.Balance == 10m, "the welcome deposit in the ledger");
        Assert.Equal(new AccountSummary("alice", 10m, 2, "deposit"), welcomed);
        Assert.True((await bus.SendAsync(new Deposit("alice", 5m))).IsAccepted);
        await Eventually.Get(() => readModels.GetAsync<AccountSummary>("Ledger", "alice").AsTask(), s => s?.Balance == 15m, "the second deposit in the ledger");
        // The process manager sees the second deposit too, on its own worker: its instance has ended, so it ignores it.
        await Eventually.Get(() => Task.FromResult(_logs.Entries.Any(e => e.Level == LogLevel.Debug && e.Message.Contains("which has ended"))), seen => seen,
            "the process manager to ignore the deposit after its instance ended");

        await host.StopAsync();

        Assert.Equal(new AccountSummary("alice", 15m, 3, "deposit"), await readModels.GetAsync<AccountSummary>("Ledger", "alice"));
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(_logs.Entries, e => e.Message == "projector:Tests.Ledger stopped.");
        Assert.Contains(_logs.Entries, e => e.Message == "process:Tests.Welcome stopped.");
        Assert.Contains(_logs.Entries, e => e.Message == "outbox dispatcher stopped.");
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains("which has ended"));
    }

    [Fact]
    public async Task Given_a_started_host_when_it_stops_then_every_worker_ends_without_an_exception()
    {
        using var host = Build(c => c.AddProjector<Ledger>().AddProcessManager<PayoutProcess>().AddGateway<PayoutNetwork>());
        await host.StartAsync();
        var workers = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        await host.Services.GetRequiredService<ICommandBus>().SendAsync(new Open("alice", 0m));
        await Eventually.Get(() => host.Services.GetRequiredService<IReadModels>().GetAsync<AccountSummary>("Ledger", "alice").AsTask(), s => s is not null, "the ledger");

        await host.StopAsync();

        Assert.Equal(4, workers.Count);
        Assert.All(workers, w => Assert.True(w.ExecuteTask!.IsCompletedSuccessfully, $"{w.GetType().Name} ended as {w.ExecuteTask.Status}"));
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Given_a_poison_event_in_a_running_host_then_it_is_dead_lettered_later_events_flow_and_a_retry_through_IDeadLetters_applies_it()
    {
        using var host = Build(c => c.AddProjector<Ledger>());
        var ledger = host.Services.GetRequiredService<Ledger>();
        ledger.FailFor.Add("bad");
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        var readModels = host.Services.GetRequiredService<IReadModels>();
        var deadLetters = host.Services.GetRequiredService<IDeadLetters>();

        await bus.SendAsync(new Open("bad", 0m));
        await bus.SendAsync(new Open("good", 0m));
        await Eventually.Get(() => readModels.GetAsync<AccountSummary>("Ledger", "good").AsTask(), s => s is not null, "the event after the poison one");
        var letter = Assert.Single(await deadLetters.ListAsync());
        ledger.FailFor.Clear();

        Assert.True(await deadLetters.RetryAsync(letter.Id));

        Assert.NotNull(await readModels.GetAsync<AccountSummary>("Ledger", "bad"));
        Assert.Empty(await deadLetters.ListAsync());
        await host.StopAsync();
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("parking it as a dead letter"));
    }

    [Fact]
    public async Task Given_a_running_projector_when_it_is_rebuilt_then_it_ends_with_the_same_read_models_and_keeps_following_the_log()
    {
        using var host = Build(c => c.AddProjector<Ledger>());
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        var readModels = host.Services.GetRequiredService<IReadModels>();
        await bus.SendAsync(new Open("alice", 0m));
        for (var i = 1; i <= 5; i++) await bus.SendAsync(new Deposit("alice", i));
        var before = await Eventually.Get(() => readModels.GetAsync<AccountSummary>("Ledger", "alice").AsTask(), s => s?.Balance == 15m, "the ledger");

        await host.Services.GetRequiredService<IProjectionRebuilder>().RebuildAsync("Tests.Ledger");

        Assert.Equal(before, await readModels.GetAsync<AccountSummary>("Ledger", "alice"));
        await bus.SendAsync(new Deposit("alice", 100m));
        await Eventually.Get(() => readModels.GetAsync<AccountSummary>("Ledger", "alice").AsTask(), s => s?.Balance == 115m, "a deposit after the rebuild");
        await host.StopAsync();
    }
}
