using System.Text;
using Concordance.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>A component's reads go through its durable consumers, one per stream category, merged in log order.</summary>
public sealed class ComponentConsumerTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private const string Component = "projector:Tests.Ledger";
    private readonly NatsStoreOptions _options = server.FreshOptions();
    private NatsStore _store = null!;
    private NatsConnection _admin = null!;

    private string EventsStream => _options.Prefix + "_EVENTS";

    private static NewEvent Event(string id, string type) =>
        new(id, type, 1, Encoding.UTF8.GetBytes("{}"), DateTimeOffset.UnixEpoch, "/tests", null, null);

    private static EventFilter ComponentFilter(params string[] categories) =>
        new(new HashSet<string> { "Test.A", "Test.B" }) { Component = Component, Categories = categories.ToHashSet() };

    /// <summary>Appends <paramref name="count"/> appends to streams of <paramref name="category"/>, each of one to three events (types A, B, A).</summary>
    private static async Task<List<string>> AppendAsync(NatsStore store, string category, int count, int streams = 3, string batch = "")
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var stream = new StreamId(category, "s" + (i % streams));
            var events = new[] { Event($"{category}/{batch}{i}-0", "Test.A"), Event($"{category}/{batch}{i}-1", "Test.B"), Event($"{category}/{batch}{i}-2", "Test.A") }.Take(1 + (i % 3)).ToArray();
            var result = (await store.AppendAsync([new AppendRequest(stream, ExpectedVersion.Any, events)]))[0];
            Assert.Equal(AppendStatus.Appended, result.Status);
            ids.AddRange(events.Select(e => e.Id));
        }
        return ids;
    }

    private static async Task<List<StoredEvent>> ReadToEndAsync(NatsStore store, long after, int pageSize, EventFilter filter)
    {
        var all = new List<StoredEvent>();
        while (true)
        {
            var page = await store.ReadAllAsync(after, pageSize, filter);
            if (page.Count == 0) return all;
            all.AddRange(page);
            after = page[^1].Position;
        }
    }

    private async Task<ConsumerInfo?> ConsumerInfoAsync(string name)
    {
        try
        {
            return (await new NatsJSContext(_admin).GetConsumerAsync(EventsStream, name)).Info;
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            return null;
        }
    }

    [Fact]
    public async Task Given_a_component_reading_two_categories_then_one_durable_consumer_per_category_filters_on_the_servers_side_and_only_their_events_come()
    {
        var a = await AppendAsync(_store, "Cat.A", 6);
        var b = await AppendAsync(_store, "Cat.B", 5);
        var c = await AppendAsync(_store, "Cat.C", 4);

        var read = await ReadToEndAsync(_store, 0, 4, ComponentFilter("Cat.A", "Cat.C"));

        Assert.Equal(a.Concat(c), read.Select(e => e.Id));
        var consumerA = await ConsumerInfoAsync(_store.ComponentConsumerName(Component, "Cat.A"));
        var consumerC = await ConsumerInfoAsync(_store.ComponentConsumerName(Component, "Cat.C"));
        Assert.NotNull(consumerA);
        Assert.NotNull(consumerC);
        Assert.Equal(_options.Prefix + ".ev.Cat=2EA.*", consumerA.Config.FilterSubject);
        Assert.Equal(_options.Prefix + ".ev.Cat=2EC.*", consumerC.Config.FilterSubject);
        Assert.Equal(_store.ComponentConsumerName(Component, "Cat.A"), consumerA.Config.DurableName);
        Assert.Equal(ConsumerConfigAckPolicy.None, consumerA.Config.AckPolicy);
        Assert.Equal(_options.Replicas, consumerA.Config.NumReplicas is 0 ? 1 : consumerA.Config.NumReplicas);
        // Each consumer delivered exactly its category's messages: one per append.
        Assert.Equal(6ul, consumerA.Delivered.ConsumerSeq);
        Assert.Equal(4ul, consumerC.Delivered.ConsumerSeq);
        Assert.Null(await ConsumerInfoAsync(_store.ComponentConsumerName(Component, "Cat.B")));
        Assert.NotEmpty(b);
    }

    [Fact]
    public async Task Given_a_component_that_stops_reading_then_the_server_deletes_its_durable_after_the_inactive_threshold_and_a_later_read_recreates_it_and_misses_nothing()
    {
        var options = server.FreshOptions();
        options.ComponentConsumerInactiveThreshold = TimeSpan.FromSeconds(1);
        await using var store = await NatsStore.ConnectAsync(options);
        var name = store.ComponentConsumerName(Component, "Cat.A");
        async Task<ConsumerInfo?> Info()
        {
            try
            {
                return (await new NatsJSContext(_admin).GetConsumerAsync(options.Prefix + "_EVENTS", name)).Info;
            }
            catch (NatsJSApiException ex) when (ex.Error.Code == 404)
            {
                return null;
            }
        }
        try
        {
            var first = await AppendAsync(store, "Cat.A", 3);
            var read = await ReadToEndAsync(store, 0, 10, ComponentFilter("Cat.A"));
            Assert.Equal(first, read.Select(e => e.Id));
            Assert.Equal(TimeSpan.FromSeconds(1), (await Info())?.Config.InactiveThreshold);

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await Info() is not null && DateTime.UtcNow < deadline) await Task.Delay(200);
            Assert.Null(await Info());

            var later = await AppendAsync(store, "Cat.A", 2, batch: "later");
            var resumed = await ReadToEndAsync(store, read[^1].Position, 10, ComponentFilter("Cat.A"));
            Assert.Equal(later, resumed.Select(e => e.Id));
            Assert.NotNull(await Info());
        }
        finally
        {
            await server.DeleteStreamsAsync(options.Prefix);
        }
    }

    [Fact]
    public async Task Given_a_component_whose_categories_are_unknown_then_it_reads_every_stream_through_one_durable_consumer()
    {
        var a = await AppendAsync(_store, "Cat.A", 4);
        var b = await AppendAsync(_store, "Cat.B", 4);
        var filter = new EventFilter(new HashSet<string> { "Test.A", "Test.B" }) { Component = Component };

        var read = await ReadToEndAsync(_store, 0, 3, filter);

        Assert.Equal(a.Concat(b), read.Select(e => e.Id));
        var consumer = await ConsumerInfoAsync(_store.ComponentConsumerName(Component, null));
        Assert.NotNull(consumer);
        Assert.Equal(_options.Prefix + ".ev.>", consumer.Config.FilterSubject);
    }

    [Fact]
    public async Task Given_a_component_wanting_some_types_of_a_category_then_only_those_events_come()
    {
        var a = await AppendAsync(_store, "Cat.A", 6);
        var filter = new EventFilter(new HashSet<string> { "Test.B" }) { Component = Component, Categories = new HashSet<string> { "Cat.A" } };

        var read = await ReadToEndAsync(_store, 0, 2, filter);

        Assert.Equal(a.Where(id => id.EndsWith("-1", StringComparison.Ordinal)), read.Select(e => e.Id));
    }

    [Fact]
    public async Task Given_two_categories_appended_concurrently_while_the_component_reads_then_it_gets_every_event_of_both_once_in_log_order()
    {
        await using var writerA = await NatsStore.ConnectAsync(_options);
        await using var writerB = await NatsStore.ConnectAsync(_options);
        await using var writerC = await NatsStore.ConnectAsync(_options);
        var filter = ComponentFilter("Cat.A", "Cat.B");
        var writing = Task.WhenAll(AppendAsync(writerA, "Cat.A", 80, streams: 7), AppendAsync(writerB, "Cat.B", 80, streams: 5), AppendAsync(writerC, "Cat.C", 40));
        var read = new List<StoredEvent>();
        var after = 0L;
        while (true)
        {
            var done = writing.IsCompleted;
            var page = await _store.ReadAllAsync(after, 7, filter);
            read.AddRange(page);
            if (page.Count > 0) after = page[^1].Position;
            else if (done) break;
        }
        await writing;

        // The reference: the whole log read without a component (one ephemeral reader over every stream).
        var log = await ReadToEndAsync(_store, 0, 1000, new EventFilter(new HashSet<string> { "Test.A", "Test.B" }));
        Assert.Equal(log.Where(e => e.Stream.Category != "Cat.C").Select(e => e.Id), read.Select(e => e.Id));
        Assert.True(read.Zip(read.Skip(1)).All(p => p.First.Position < p.Second.Position));
        Assert.Equal(2 * (80 / 3 * 6 + 3), read.Count);
    }

    [Fact]
    public async Task Given_a_component_that_read_part_of_the_log_when_a_new_process_reads_after_its_checkpoint_then_it_resumes_there_through_the_same_durable()
    {
        var a = await AppendAsync(_store, "Cat.A", 10);
        var firstPage = await _store.ReadAllAsync(0, 8, ComponentFilter("Cat.A"));
        var checkpoint = firstPage[^1].Position;
        // A later page the component never committed: the next process starts from the checkpoint, not from here.
        await _store.ReadAllAsync(checkpoint, 4, ComponentFilter("Cat.A"));
        await _store.DisposeAsync();
        List<string> more;
        await using (var writer = await NatsStore.ConnectAsync(_options)) more = await AppendAsync(writer, "Cat.A", 3, batch: "more");

        await using var restarted = await NatsStore.ConnectAsync(_options);
        var rest = await ReadToEndAsync(restarted, checkpoint, 5, ComponentFilter("Cat.A"));

        Assert.Equal(a.Concat(more).Skip(8), rest.Select(e => e.Id));
        var consumer = await ConsumerInfoAsync(restarted.ComponentConsumerName(Component, "Cat.A"));
        Assert.NotNull(consumer);
        Assert.Equal(EventMessage.SequenceOf(checkpoint), consumer.Config.OptStartSeq);
        // Asked for an earlier position (a rebuilt checkpoint), the durable starts over there.
        Assert.Equal(a.Concat(more), (await ReadToEndAsync(restarted, 0, 6, ComponentFilter("Cat.A"))).Select(e => e.Id));
    }

    [Fact]
    public async Task Given_a_components_durable_deleted_on_the_server_between_pages_then_the_reads_carry_on_without_a_gap()
    {
        var a = await AppendAsync(_store, "Cat.A", 12);
        var b = await AppendAsync(_store, "Cat.B", 12);
        var js = new NatsJSContext(_admin);
        var read = new List<StoredEvent>();
        var after = 0L;
        for (var pages = 0; ; pages++)
        {
            var page = await _store.ReadAllAsync(after, 3, ComponentFilter("Cat.A", "Cat.B"));
            if (page.Count == 0) break;
            read.AddRange(page);
            after = page[^1].Position;
            if (pages % 2 != 0) continue;
            try
            {
                await js.DeleteConsumerAsync(EventsStream, _store.ComponentConsumerName(Component, pages % 4 == 0 ? "Cat.A" : "Cat.B"));
            }
            catch (NatsJSApiException ex) when (ex.Error.Code == 404)
            {
                // Deleted before and not needed again yet.
            }
        }

        Assert.Equal(a.Concat(b), read.Select(e => e.Id));
    }

    [Fact]
    public async Task Given_a_component_reading_on_from_where_it_stopped_then_its_durable_is_kept_within_a_session_and_created_afresh_in_a_new_one()
    {
        var first = await AppendAsync(_store, "Cat.A", 4, batch: "first");
        var name = _store.ComponentConsumerName(Component, "Cat.A");
        var page = await _store.ReadAllAsync(0, 100, ComponentFilter("Cat.A") with { Session = "run 1" });
        var created = (await ConsumerInfoAsync(name))!.Created;
        var second = await AppendAsync(_store, "Cat.A", 2, batch: "second");

        var sameSession = await _store.ReadAllAsync(page[^1].Position, 100, ComponentFilter("Cat.A") with { Session = "run 1" });
        var keptWithinTheSession = (await ConsumerInfoAsync(name))!.Created;
        // The worker restarted (a failure, or its lease lost and taken back): another host may have moved the durable.
        var third = await AppendAsync(_store, "Cat.A", 2, batch: "third");
        var newSession = await _store.ReadAllAsync(sameSession[^1].Position, 100, ComponentFilter("Cat.A") with { Session = "run 2" });
        var afterTheNewSession = (await ConsumerInfoAsync(name))!.Created;

        Assert.Equal(first, page.Select(e => e.Id));
        Assert.Equal(second, sameSession.Select(e => e.Id));
        Assert.Equal(third, newSession.Select(e => e.Id));
        Assert.Equal(created, keptWithinTheSession);
        Assert.NotEqual(keptWithinTheSession, afterTheNewSession);
    }

    [Fact]
    public async Task Given_another_host_that_ran_the_component_from_the_same_checkpoint_meanwhile_when_this_host_reads_on_from_there_in_a_new_session_then_it_skips_nothing()
    {
        var first = await AppendAsync(_store, "Cat.A", 5, batch: "first");
        var page = await _store.ReadAllAsync(0, 100, ComponentFilter("Cat.A") with { Session = "this host, first run" });
        var checkpoint = page[^1].Position;
        // This host loses the lease; another takes over at the same checkpoint, reads what came next (as many messages
        // as this host had read: the durable's consumer sequence ends where this host's did), and dies before committing.
        var second = await AppendAsync(_store, "Cat.A", 5, batch: "second");
        await using (var other = await NatsStore.ConnectAsync(_options))
            Assert.Equal(second, (await other.ReadAllAsync(checkpoint, 100, ComponentFilter("Cat.A") with { Session = "other host" })).Select(e => e.Id));
        var third = await AppendAsync(_store, "Cat.A", 3, batch: "third");

        // This host takes the lease back: its worker restarted, so it reads in a new session.
        var rest = await ReadToEndAsync(_store, checkpoint, 100, ComponentFilter("Cat.A") with { Session = "this host, after the lease came back" });

        Assert.Equal(first, page.Select(e => e.Id));
        Assert.Equal(second.Concat(third), rest.Select(e => e.Id));
    }

    public async Task InitializeAsync()
    {
        _store = await NatsStore.ConnectAsync(_options);
        _admin = new NatsConnection(NatsOpts.Default with { Url = server.Url });
        await _admin.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _admin.DisposeAsync();
        await server.DeleteStreamsAsync(_options.Prefix);
    }
}
