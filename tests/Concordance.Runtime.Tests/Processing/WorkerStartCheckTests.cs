using Concordance.Runtime.Tests.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

/// <summary>Components that need hosted workers, registered where nothing starts them, are named in one warning.</summary>
public sealed class WorkerStartCheckTests
{
    private const string NoHost = "no host has started the hosted workers of";

    private readonly CapturingLoggerFactory _logs = new();
    private readonly ManualTimers _time = new();

    private ServiceProvider BuildWithoutHost(Action<IConcordanceBuilder> components)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(_logs);
        services.AddSingleton<TimeProvider>(_time);
        var concordance = services.AddConcordance(o => o.UseInMemory()).AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>();
        components(concordance);
        return services.BuildServiceProvider();
    }

    private IEnumerable<LogEntry> Warnings => _logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains(NoHost));

    [Fact]
    public async Task Given_a_projector_without_a_host_when_the_bus_is_used_and_the_grace_period_passes_then_one_warning_names_it_and_the_way_out()
    {
        await using var provider = BuildWithoutHost(c => c.AddProjector<Ledger>().AddProcessManager<PayoutProcess>());
        var bus = provider.GetRequiredService<ICommandBus>();
        await bus.SendAsync(new Open("alice", 0m));
        Assert.Empty(Warnings);

        _time.Fire(WorkerStartCheck.GracePeriod);
        await provider.DisposeAsync();

        var warning = Assert.Single(Warnings);
        Assert.Equal(typeof(WorkerStartCheck).FullName, warning.Category);
        Assert.Contains("the hosted workers of projector Ledger, process manager PayoutProcess, the outbox dispatcher, so they process nothing", warning.Message);
        Assert.Contains("Host.CreateApplicationBuilder(args)", warning.Message);
    }

    [Fact]
    public async Task Given_a_projector_without_a_host_when_the_provider_is_disposed_before_the_grace_period_then_the_warning_is_logged_then()
    {
        var provider = BuildWithoutHost(c => c.AddProjector<Ledger>());
        await provider.GetRequiredService<ICommandBus>().SendAsync(new Open("alice", 0m));

        await provider.DisposeAsync();

        Assert.Contains("projector Ledger", Assert.Single(Warnings).Message);
    }

    [Fact]
    public async Task Given_a_projector_without_a_host_when_its_workers_are_started_by_hand_then_nothing_is_logged()
    {
        var provider = BuildWithoutHost(c => c.AddProjector<Ledger>());
        await provider.GetRequiredService<ICommandBus>().SendAsync(new Open("alice", 0m));
        var workers = provider.GetServices<IHostedService>().ToList();
        foreach (var worker in workers) await worker.StartAsync(CancellationToken.None);

        _time.Fire(WorkerStartCheck.GracePeriod);
        foreach (var worker in workers) await worker.StopAsync(CancellationToken.None);
        await provider.DisposeAsync();

        Assert.Empty(Warnings);
    }

    [Fact]
    public async Task Given_only_aggregates_without_a_host_when_the_bus_is_used_then_nothing_is_logged()
    {
        var provider = BuildWithoutHost(_ => { });
        await provider.GetRequiredService<ICommandBus>().SendAsync(new Open("alice", 0m));

        _time.Fire(WorkerStartCheck.GracePeriod);
        await provider.DisposeAsync();

        Assert.Empty(Warnings);
        Assert.Empty(_time.Timers);
    }

    [Fact]
    public async Task Given_a_generic_host_that_was_never_started_when_the_bus_is_used_then_nothing_is_logged()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<ILoggerFactory>(_logs);
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddConcordance(o => o.UseInMemory()).AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All)
            .AddAggregate<AccountAggregate>().AddProjector<Ledger>();
        var host = builder.Build();
        await host.Services.GetRequiredService<ICommandBus>().SendAsync(new Open("alice", 0m));

        _time.Fire(WorkerStartCheck.GracePeriod);
        host.Dispose();

        Assert.Empty(Warnings);
        Assert.Empty(_time.Timers);
    }

    /// <summary>Real clock, timers fired by the test.</summary>
    private sealed class ManualTimers : TimeProvider
    {
        private readonly List<(TimeSpan Due, TimerCallback Callback, object? State)> _timers = [];

        public IReadOnlyList<TimeSpan> Timers { get { lock (_timers) return _timers.Select(t => t.Due).ToList(); } }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_timers) _timers.Add((dueTime, callback, state));
            return new NoTimer();
        }

        /// <summary>Runs every timer due within <paramref name="elapsed"/>, once.</summary>
        public void Fire(TimeSpan elapsed)
        {
            List<(TimeSpan Due, TimerCallback Callback, object? State)> due;
            lock (_timers) due = _timers.Where(t => t.Due <= elapsed).ToList();
            foreach (var timer in due) timer.Callback(timer.State);
        }

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
