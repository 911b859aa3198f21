using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>
/// The command path on NATS in one round trip: no lookup of an id the bus made or already looked up, no record for
/// an id the bus made, the record of a given id written after the event's ack, and still one outcome per command id,
/// before and after that record lands.
/// </summary>
public sealed class CommandIdempotencyTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private static readonly StreamId Alice = new(AccountAggregate.AggregateName, "alice");
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<string> _prefixes = [];

    private async Task<(NatsStore Store, CommandBus Bus)> OpenAsync(NatsStoreOptions options)
    {
        if (!_prefixes.Contains(options.Prefix)) _prefixes.Add(options.Prefix);
        var store = await NatsStore.ConnectAsync(options);
        var bus = Buses.Create(store);
        // Disposed in reverse: the bus before its store.
        _owned.Add(store);
        _owned.Add(bus);
        return (store, bus);
    }

    private static async Task<List<StoredEvent>> ReadStream(IEventStore events, StreamId stream)
    {
        var list = new List<StoredEvent>();
        await foreach (var e in events.ReadStreamAsync(stream, 1)) list.Add(e);
        return list;
    }

    [Fact]
    public async Task Given_commands_sent_without_ids_then_the_store_neither_looks_their_ids_up_nor_writes_records_for_them()
    {
        var options = server.FreshOptions();
        var (store, bus) = await OpenAsync(options);

        await bus.SendAsync(new Open("alice", 0m));
        for (var i = 0; i < 5; i++) await bus.SendAsync(new Deposit("alice", 1m));
        var rejected = await bus.SendAsync(new Withdraw("alice", 100m));

        Assert.False(rejected.IsAccepted);
        Assert.Equal(0, store.CommandLookups);
        Assert.Equal(0, store.CommandRecordsInFlight);
        var events = await ReadStream(store, Alice);
        Assert.Equal(6, events.Count);
        // Nobody but the bus knew those ids (the events carry them only as causation): the bucket holds nothing.
        var (other, _) = await OpenAsync(new NatsStoreOptions { Url = options.Url, Prefix = options.Prefix });
        foreach (var e in events) Assert.Null(await other.FindCommandAsync(e.CausationId!));
    }

    [Fact]
    public async Task Given_a_command_with_an_id_when_sent_then_the_id_is_looked_up_once_by_the_bus_and_not_again_by_the_store()
    {
        var (store, bus) = await OpenAsync(server.FreshOptions());
        await bus.SendAsync(new Open("alice", 0m));

        var result = await bus.SendAsync(new Deposit("alice", 5m), new CommandMetadata { CommandId = "deposit-1" });

        Assert.True(result.IsAccepted);
        Assert.Equal(1, store.CommandLookups);
    }

    [Fact]
    public async Task Given_a_command_id_just_accepted_when_sent_again_at_once_then_the_repeat_gets_the_first_outcome_whether_or_not_its_record_has_landed()
    {
        var (store, bus) = await OpenAsync(server.FreshOptions());
        await bus.SendAsync(new Open("alice", 0m));

        var first = await bus.SendAsync(new Deposit("alice", 5m), new CommandMetadata { CommandId = "deposit-1" });
        // Whether the record has landed yet or not, this process answers from it.
        var repeat = await bus.SendAsync(new Deposit("alice", 5m), new CommandMetadata { CommandId = "deposit-1" });

        Assert.Equal(first.Version, repeat.Version);
        Assert.Equal(first.Events, repeat.Events);
        Assert.Equal(2, (await ReadStream(store, Alice)).Count);
    }

    [Fact]
    public async Task Given_a_command_id_whose_record_was_written_when_another_host_receives_the_same_id_then_it_answers_from_the_record_and_appends_nothing()
    {
        var options = server.FreshOptions();
        var (first, firstBus) = await OpenAsync(options);
        await firstBus.SendAsync(new Open("alice", 0m));
        var accepted = await firstBus.SendAsync(new Deposit("alice", 5m), new CommandMetadata { CommandId = "deposit-1" });
        var rejected = await firstBus.SendAsync(new Withdraw("alice", 50m), new CommandMetadata { CommandId = "withdraw-1" });
        await firstBus.DisposeAsync();
        // Disposal flushes the records still in flight.
        await first.DisposeAsync();

        var (second, secondBus) = await OpenAsync(new NatsStoreOptions { Url = options.Url, Prefix = options.Prefix });
        var acceptedAgain = await secondBus.SendAsync(new Deposit("alice", 5m), new CommandMetadata { CommandId = "deposit-1" });
        var rejectedAgain = await secondBus.SendAsync(new Withdraw("alice", 1m), new CommandMetadata { CommandId = "withdraw-1" });

        Assert.True(acceptedAgain.IsAccepted);
        Assert.Equal(accepted.Version, acceptedAgain.Version);
        Assert.Equal(accepted.Events, acceptedAgain.Events);
        Assert.False(rejectedAgain.IsAccepted);
        Assert.Equal(rejected.RejectionReason, rejectedAgain.RejectionReason);
        Assert.Equal(2, (await ReadStream(second, Alice)).Count);
        // Both answers came from the bucket, through the bus's one lookup per send.
        Assert.Equal(2, second.CommandLookups);
    }

    [Fact]
    public async Task Given_an_id_said_to_be_new_that_another_host_has_just_used_when_appended_then_the_server_deduplicates_it_and_the_first_outcome_is_returned()
    {
        var options = server.FreshOptions();
        var (hostA, _) = await OpenAsync(options);
        var (hostB, _) = await OpenAsync(new NatsStoreOptions { Url = options.Url, Prefix = options.Prefix });
        var opened = new NewEvent("open-1-0", "Tests.Opened", 1, """{"account":"alice","minBalance":0}"""u8.ToArray(), Buses.Now, "/tests", null, null);
        Assert.Equal(AppendStatus.Appended, (await hostA.AppendAsync([new AppendRequest(Alice, 0, [opened]) { CommandId = "open-1", CommandIdSource = CommandIdSource.GivenAndLookedUp }]))[0].Status);

        // Host B looked the id up before host A's record landed (the race the flag leaves open): no lookup now.
        var repeat = (await hostB.AppendAsync([new AppendRequest(Alice, ExpectedVersion.Any, [opened]) { CommandId = "open-1", CommandIdSource = CommandIdSource.GivenAndLookedUp }]))[0];

        Assert.Equal(AppendStatus.DuplicateCommand, repeat.Status);
        Assert.Equal(new CommandRecord("open-1", Alice, 1, 1, null), repeat.ExistingCommand);
        Assert.Equal(0, hostB.CommandLookups);
        Assert.Single(await ReadStream(hostB, Alice));
    }

    [Fact]
    public async Task Given_command_records_written_deleted_and_purged_when_looked_up_then_only_the_written_one_is_found()
    {
        var options = server.FreshOptions();
        var (store, bus) = await OpenAsync(options);
        await bus.SendAsync(new Open("alice", 0m));
        foreach (var id in new[] { "kept", "deleted", "purged" })
            Assert.True((await bus.SendAsync(new Deposit("alice", 1m), new CommandMetadata { CommandId = id })).IsAccepted);
        await store.CommandRecordsWrittenAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await using (var connection = new NatsConnection(NatsOpts.Default with { Url = server.Url }))
        {
            var bucket = await new NATS.Client.KeyValueStore.NatsKVContext(new NatsJSContext(connection)).GetStoreAsync($"{options.Prefix}_commands");
            await bucket.DeleteAsync("deleted");
            await bucket.PurgeAsync("purged");
        }
        // A fresh store: nothing answered from memory.
        var (other, _) = await OpenAsync(new NatsStoreOptions { Url = options.Url, Prefix = options.Prefix });

        Assert.Equal(new CommandRecord("kept", Alice, 2, 1, null), await other.FindCommandAsync("kept"));
        Assert.Null(await other.FindCommandAsync("deleted"));
        Assert.Null(await other.FindCommandAsync("purged"));
        Assert.Null(await other.FindCommandAsync("never-sent"));
    }

    [Fact]
    public async Task Given_the_commands_bucket_gone_when_a_given_command_is_accepted_then_its_record_answers_from_memory_and_lands_once_the_bucket_is_back()
    {
        var options = server.FreshOptions();
        var (store, _) = await OpenAsync(options);
        await using (var connection = new NatsConnection(NatsOpts.Default with { Url = server.Url }))
            await new NatsJSContext(connection).DeleteStreamAsync($"KV_{options.Prefix}_commands");
        var opened = new NewEvent("open-1-0", "Tests.Opened", 1, """{"account":"alice","minBalance":0}"""u8.ToArray(), Buses.Now, "/tests", null, null);

        var appended = (await store.AppendAsync([new AppendRequest(Alice, 0, [opened]) { CommandId = "open-1", CommandIdSource = CommandIdSource.GivenAndLookedUp }]))[0];

        Assert.Equal(AppendStatus.Appended, appended.Status);
        Assert.Equal(1, store.CommandRecordsInFlight);
        Assert.Equal(new CommandRecord("open-1", Alice, 1, 1, null), await store.FindCommandAsync("open-1"));
        // Another store on the same prefix creates the bucket again; the retried write then lands.
        var (other, _) = await OpenAsync(new NatsStoreOptions { Url = options.Url, Prefix = options.Prefix });
        await store.CommandRecordsWrittenAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, store.CommandRecordsInFlight);
        Assert.Equal(new CommandRecord("open-1", Alice, 1, 1, null), await other.FindCommandAsync("open-1"));
    }

    [Fact]
    public async Task Given_64_senders_on_two_hosts_racing_for_the_same_accounts_then_every_command_is_applied_once_through_the_pipelined_publishes()
    {
        var options = server.FreshOptions();
        var (storeA, busA) = await OpenAsync(options);
        var (storeB, busB) = await OpenAsync(new NatsStoreOptions { Url = options.Url, Prefix = options.Prefix });
        const int accounts = 40, depositsPerHost = 400;
        for (var i = 0; i < accounts; i++) Assert.True((await busA.SendAsync(new Open("acc-" + i, 0m))).IsAccepted);
        // A sender holding the turn waits until another append queues behind it (up to 50 ms): the queue is surely used.
        storeA.HoldTurns(TimeSpan.FromMilliseconds(50));
        storeB.HoldTurns(TimeSpan.FromMilliseconds(50));

        // Each host's deposits come from 32 senders at once: many are published in turn from the queue and all are
        // acknowledged through the store's inbox; the other host writing to the same accounts makes some conflict and retry.
        async Task Senders(CommandBus bus, string host)
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < depositsPerHost; i = Interlocked.Increment(ref next))
                {
                    var result = await bus.SendAsync(new Deposit("acc-" + (i % accounts), 1m), new CommandMetadata { CommandId = $"{host}-{i}" });
                    Assert.True(result.IsAccepted);
                }
            })));
        }
        await Task.WhenAll(Senders(busA, "a"), Senders(busB, "b"));

        Assert.True(storeA.PipelinedPublishes > 0 && storeB.PipelinedPublishes > 0, "The senders never shared a publisher: the test did not cover the pipelined path.");
        var all = await storeA.ReadAllAsync(0, 10_000);
        Assert.Equal(accounts + 2 * depositsPerHost, all.Count);
        Assert.Equal(all.Count, all.Select(e => e.Id).Distinct().Count());
        for (var i = 0; i < accounts; i++)
        {
            var events = await ReadStream(storeB, new StreamId(AccountAggregate.AggregateName, "acc-" + i));
            Assert.Equal(Enumerable.Range(1, 1 + 2 * depositsPerHost / accounts).Select(v => (long)v), events.Select(e => e.Version));
        }
    }

    [Fact]
    public async Task Given_acknowledgements_lost_on_the_way_when_commands_are_pipelined_then_the_messages_are_published_again_and_each_command_lands_once()
    {
        var options = server.FreshOptions();
        var (store, bus) = await OpenAsync(options);
        const int accounts = 32;
        for (var i = 0; i < accounts; i++) Assert.True((await bus.SendAsync(new Open("acc-" + i, 0m))).IsAccepted);
        store.HoldTurns(TimeSpan.FromMilliseconds(50));
        store.LoseAcks(3);

        // All at once: most appends go through the publisher's queue, and three acknowledgements vanish on the way.
        var results = await Task.WhenAll(Enumerable.Range(0, accounts).Select(i => Task.Run(() => bus.SendAsync(new Deposit("acc-" + i, 5m)))))
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(results, r => Assert.True(r.IsAccepted));
        Assert.All(results, r => Assert.Equal(2, r.Version));
        Assert.True(store.PipelinedPublishes >= 3, "Fewer than three appends went through the publisher's queue: the test did not cover it.");
        Assert.Equal(3, store.Republished);
        var all = await store.ReadAllAsync(0, 1000);
        Assert.Equal(2 * accounts, all.Count);
        for (var i = 0; i < accounts; i++)
            Assert.Equal([1L, 2L], (await ReadStream(store, new StreamId(AccountAggregate.AggregateName, "acc-" + i))).Select(e => e.Version));
        // The state each stream reached is the one the next command decides on.
        Assert.Equal(3, (await bus.SendAsync(new Withdraw("acc-0", 5m))).Version);
    }

    [Fact]
    public async Task Given_a_single_senders_acknowledgement_lost_then_its_message_is_published_again_and_the_command_lands_once()
    {
        var options = server.FreshOptions();
        // A short request timeout: the lost acknowledgement is overdue after a second, not five.
        options.ConfigureConnection = o => o with { RequestTimeout = TimeSpan.FromSeconds(1) };
        var (store, bus) = await OpenAsync(options);
        Assert.True((await bus.SendAsync(new Open("alice", 0m))).IsAccepted);
        store.LoseAcks(1);

        var result = await bus.SendAsync(new Deposit("alice", 5m)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.IsAccepted);
        Assert.Equal(2, result.Version);
        // Only the copy went through the publisher's queue: the sender wrote its own message, in its own turn.
        Assert.Equal(1, store.PipelinedPublishes);
        Assert.Equal(1, store.Republished);
        Assert.Equal([1L, 2L], (await ReadStream(store, Alice)).Select(e => e.Version));
        Assert.Equal(2, (await store.ReadAllAsync(0, 100)).Count);
        Assert.Equal(3, (await bus.SendAsync(new Deposit("alice", 1m))).Version);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
        foreach (var prefix in _prefixes) await server.DeleteStreamsAsync(prefix);
    }
}
