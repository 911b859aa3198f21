using System.Text;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>What the NATS store must do beyond the conformance suite: survive restarts, deduplicate, escape names, work across hosts.</summary>
public sealed class NatsStoreTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private readonly List<NatsStore> _stores = [];
    private readonly List<string> _prefixes = [];

    private async Task<NatsStore> OpenAsync(NatsStoreOptions? options = null)
    {
        options ??= server.FreshOptions();
        if (!_prefixes.Contains(options.Prefix)) _prefixes.Add(options.Prefix);
        var store = await NatsStore.ConnectAsync(options);
        _stores.Add(store);
        return store;
    }

    private static NewEvent Event(string id, int n = 0) =>
        new(id, "Test.Happened", 1, Encoding.UTF8.GetBytes($$"""{"n":{{n}}}"""), DateTimeOffset.UnixEpoch.AddSeconds(n), "/tests", null, null);

    private static async Task<List<StoredEvent>> ReadStream(IEventStore events, StreamId stream)
    {
        var list = new List<StoredEvent>();
        await foreach (var e in events.ReadStreamAsync(stream, 1)) list.Add(e);
        return list;
    }

    [Fact]
    public async Task Given_acknowledged_appends_when_the_server_is_killed_and_restarted_on_its_store_then_nothing_is_lost_and_the_same_store_carries_on()
    {
        var store = await OpenAsync();
        var stream = new StreamId("Bank.Account", "a-1");
        for (var i = 0; i < 20; i++)
            Assert.Equal(AppendStatus.Appended, (await store.AppendAsync([new AppendRequest(stream, i, [Event($"e{i}", i)]) { CommandId = $"c{i}" }]))[0].Status);
        await store.CommitAsync(new ComponentCommit("projector:Ledger", 0, 5) { Documents = [new DocumentWrite("Ledger", "a-1", Encoding.UTF8.GetBytes("""{"balance":5}"""))] });

        await server.KillAsync();
        await server.StartAsync();

        // The client reconnects by itself; the first calls may still see the reconnect in progress.
        var after = await RetryAsync(() => store.AppendAsync([new AppendRequest(stream, 20, [Event("e20", 20)]) { CommandId = "c20" }]).AsTask());
        // A retry whose first try landed (ack lost in the reconnect) is answered as a duplicate: either way, once.
        Assert.Contains(after[0].Status, new[] { AppendStatus.Appended, AppendStatus.DuplicateCommand });
        Assert.Equal(Enumerable.Range(0, 21).Select(i => $"e{i}"), (await ReadStream(store, stream)).Select(e => e.Id));
        Assert.Equal(21, (await store.ReadAllAsync(0, 100)).Count);
        Assert.Equal(new CommandRecord("c3", stream, 4, 1, null), await store.FindCommandAsync("c3"));
        Assert.Equal(5, await store.GetCheckpointAsync("projector:Ledger"));
        Assert.Equal("""{"balance":5}""", Encoding.UTF8.GetString((await store.GetDocumentAsync("Ledger", "a-1"))!.Data.Span));
    }

    [Fact]
    public async Task Given_code_after_an_append_that_blocks_on_another_append_then_the_second_is_still_answered()
    {
        // An append's awaiter resumes off the connection's socket reader: were it resumed on the reader, blocking there
        // on a second append would stop the reader from ever reading the second's acknowledgement.
        var store = await OpenAsync();
        var first = new StreamId("Bank.Account", "a-1");
        var second = new StreamId("Bank.Account", "a-2");

        var both = Task.Run(async () =>
        {
            var firstResult = await store.AppendAsync([new AppendRequest(first, 0, [Event("e0")]) { CommandId = "c0" }]);
#pragma warning disable xUnit1031 // blocking on purpose: the point is that it does not deadlock
            var secondResult = store.AppendAsync([new AppendRequest(second, 0, [Event("e1", 1)]) { CommandId = "c1" }]).AsTask().GetAwaiter().GetResult();
#pragma warning restore xUnit1031
            return (firstResult[0].Status, secondResult[0].Status);
        });

        Assert.Equal((AppendStatus.Appended, AppendStatus.Appended), await both.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, (await store.ReadAllAsync(0, 10)).Count);
    }

    [Fact]
    public async Task Given_no_stream_takes_the_subject_when_appending_then_the_append_fails_with_no_responders()
    {
        var options = server.FreshOptions();
        var store = await OpenAsync(options);
        var stream = new StreamId("Bank.Account", "a-1");
        Assert.Equal(AppendStatus.Appended, (await store.AppendAsync([new AppendRequest(stream, 0, [Event("e0")]) { CommandId = "c0" }]))[0].Status);
        await using (var connection = new NatsConnection(new NatsOpts { Url = options.Url }))
            await new NatsJSContext(connection).DeleteStreamAsync(options.Prefix + "_EVENTS");

        // The server answers the reply subject with a 503 status: the append fails with that, not with an unreadable
        // acknowledgement, nor after the request timeout with no response.
        await Assert.ThrowsAsync<NatsNoRespondersException>(() => store.AppendAsync([new AppendRequest(stream, 1, [Event("e1", 1)]) { CommandId = "c1" }]).AsTask());
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> action)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception ex) when (attempt < 100 && ex is NatsException or TimeoutException or OperationCanceledException)
            {
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task Given_a_writer_that_died_after_its_publish_but_before_its_command_record_when_the_command_is_retried_within_the_window_then_it_is_answered_from_the_first_and_applied_once()
    {
        var options = server.FreshOptions();
        var store = await OpenAsync(options);
        var stream = new StreamId("Bank.Account", "a");
        var first = (await store.AppendAsync([new AppendRequest(stream, 0, [Event("cmd-1-0", 1), Event("cmd-1-1", 2)]) { CommandId = "cmd-1" }]))[0];
        await store.CommandRecordsWrittenAsync();
        // Simulate the crash: the record never made it to the commands bucket.
        await using (var connection = new NatsConnection(NatsOpts.Default with { Url = server.Url }))
        {
            var bucket = await new NatsKVContext(new NatsJSContext(connection)).GetStoreAsync(options.Prefix + "_commands");
            await bucket.PurgeAsync("cmd-1");
        }
        Assert.Null(await store.FindCommandAsync("cmd-1"));

        // The retry decides on the (same) state and publishes again with the same Nats-Msg-Id.
        var retry = (await store.AppendAsync([new AppendRequest(stream, ExpectedVersion.Any, [Event("cmd-1-0", 1), Event("cmd-1-1", 2)]) { CommandId = "cmd-1" }]))[0];

        Assert.Equal(AppendStatus.Appended, first.Status);
        Assert.Equal(AppendStatus.DuplicateCommand, retry.Status);
        Assert.Equal(new CommandRecord("cmd-1", stream, 2, 2, null), retry.ExistingCommand);
        Assert.Equal(new CommandRecord("cmd-1", stream, 2, 2, null), await store.FindCommandAsync("cmd-1"));
        Assert.Equal(["cmd-1-0", "cmd-1-1"], (await ReadStream(store, stream)).Select(e => e.Id));
    }

    [Fact]
    public async Task Given_stream_ids_with_subject_wildcards_dots_spaces_and_unicode_then_each_gets_its_own_subject_and_round_trips()
    {
        var store = await OpenAsync();
        StreamId[] streams =
        [
            new("Bank.Account", "a.b"), new("Bank.Account", "a*b"), new("Bank.Account", "a>b"), new("Bank.Account", "a b"),
            new("Bank.Account", ""), new("Bank.Account", "="), new("Bank.Account", "=3D"), new("Bank", "Account.a"), new("Bank.Account", "zürich-☃"),
        ];
        for (var i = 0; i < streams.Length; i++)
            Assert.Equal(AppendStatus.Appended, (await store.AppendAsync([new AppendRequest(streams[i], 0, [Event("e" + i, i)])]))[0].Status);

        for (var i = 0; i < streams.Length; i++)
        {
            var only = Assert.Single(await ReadStream(store, streams[i]));
            Assert.Equal("e" + i, only.Id);
            Assert.Equal(streams[i], only.Stream);
        }
        Assert.Equal(streams, (await store.ReadAllAsync(0, 100)).Select(e => e.Stream));
        foreach (var text in new[] { "", "=", "a.b", "ü", "plain-Text_09" }) Assert.Equal(text, SubjectToken.Decode(SubjectToken.Encode(text)));
    }

    [Fact]
    public async Task Given_two_hosts_appending_to_the_same_streams_when_each_retries_its_conflicts_then_every_append_lands_once_with_contiguous_versions()
    {
        var options = server.FreshOptions();
        var hostA = await OpenAsync(options);
        var hostB = await OpenAsync(new NatsStoreOptions { Url = options.Url, Prefix = options.Prefix });
        var streams = Enumerable.Range(0, 3).Select(i => new StreamId("Bank.Account", "s" + i)).ToArray();

        async Task Writer(NatsStore host, string name)
        {
            for (var i = 0; i < 30; i++)
            {
                var stream = streams[i % streams.Length];
                while (true)
                {
                    var version = await host.GetStreamVersionAsync(stream);
                    var result = (await host.AppendAsync([new AppendRequest(stream, version, [Event($"{name}-{i}", i)]) { CommandId = $"{name}-{i}" }]))[0];
                    if (result.Status == AppendStatus.Appended) break;
                    Assert.Equal(AppendStatus.WrongExpectedVersion, result.Status);
                }
            }
        }
        await Task.WhenAll(Writer(hostA, "a"), Writer(hostB, "b"));

        var all = await hostA.ReadAllAsync(0, 1000);
        Assert.Equal(60, all.Count);
        Assert.Equal(60, all.Select(e => e.Id).Distinct().Count());
        foreach (var stream in streams)
            Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), (await ReadStream(hostB, stream)).Select(e => e.Version));
    }

    [Fact]
    public async Task Given_a_commit_published_but_never_applied_when_the_checkpoint_is_read_then_its_effects_are_applied_once()
    {
        var options = server.FreshOptions();
        var store = await OpenAsync(options);
        Assert.True(await store.CommitAsync(new ComponentCommit("process:Transfer", 0, 7)
        {
            Documents = [new DocumentWrite("process:Transfer", "t1", Encoding.UTF8.GetBytes("""{"status":"Requested"}"""))],
            Outbox = [new OutboxMessage("m1", "process:Transfer", "Test.Reserve", 1, Encoding.UTF8.GetBytes("{}"), null, null, DateTimeOffset.UnixEpoch)],
        }));
        // Simulate a worker that died right after publishing: none of the effects, no applied marker.
        await using (var connection = new NatsConnection(NatsOpts.Default with { Url = server.Url }))
        {
            var kv = new NatsKVContext(new NatsJSContext(connection));
            await (await kv.GetStoreAsync(options.Prefix + "_documents")).PurgeAsync(SubjectToken.Encode("process:Transfer") + ".t1");
            await (await kv.GetStoreAsync(options.Prefix + "_outbox")).PurgeAsync("p.m1");
            await (await kv.GetStoreAsync(options.Prefix + "_applied")).PurgeAsync(SubjectToken.Encode("process:Transfer"));
        }

        var reopened = await OpenAsync(new NatsStoreOptions { Url = options.Url, Prefix = options.Prefix });
        Assert.Equal(7, await reopened.GetCheckpointAsync("process:Transfer"));

        Assert.Equal(7, (await reopened.GetDocumentAsync("process:Transfer", "t1"))!.Position);
        Assert.Equal(["m1"], (await reopened.GetPendingAsync(10)).Select(m => m.Id));
        await reopened.MarkDispatchedAsync(["m1"]);
        Assert.Equal(7, await reopened.GetCheckpointAsync("process:Transfer"));
        Assert.Empty(await reopened.GetPendingAsync(10));
    }

    [Fact]
    public async Task Given_a_stream_of_a_hundred_appends_with_rejections_between_when_read_from_the_start_and_from_the_middle_then_every_event_comes_once_in_version_order()
    {
        var store = await OpenAsync();
        var stream = new StreamId("Bank.Account", "long");
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(AppendStatus.Appended, (await store.AppendAsync([new AppendRequest(stream, i, [Event($"e{i}", i)])]))[0].Status);
            if (i % 10 == 0)
                Assert.Equal(AppendStatus.Appended, (await store.AppendAsync([new AppendRequest(stream, i + 1, []) { CommandId = $"r{i}", RejectionReason = "no" }]))[0].Status);
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"e{i}"), (await ReadStream(store, stream)).Select(e => e.Id));
        var fromMiddle = new List<StoredEvent>();
        await foreach (var e in store.ReadStreamAsync(stream, 60)) fromMiddle.Add(e);
        Assert.Equal(Enumerable.Range(60, 41).Select(v => (long)v), fromMiddle.Select(e => e.Version));
    }

    [Fact]
    public async Task Given_UseNats_when_the_store_is_resolved_then_it_is_a_connected_nats_store_with_its_streams_created()
    {
        var prefix = server.FreshOptions().Prefix;
        _prefixes.Add(prefix);
        var services = new ServiceCollection();
        services.AddConcordance(o => o.UseNats(server.Url, n => { n.Prefix = prefix; n.Replicas = 1; }));
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<NatsStore>(provider.GetRequiredService<IConcordanceStore>());

        Assert.Equal(prefix, store.Options.Prefix);
        Assert.Equal(0, await store.GetHeadPositionAsync());
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = server.Url });
        var js = new NatsJSContext(connection);
        foreach (var name in store.StreamNames) Assert.Equal(1, (await js.GetStreamAsync(name)).Info.Config.NumReplicas);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores) await store.DisposeAsync();
        foreach (var prefix in _prefixes) await server.DeleteStreamsAsync(prefix);
    }
}
