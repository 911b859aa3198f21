using System.Text;
using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

/// <summary>
/// Events that cannot be read, in a real SQLite file corrupted by hand (a torn row, a bad edit, a version or type this
/// build does not know): components park them as dead letters with the bytes as stored and go on; aggregates refuse
/// commands to their stream with an error naming stream, version and cause.
/// </summary>
public sealed class UnreadableEventTests : IDisposable
{
    private const string LedgerComponent = "projector:" + Ledger.ProjectorName;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private void Corrupt(StoredEvent stored, string assignments) => Execute($"UPDATE events SET {assignments} WHERE position = $p", ("$p", stored.Position));

    private static string Text(ReadOnlyMemory<byte>? data) => Encoding.UTF8.GetString(data!.Value.Span);

    /// <summary>A catalog without <c>Tests.Deposited</c> v1: as if a deployment dropped the old version and its upcast.</summary>
    private static ComponentCatalog CatalogWithoutDepositedV1()
    {
        var catalog = new ComponentCatalog();
        foreach (var type in AccountMessages.All.Concat(ProcessingMessages.All).Where(t => t is not { Name: "Tests.Deposited", Version: 1 })) catalog.Add(type);
        return catalog;
    }

    [Theory]
    [InlineData("data = CAST('{\"account\":\"bad\",\"minBal' AS BLOB)", "{\"account\":\"bad\",\"minBal", "Tests.Opened v1:")]
    [InlineData("data = CAST('{\"account\":null,\"minBalance\":0}' AS BLOB)", "{\"account\":null,\"minBalance\":0}", "Tests.Opened v1:")]
    [InlineData("data = CAST('{\"account\":\"bad\",\"minBalance\":0}{}' AS BLOB)", "{\"account\":\"bad\",\"minBalance\":0}{}", "after a single JSON value")]
    [InlineData("schema_version = 7", "{\"account\":\"bad\",\"minBalance\":0}", "'Tests.Opened' version 7 is not registered")]
    [InlineData("type = NULL", "{\"account\":\"bad\",\"minBalance\":0}", "the event type is missing")]
    [InlineData("data = NULL", "", "the event data is missing")]
    public async Task Given_an_unreadable_row_when_the_projector_catches_up_then_it_is_a_dead_letter_with_the_raw_bytes_and_the_error_and_the_log_flows_past_it(
        string corruption, string rawData, string cause)
    {
        await using var harness = Harness.Sqlite(_database, projectors: [new Ledger()], configure: o => o.MaxAttempts = 2);
        await harness.AppendAsync(Harness.Account("good"), new Opened("good", 0m));
        var bad = (await harness.AppendAsync(Harness.Account("bad"), new Opened("bad", 0m)))[0];
        await harness.AppendAsync(Harness.Account("good"), new Deposited("good", 5m, "after the bad row"));
        Corrupt(bad, corruption);

        await harness.Projector().CatchUpAsync();

        var letter = Assert.Single(await harness.DeadLetters.ListAsync());
        Assert.Equal((LedgerComponent, bad.Position, Harness.Account("bad"), 2), (letter.Component, letter.Position, letter.Stream, letter.Attempts));
        Assert.Equal(rawData, Text(letter.Data));
        Assert.Contains(nameof(CorruptEventException), letter.Error);
        Assert.Contains($"version 1 of stream 'Tests.Account/bad' (global position {bad.Position})", letter.Error);
        Assert.Contains(cause, letter.Error);
        Assert.Equal(await harness.Store.Events.GetHeadPositionAsync(), await harness.Store.Components.GetCheckpointAsync(LedgerComponent));
        Assert.Equal(new AccountSummary("good", 5m, 2, "after the bad row"), await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "good"));
    }

    [Fact]
    public async Task Given_a_row_the_reader_refuses_when_the_process_manager_catches_up_then_it_is_a_dead_letter_and_later_instances_still_send_their_commands()
    {
        var process = new PayoutProcess();
        await using var harness = Harness.Sqlite(_database, processes: [process], configure: o => o.MaxAttempts = 2);
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "alice", 25m));
        var approved = (await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1")))[0];
        await harness.AppendAsync(Harness.Payouts("p2"), new PayoutRequested("p2", "bob", 1m), new PayoutApproved("p2"));
        // Deeper than the reader's 64 levels.
        var deep = "{\"payoutId\":\"p1\",\"extra\":" + new string('[', 100) + new string(']', 100) + "}";
        Execute("UPDATE events SET data = $d WHERE position = $p", ("$d", Encoding.UTF8.GetBytes(deep)), ("$p", approved.Position));

        await harness.Process().CatchUpAsync();

        var letter = Assert.Single(await harness.DeadLetters.ListAsync());
        Assert.Equal(("process:" + PayoutProcess.ProcessName, approved.Position, "Tests.PayoutApproved", 1), (letter.Component, letter.Position, letter.EventType, letter.SchemaVersion));
        Assert.Equal(deep, Text(letter.Data));
        Assert.Contains("depth", letter.Error);
        Assert.Equal(["bob"], (await harness.Store.Outbox.GetPendingAsync(10)).Select(m => ((Withdraw)harness.Serializer.Deserialize("Tests.Withdraw", 1, m.Data.Span)).Account));
        Assert.Equal(await harness.Store.Events.GetHeadPositionAsync(), await harness.Store.Components.GetCheckpointAsync("process:" + PayoutProcess.ProcessName));
    }

    [Fact]
    public async Task Given_a_torn_row_when_the_gateway_catches_up_then_it_is_a_dead_letter_without_a_call_and_the_next_event_is_delivered()
    {
        var network = new PayoutNetwork();
        await using var harness = Harness.Sqlite(_database, gateways: [network], configure: o => o.MaxAttempts = 2);
        var torn = (await harness.AppendAsync(Harness.Payouts("p1"), new PayoutApproved("p1")))[0];
        await harness.AppendAsync(Harness.Payouts("p2"), new PayoutApproved("p2"));
        Corrupt(torn, "data = NULL");

        await harness.Gateway().CatchUpAsync();

        var letter = Assert.Single(await harness.DeadLetters.ListAsync());
        Assert.Equal(("gateway:" + PayoutNetwork.GatewayName, torn.Position, 2), (letter.Component, letter.Position, letter.Attempts));
        Assert.Contains("the event data is missing", letter.Error);
        Assert.Equal(new Dictionary<string, int> { ["p2"] = 1 }, network.Attempts);
        Assert.Equal(torn.Position + 1, await harness.Store.Components.GetCheckpointAsync("gateway:" + PayoutNetwork.GatewayName));
    }

    [Fact]
    public async Task Given_a_dead_letter_of_an_unregistered_version_when_its_upcast_is_registered_and_it_is_retried_then_the_event_is_read_again_and_projected()
    {
        var catalog = CatalogWithoutDepositedV1();
        await using var harness = Harness.Sqlite(_database, projectors: [new Ledger()], configure: o => o.MaxAttempts = 1, catalog: catalog);
        await harness.AppendAsync(Harness.Account("old"), new Opened("old", 0m));
        await harness.Store.Events.AppendAsync([new AppendRequest(Harness.Account("old"), ExpectedVersion.Any,
            [new NewEvent("legacy-1", "Tests.Deposited", 1, Encoding.UTF8.GetBytes("""{"account":"old","amount":40}"""), Buses.Now, "/legacy", null, null)])]);
        await harness.Projector().CatchUpAsync();
        var letter = Assert.Single(await harness.DeadLetters.ListAsync());
        Assert.Contains("'Tests.Deposited' version 1 is not registered", letter.Error);

        catalog.Add(AccountMessages.All.Single(t => t is { Name: "Tests.Deposited", Version: 1 }));
        var retried = await harness.DeadLetters.RetryAsync(letter.Id);

        Assert.True(retried);
        Assert.Empty(await harness.DeadLetters.ListAsync());
        Assert.Equal(new AccountSummary("old", 40m, 2, "(v1)"), await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "old"));
    }

    [Fact]
    public async Task Given_a_dead_letter_of_a_torn_row_when_the_row_is_repaired_and_it_is_retried_then_the_repaired_event_is_read_and_projected()
    {
        await using var harness = Harness.Sqlite(_database, projectors: [new Ledger()], configure: o => o.MaxAttempts = 1);
        var opened = (await harness.AppendAsync(Harness.Account("torn"), new Opened("torn", 0m)))[0];
        Corrupt(opened, "type = NULL");
        await harness.Projector().CatchUpAsync();
        var letter = Assert.Single(await harness.DeadLetters.ListAsync());
        Assert.False(await harness.DeadLetters.RetryAsync(letter.Id));
        Assert.Contains("the event type is missing", Assert.Single(await harness.DeadLetters.ListAsync()).Error);

        Corrupt(opened, "type = 'Tests.Opened'");
        var retried = await harness.DeadLetters.RetryAsync(letter.Id);

        Assert.True(retried);
        Assert.Empty(await harness.DeadLetters.ListAsync());
        Assert.Equal(new AccountSummary("torn", 0m, 1, "opened"), await harness.ReadModels.GetAsync<AccountSummary>("Ledger", "torn"));
    }

    [Theory]
    [InlineData("data = CAST('{\"account\":\"alice\",\"minBa' AS BLOB)", "Tests.Opened v1:")]
    [InlineData("type = NULL", "the event type is missing")]
    public async Task Given_a_stream_holding_an_unreadable_event_when_commands_are_sent_then_each_fails_naming_stream_version_and_cause_and_other_streams_work(
        string corruption, string cause)
    {
        await using var harness = Harness.Sqlite(_database);
        Assert.True((await harness.Bus.SendAsync(new Open("alice", 0m))).IsAccepted);
        Assert.True((await harness.Bus.SendAsync(new Open("bob", 0m))).IsAccepted);
        Corrupt((await harness.Store.Events.ReadAllAsync(0, 1))[0], corruption);
        // A bus that starts afresh (a restart) has no cached state to hide the row behind.
        await using var bus = new CommandBus(harness.Store, [new AccountAggregate()], harness.Serializer, harness.Options, harness.Time);

        var first = await Assert.ThrowsAsync<CorruptEventException>(() => bus.SendAsync(new Deposit("alice", 1m)));
        var second = await Assert.ThrowsAsync<CorruptEventException>(() => bus.SendAsync(new Deposit("alice", 2m)));

        Assert.Equal((Harness.Account("alice"), (long?)1), (first.Stream, first.Version));
        Assert.StartsWith("The stored event at version 1 of stream 'Tests.Account/alice'", first.Message);
        Assert.Contains(cause, first.Message);
        Assert.Equal(first.Message, second.Message);
        Assert.True((await bus.SendAsync(new Deposit("bob", 3m))).IsAccepted);
        Assert.Equal(1, await harness.Store.Events.GetStreamVersionAsync(Harness.Account("alice")));
    }
}
