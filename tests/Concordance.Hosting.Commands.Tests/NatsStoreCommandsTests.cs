using System.Text.Json;
using Concordance.Nats.Tests;

namespace Concordance.Hosting.Commands.Tests;

/// <summary>The real <c>concordance</c> tool on a private nats-server holding a store the bank sample wrote (<c>BankAccount --nats URL --prefix P</c>).</summary>
public sealed class NatsStoreCommandsTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private readonly string _prefix = "bank" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync()
    {
        var run = Processes.Bank("--nats", server.Url, "--prefix", _prefix);
        Assert.True(run.ExitCode == 0, run.ToString());
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => server.DeleteStreamsAsync(_prefix);

    [Fact]
    public void Given_the_bank_store_on_nats_when_listing_events_as_json_then_the_story_comes_in_log_order()
    {
        var run = Processes.Concordance("events", "--nats", server.Url, "--prefix", _prefix, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var events = run.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(BankStore.StoryEvents,
            events.Select(e => $"{e.GetProperty("category").GetString()}/{e.GetProperty("key").GetString()} {e.GetProperty("version").GetInt64()} {e.GetProperty("type").GetString()}"));
        var positions = events.Select(e => e.GetProperty("position").GetInt64()).ToList();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void Given_the_bank_store_on_nats_when_asking_status_then_each_component_shows_its_checkpoint_and_a_lease_column()
    {
        var table = Processes.Concordance("status", "--nats", server.Url, "--prefix", _prefix);
        var json = Processes.Concordance("status", "--nats", server.Url, "--prefix", _prefix, "--json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("LEASE HOLDER", table.OutputLines[0]);
        var rows = json.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("component").GetString()!);
        Assert.Equal(["gateway:Bank.WireNetwork", "process:Bank.InterbankTransfer", "projector:Bank.AccountLedger"], rows.Keys);
        var ledger = rows["projector:Bank.AccountLedger"];
        Assert.Equal(ledger.GetProperty("head").GetInt64(), ledger.GetProperty("checkpoint").GetInt64());
        Assert.Equal(0, ledger.GetProperty("lag").GetInt64());
    }

    [Fact]
    public void Given_a_prefix_with_no_store_when_listing_events_then_it_fails_with_one_line_and_creates_nothing()
    {
        var run = Processes.Concordance("events", "--nats", server.Url, "--prefix", "nothinghere");

        Processes.AssertOneLineError(run, "There is no Concordance store under prefix 'nothinghere'");
    }
}
