using System.Diagnostics;
using System.Text;
using Concordance.Runtime.Tests.Commands;
using Concordance.Runtime.Tests.Processing;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NATS.Client.Core;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>
/// The store measures what it sends against the server's limits: a subject over max_control_line would make the server
/// close the shared connection (every other sender stalling while it reconnects), a payload over max_payload is refused.
/// </summary>
public sealed class SizeLimitTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    /// <summary>500 × '日': 1,500 bytes of UTF-8, 4,500 once escaped into a subject token, over the 4,096-byte control line.</summary>
    private static readonly string LongKey = new('日', 500);

    private readonly List<NatsStore> _stores = [];
    private readonly List<string> _prefixes = [];
    private int _disconnects;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores) await store.DisposeAsync();
        foreach (var prefix in _prefixes) await server.DeleteStreamsAsync(prefix);
    }

    /// <summary>A store whose connection's disconnects are counted in <see cref="_disconnects"/>.</summary>
    private async Task<NatsStore> OpenAsync()
    {
        var options = server.FreshOptions();
        _prefixes.Add(options.Prefix);
        var store = await NatsStore.ConnectAsync(options);
        _stores.Add(store);
        store.Connection.ConnectionDisconnected += (_, _) =>
        {
            Interlocked.Increment(ref _disconnects);
            return ValueTask.CompletedTask;
        };
        return store;
    }

    private static NewEvent Event(string id, byte[] data) => new(id, "Test.Happened", 1, data, DateTimeOffset.UnixEpoch, "/tests", null, null);

    [Fact]
    public async Task Given_a_command_whose_key_is_500_kanji_when_sent_then_it_is_refused_with_ArgumentException_and_nothing_is_appended()
    {
        var store = await OpenAsync();
        var bus = Buses.Create(store);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => bus.SendAsync(new Open(LongKey, 0m)));

        Assert.Contains("4,500 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("max_control_line", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ReadAllAsync(0, 10));
        Assert.True((await bus.SendAsync(new Open("after", 0m))).IsAccepted);
        Assert.Equal(0, Volatile.Read(ref _disconnects));
    }

    [Fact]
    public async Task Given_a_command_id_of_6000_characters_when_sent_then_it_is_refused_with_ArgumentException_and_nothing_is_appended()
    {
        var store = await OpenAsync();
        var bus = Buses.Create(store);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => bus.SendAsync(new Open("a-1", 0m), new CommandMetadata { CommandId = new string('c', 6000) }));

        Assert.Contains("command id", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ReadAllAsync(0, 10));
        Assert.True((await bus.SendAsync(new Open("a-1", 0m))).IsAccepted);
        Assert.Equal(0, Volatile.Read(ref _disconnects));
    }

    [Fact]
    public async Task Given_senders_on_other_streams_when_overlong_keys_and_ids_are_refused_meanwhile_then_every_sender_finishes_promptly_on_the_same_connection()
    {
        var store = await OpenAsync();
        var bus = Buses.Create(store);
        for (var a = 0; a < 4; a++) Assert.True((await bus.SendAsync(new Open($"acc-{a}", 0m))).IsAccepted);

        var slowest = TimeSpan.Zero;
        var senders = Enumerable.Range(0, 4).Select(a => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                var started = Stopwatch.GetTimestamp();
                Assert.True((await bus.SendAsync(new Deposit($"acc-{a}", 1m))).IsAccepted);
                var took = Stopwatch.GetElapsedTime(started);
                lock (this) slowest = took > slowest ? took : slowest;
            }
        })).ToList();
        var refused = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await Assert.ThrowsAsync<ArgumentException>(() => bus.SendAsync(new Open(LongKey + i, 0m)));
            await Assert.ThrowsAsync<ArgumentException>(() => bus.SendAsync(new Open($"x-{i}", 0m), new CommandMetadata { CommandId = new string('c', 6000) + i }));
        })).ToList();
        await Task.WhenAll(senders.Concat(refused)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(slowest < TimeSpan.FromSeconds(2), $"The slowest command took {slowest}.");
        Assert.Equal(0, Volatile.Read(ref _disconnects));
        Assert.Equal(4 + 4 * 25, (await store.ReadAllAsync(0, 1000)).Count);
    }

    [Fact]
    public async Task Given_an_append_over_the_servers_max_payload_when_appended_then_it_is_refused_with_ArgumentException_and_nothing_is_appended()
    {
        var store = await OpenAsync();
        var data = Encoding.UTF8.GetBytes("{\"s\":\"" + new string('x', (int)store.Connection.ServerInfo!.MaxPayload) + "\"}");

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.AppendAsync([new AppendRequest(new StreamId("Tests.Account", "big"), 0, [Event("e-1", data)]) { CommandId = "c-1" }]).AsTask());

        Assert.Contains("max_payload", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ReadAllAsync(0, 10));
        Assert.Equal(0, Volatile.Read(ref _disconnects));
    }

    [Fact]
    public async Task Given_a_snapshot_over_the_servers_max_payload_when_saved_then_it_is_refused_with_ArgumentException_and_none_is_stored()
    {
        var store = await OpenAsync();
        var stream = new StreamId("Tests.Account", "big");
        var snapshots = (ISnapshotStore)store;

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            snapshots.SaveAsync(new Snapshot(stream, 1, new byte[store.Connection.ServerInfo!.MaxPayload])).AsTask());

        Assert.Contains("max_payload", error.Message, StringComparison.Ordinal);
        Assert.Null(await snapshots.GetAsync(stream));
        Assert.Equal(0, Volatile.Read(ref _disconnects));
    }

    [Fact]
    public async Task Given_the_longest_stream_key_the_store_allows_then_it_is_appended_read_through_a_consumer_and_snapshotted_on_the_same_connection()
    {
        var store = await OpenAsync();
        var key = LongestAcceptedKey(store, "Tests.Account");
        var stream = new StreamId("Tests.Account", key);

        // More messages than a read takes one by one: the rest come through a consumer whose API subject holds the stream's.
        for (var i = 0; i < 40; i++)
            Assert.Equal(AppendStatus.Appended, (await store.AppendAsync([new AppendRequest(stream, i, [Event($"e-{i}", "{}"u8.ToArray())]) { CommandId = $"c-{i}" }]))[0].Status);
        await ((ISnapshotStore)store).SaveAsync(new Snapshot(stream, 40, "{}"u8.ToArray()));

        var read = new List<StoredEvent>();
        await foreach (var e in store.ReadStreamAsync(stream, 1)) read.Add(e);
        Assert.Equal(40, read.Count);
        Assert.Equal(40, (await ((ISnapshotStore)store).GetAsync(stream))!.Version);
        Assert.Equal(0, Volatile.Read(ref _disconnects));
    }

    [Fact]
    public async Task Given_a_projector_that_writes_an_overlong_document_key_when_it_runs_then_that_event_is_dead_lettered_and_the_projector_goes_on()
    {
        using var host = ProjectorHost<LongKeyLedger>();
        var store = (NatsStore)host.Services.GetRequiredService<IConcordanceStore>();
        store.Connection.ConnectionDisconnected += (_, _) =>
        {
            Interlocked.Increment(ref _disconnects);
            return ValueTask.CompletedTask;
        };
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();

        Assert.True((await bus.SendAsync(new Open(LongKeyLedger.MakesLongKey, 0m))).IsAccepted);
        Assert.True((await bus.SendAsync(new Open("after", 0m))).IsAccepted);

        var readModels = host.Services.GetRequiredService<IReadModels>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await readModels.GetAsync<AccountSummary>(LongKeyLedger.ProjectorName, "after") is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The projector never got past the event with the over-long key.");
            await Task.Delay(50);
        }
        var letter = Assert.Single(await host.Services.GetRequiredService<IDeadLetters>().ListAsync());
        Assert.Equal("projector:" + LongKeyLedger.ProjectorName, letter.Component);
        Assert.Contains("ArgumentException", letter.Error, StringComparison.Ordinal);
        Assert.Contains("max_control_line", letter.Error, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref _disconnects));
        await host.StopAsync();
    }

    [Fact]
    public async Task Given_a_batch_whose_documents_together_exceed_max_payload_when_projected_then_the_events_are_committed_one_at_a_time_and_none_is_lost()
    {
        using var host = ProjectorHost<BulkyLedger>();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        // Appended before the projector starts, so its first read takes all eight in one batch: 8 × ~400 KB of base64.
        for (var i = 0; i < 8; i++) Assert.True((await bus.SendAsync(new Open("bulky-" + i, 0m))).IsAccepted);

        await host.StartAsync();

        var readModels = host.Services.GetRequiredService<IReadModels>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await readModels.GetAsync<AccountSummary>(BulkyLedger.ProjectorName, "bulky-7") is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The projector never got past the batch too large to commit at once.");
            await Task.Delay(50);
        }
        for (var i = 0; i < 8; i++) Assert.NotNull(await readModels.GetAsync<AccountSummary>(BulkyLedger.ProjectorName, "bulky-" + i));
        Assert.Empty(await host.Services.GetRequiredService<IDeadLetters>().ListAsync());
        await host.StopAsync();
    }

    /// <summary>Projects each opened account with a 300,000-character note: one fits in a commit, eight do not.</summary>
    public sealed class BulkyLedger : IProjector
    {
        public const string ProjectorName = "Tests.BulkyLedger";

        private static readonly string Note = new('n', 300_000);

        public string Name => ProjectorName;

        public IReadOnlyList<Type> EventTypes { get; } = [typeof(Opened)];

        public ValueTask ProjectAsync(IEvent @event, ProjectionContext context)
        {
            if (@event is Opened e) context.Set(e.Account, new AccountSummary(e.Account, 0m, 1, Note));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A host (not started) with the account aggregate and <typeparamref name="TProjector"/> on a fresh prefix, retrying quickly.</summary>
    private IHost ProjectorHost<TProjector>() where TProjector : class, IProjector
    {
        var prefix = server.FreshOptions().Prefix;
        _prefixes.Add(prefix);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddConcordance(o =>
        {
            o.UseNats(server.Url, n =>
            {
                n.Prefix = prefix;
                n.PollInterval = TimeSpan.FromMilliseconds(50);
            });
            o.Processing.MaxAttempts = 2;
            o.Processing.RetryDelay = TimeSpan.FromMilliseconds(10);
            o.Processing.IdlePollInterval = TimeSpan.FromMilliseconds(100);
        })
        .AddMessages(AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>().AddProjector<TProjector>();
        return builder.Build();
    }

    /// <summary>Projects each opened account under its own key, except one whose read model it keys with 500 × '日'.</summary>
    public sealed class LongKeyLedger : IProjector
    {
        public const string ProjectorName = "Tests.LongKeyLedger";

        public const string MakesLongKey = "long";

        public string Name => ProjectorName;

        public IReadOnlyList<Type> EventTypes { get; } = [typeof(Opened)];

        public ValueTask ProjectAsync(IEvent @event, ProjectionContext context)
        {
            if (@event is Opened e) context.Set(e.Account == MakesLongKey ? LongKey : e.Account, new AccountSummary(e.Account, 0m, 1, "opened"));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The longest ASCII key the store's check lets an append to <paramref name="category"/> have.</summary>
    private static string LongestAcceptedKey(NatsStore store, string category)
    {
        for (var length = 4096; length > 0; length--)
        {
            var key = new string('k', length);
            try
            {
                store.EnsureAppendFits(new AppendRequest(new StreamId(category, key), 0, [Event("probe", "{}"u8.ToArray())]) { CommandId = "probe" });
                return key;
            }
            catch (ArgumentException)
            {
            }
        }
        throw new InvalidOperationException("No key length is accepted.");
    }
}
