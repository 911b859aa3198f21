using Bank;
using Concordance.Nats.Tests;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concordance.Samples.Tests;

/// <summary>
/// The same story on NATS JetStream (what <c>--nats URL</c> runs): a private nats-server, the store selected with
/// <c>o.UseNats(url)</c>, everything else unchanged. The outcome is read back from the server by a second, independent
/// set of services and must be exactly the SQLite run's.
/// </summary>
public sealed class BankStoryOnNatsTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task Given_a_fresh_nats_prefix_when_the_story_runs_then_the_balances_ledger_and_processes_end_as_on_sqlite()
    {
        var prefix = "bank" + Guid.NewGuid().ToString("N")[..12];
        var output = new StringWriter();

        var result = await BankStory.RunAsync(o => o.UseNats(server.Url, n => n.Prefix = prefix), $"{server.Url} (NATS JetStream)", output);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems) + Environment.NewLine + output);
        Assert.Contains($"Event store: {server.Url} (NATS JetStream)", output.ToString());
        Assert.Contains("rejected: cannot withdraw 6000: available 6000 would leave 0, below the minimum balance 100", output.ToString());

        var services = new ServiceCollection();
        services.AddConcordance(o => o.UseNats(server.Url, n => n.Prefix = prefix))
            .AddMessages(BankSchema.MessageTypes)
            .AddAggregate<BankAccount>()
            .AddProjector<AccountLedger>()
            .AddProcessManager<InterbankTransfer>();
        await using var nats = services.BuildServiceProvider();
        var account = await nats.GetRequiredService<IReadModels>().GetAsync<AccountView>("AccountLedger", "ABC123");
        Assert.NotNull(account);
        Assert.Equal(3500m, account.Balance);
        Assert.Equal(3500m, account.Available);
        Assert.Empty(account.Holds);
        Assert.Equal(BankStoryEndToEndTests.ExpectedLedger, account.Lines);

        var store = nats.GetRequiredService<IConcordanceStore>();
        Assert.True(await BankStoryEndToEndTests.ProcessEndedAsync(store, BankStory.ApprovedWire));
        Assert.True(await BankStoryEndToEndTests.ProcessEndedAsync(store, BankStory.DeclinedWire));
        Assert.Equal(BankStoryEndToEndTests.ExpectedLog, await BankStoryEndToEndTests.EventLogAsync(store));
        Assert.Empty(await store.Outbox.GetPendingAsync(10));
        Assert.Empty(await store.DeadLetters.ListAsync());
    }
}
