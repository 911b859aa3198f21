using System.Text;
using Concordance.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>Reading the global log page by page: one consumer per reader, kept across pages, replaced when it is lost.</summary>
public sealed class GlobalLogReadTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private readonly NatsStoreOptions _options = server.FreshOptions();
    private NatsStore _store = null!;
    private NatsConnection _admin = null!;

    private static NewEvent Event(string id, string type) =>
        new(id, type, 1, Encoding.UTF8.GetBytes("{}"), DateTimeOffset.UnixEpoch, "/tests", null, null);

    /// <summary>Appends <paramref name="count"/> appends of three events each (types A, B, A) over five streams.</summary>
    private async Task<List<string>> AppendAsync(int from, int count)
    {
        var ids = new List<string>();
        for (var i = from; i < from + count; i++)
        {
            var stream = new StreamId("Log.Test", "s" + (i % 5));
            var version = await _store.GetStreamVersionAsync(stream);
            NewEvent[] events = [Event($"{i}-0", "Test.A"), Event($"{i}-1", "Test.B"), Event($"{i}-2", "Test.A")];
            Assert.Equal(AppendStatus.Appended, (await _store.AppendAsync([new AppendRequest(stream, version, events)]))[0].Status);
            ids.AddRange(events.Select(e => e.Id));
        }
        return ids;
    }

    private async Task<List<StoredEvent>> ReadAllInPagesAsync(long after, int pageSize, EventFilter? filter = null, Func<Task>? betweenPages = null)
    {
        var all = new List<StoredEvent>();
        while (true)
        {
            var page = await _store.ReadAllAsync(after, pageSize, filter);
            if (page.Count == 0) return all;
            Assert.True(page.Count <= pageSize);
            all.AddRange(page);
            after = page[^1].Position;
            if (betweenPages is not null) await betweenPages();
        }
    }

    private async Task<int> ReadConsumerCountAsync()
    {
        var count = 0;
        await foreach (var _ in new NatsJSContext(_admin).ListConsumerNamesAsync(_options.Prefix + "_EVENTS")) count++;
        return count;
    }

    [Fact]
    public async Task Given_a_log_of_multi_event_appends_when_read_in_pages_smaller_than_an_append_then_every_event_comes_once_in_order_through_one_consumer()
    {
        var ids = await AppendAsync(0, 40);
        var consumerCounts = new List<int>();

        var read = await ReadAllInPagesAsync(0, 2, betweenPages: async () => consumerCounts.Add(await ReadConsumerCountAsync()));

        Assert.Equal(ids, read.Select(e => e.Id));
        Assert.True(read.Zip(read.Skip(1)).All(p => p.First.Position < p.Second.Position));
        Assert.All(consumerCounts, c => Assert.Equal(1, c));
    }

    [Fact]
    public async Task Given_a_type_filter_when_read_in_pages_then_only_matching_events_come_and_appends_made_between_pages_are_seen()
    {
        var ids = await AppendAsync(0, 10);
        var filter = new EventFilter(new HashSet<string> { "Test.B" });
        var appended = false;

        var read = await ReadAllInPagesAsync(0, 3, filter, async () =>
        {
            if (appended) return;
            appended = true;
            ids.AddRange(await AppendAsync(10, 10));
        });

        Assert.Equal(ids.Where(id => id.EndsWith("-1", StringComparison.Ordinal)), read.Select(e => e.Id));
        Assert.All(read, e => Assert.Equal("Test.B", e.Type));
    }

    [Fact]
    public async Task Given_a_reader_whose_consumer_was_deleted_on_the_server_when_it_reads_the_next_page_then_it_carries_on_without_a_gap()
    {
        var ids = await AppendAsync(0, 20);
        var js = new NatsJSContext(_admin);
        var deleted = 0;

        var read = await ReadAllInPagesAsync(0, 4, betweenPages: async () =>
        {
            if (deleted++ % 3 != 0) return;
            var names = new List<string>();
            await foreach (var name in js.ListConsumerNamesAsync(_options.Prefix + "_EVENTS")) names.Add(name);
            foreach (var name in names) await js.DeleteConsumerAsync(_options.Prefix + "_EVENTS", name);
        });

        Assert.Equal(ids, read.Select(e => e.Id));
    }

    [Fact]
    public async Task Given_two_readers_at_different_places_then_each_reads_its_own_pages_and_an_earlier_position_is_read_again()
    {
        var ids = await AppendAsync(0, 10);
        var first = await _store.ReadAllAsync(0, 5);
        var second = await _store.ReadAllAsync(first[^1].Position, 5);

        var again = await _store.ReadAllAsync(0, 5);
        var fromMiddle = await _store.ReadAllAsync(second[2].Position, 4);

        Assert.Equal(ids.Take(10), first.Concat(second).Select(e => e.Id));
        Assert.Equal(ids.Take(5), again.Select(e => e.Id));
        Assert.Equal(ids.Skip(8).Take(4), fromMiddle.Select(e => e.Id));
        Assert.Empty(await _store.ReadAllAsync(await _store.GetHeadPositionAsync(), 5));
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
