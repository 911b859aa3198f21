using Concordance.Runtime.Tests.Commands;
using Concordance.Runtime.Tests.Processing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>IProjectionProgress on a real nats-server, where the projector may run on another host.</summary>
public sealed class ProjectionProgressTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private readonly string _prefix = server.FreshOptions().Prefix;

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
                n.PollInterval = TimeSpan.FromMilliseconds(50);
            });
            o.Processing.IdlePollInterval = TimeSpan.FromMilliseconds(200);
        })
        .AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>().AddProjector<Ledger>();
        return builder.Build();
    }

    [Fact]
    public async Task Given_two_hosts_sharing_a_projector_when_commands_are_sent_then_waiting_on_either_host_returns_once_the_read_model_holds_them()
    {
        using var first = Build();
        using var second = Build();
        await first.StartAsync();
        await second.StartAsync();
        var bus = second.Services.GetRequiredService<ICommandBus>();
        await bus.SendAsync(new Open("alice", 0m));
        for (var i = 1; i <= 10; i++) await bus.SendAsync(new Deposit("alice", i));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var positions = await Task.WhenAll(
            first.Services.GetRequiredService<IProjectionProgress>().WaitForCatchUpAsync("Ledger", timeout.Token),
            second.Services.GetRequiredService<IProjectionProgress>().WaitForCatchUpAsync("Tests.Ledger", timeout.Token));

        Assert.All(positions, p => Assert.True(p >= 11, $"caught up with position {p}, before the last command's event"));
        var expected = new AccountSummary("alice", 55m, 11, "deposit");
        Assert.Equal(expected, await first.Services.GetRequiredService<IReadModels>().GetAsync<AccountSummary>("Ledger", "alice"));
        Assert.Equal(expected, await second.Services.GetRequiredService<IReadModels>().GetAsync<AccountSummary>("Ledger", "alice"));
        await second.StopAsync();
        await first.StopAsync();
    }
}
