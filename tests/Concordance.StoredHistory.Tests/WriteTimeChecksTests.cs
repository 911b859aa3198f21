using Concordance.Nats.Tests;
using Concordance.Storage;
using History;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concordance.StoredHistory.Tests;

/// <summary>
/// Nothing is written that cannot be read back: each value the reader would refuse is refused when it is sent, with
/// an error naming the message type and field, nothing is appended, and after a restart (new services over the same
/// store: no cache) the aggregate and the projector read the whole history. Run on SQLite and on NATS.
/// </summary>
public abstract class WriteTimeChecksTests
{
    /// <summary>Selects this run's store: the same one every time it is called.</summary>
    protected abstract void UseStore(ConcordanceOptions options);

    private ServiceProvider Start()
    {
        var services = new ServiceCollection();
        services.AddConcordance(UseStore).AddGeneratedComponents();
        return services.BuildServiceProvider();
    }

    /// <summary>How many events the log holds (positions are not counts on every store).</summary>
    private static async Task<int> EventCountAsync(ServiceProvider services) =>
        (await services.GetRequiredService<IConcordanceStore>().Events.ReadAllAsync(0, 1000)).Count;

    /// <summary>Rebuilds the projector from the start of the log; returns the events, the dead letters and the ledger's view.</summary>
    private static async Task<(int Events, IReadOnlyList<DeadLetter> DeadLetters, LedgerView? View)> ReadBackAsync(ServiceProvider services, string ledger)
    {
        await services.GetRequiredService<IProjectionRebuilder>().RebuildAsync("History.Ledgers");
        return (await EventCountAsync(services), await services.GetRequiredService<IConcordanceStore>().DeadLetters.ListAsync(),
            await services.GetRequiredService<IReadModels>().GetAsync<LedgerView>("History.Ledgers", ledger));
    }

    [Fact]
    public async Task Given_a_command_with_a_null_required_field_when_sent_then_it_is_refused_naming_the_field_and_nothing_is_stored()
    {
        await using (var services = Start())
        {
            var bus = services.GetRequiredService<ICommandBus>();

            var refused = await Assert.ThrowsAsync<InvalidMessageException>(() => bus.SendAsync(new Open("L1", null!)));

            Assert.Equal("History.Open.owner", refused.Path);
            Assert.Contains("History.Open.owner must not be null", refused.Message);
            Assert.Equal(0, await EventCountAsync(services));
            Assert.True((await bus.SendAsync(new Open("L1", "ann"))).IsAccepted);
        }
        await using (var restarted = Start())
        {
            var renamed = await restarted.GetRequiredService<ICommandBus>().SendAsync(new Rename("L1", "bob"));

            Assert.True(renamed.IsAccepted);
            Assert.Equal(2, renamed.Version);
            var (events, deadLetters, view) = await ReadBackAsync(restarted, "L1");
            Assert.Equal(2, events);
            Assert.Empty(deadLetters);
            Assert.Equal(new LedgerView("bob", 2, 0), view);
        }
    }

    [Fact]
    public async Task Given_a_handler_deciding_an_event_with_a_null_required_field_when_sent_then_the_command_fails_and_the_aggregate_keeps_working()
    {
        await using (var services = Start())
        {
            var bus = services.GetRequiredService<ICommandBus>();
            await bus.SendAsync(new Open("L1", "ann"));

            var refused = await Assert.ThrowsAsync<InvalidMessageException>(() => bus.SendAsync(new Rename("L1", "")));

            Assert.Equal("History.Renamed.name", refused.Path);
            Assert.Contains("decided for History.Rename", refused.Message);
            Assert.Equal(1, await EventCountAsync(services));
            var next = await bus.SendAsync(new Rename("L1", "bob"));
            Assert.True(next.IsAccepted);
            Assert.Equal(2, next.Version);
        }
        await using (var restarted = Start())
        {
            Assert.Equal(3, (await restarted.GetRequiredService<ICommandBus>().SendAsync(new Rename("L1", "cy"))).Version);
            var (events, deadLetters, view) = await ReadBackAsync(restarted, "L1");
            Assert.Equal(3, events);
            Assert.Empty(deadLetters);
            Assert.Equal(new LedgerView("cy", 3, 0), view);
        }
    }

    [Fact]
    public async Task Given_nesting_at_the_depth_limit_when_sent_then_it_is_stored_and_read_back_and_one_level_more_is_refused()
    {
        // The event object is one level, each node one more: 63 nodes nest exactly MessageLimits.MaxDepth (64) deep.
        var atLimit = MessageLimits.MaxDepth - 1;
        await using (var services = Start())
        {
            var bus = services.GetRequiredService<ICommandBus>();
            await bus.SendAsync(new Open("L1", "ann"));

            Assert.True((await bus.SendAsync(new Chain("L1", atLimit))).IsAccepted);
            var refused = await Assert.ThrowsAsync<InvalidMessageException>(() => bus.SendAsync(new Chain("L1", atLimit + 1)));

            Assert.Equal("History.Chained", refused.Path);
            Assert.Contains($"deeper than {MessageLimits.MaxDepth} levels", refused.Message);
            Assert.Equal(2, await EventCountAsync(services));
        }
        await using (var restarted = Start())
        {
            // Loading the stream replays the deep event; the projector reads it too.
            Assert.Equal(3, (await restarted.GetRequiredService<ICommandBus>().SendAsync(new Rename("L1", "bob"))).Version);
            var (_, deadLetters, view) = await ReadBackAsync(restarted, "L1");
            Assert.Empty(deadLetters);
            Assert.Equal(new LedgerView("bob", 3, atLimit), view);
        }
    }

    // By index: xunit's own serialisation of theory data would turn a lone surrogate into U+FFFD before the test ran.
    private static readonly string[] KeysWithLoneSurrogates = ["\uD800", "\uDC00", "a\uDE00\uD83D"];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Given_a_key_with_a_lone_surrogate_when_sent_then_it_is_refused_and_cannot_share_the_replacement_characters_stream(int keyIndex)
    {
        var key = KeysWithLoneSurrogates[keyIndex];
        await using (var services = Start())
        {
            var bus = services.GetRequiredService<ICommandBus>();

            var refused = await Assert.ThrowsAsync<InvalidMessageException>(() => bus.SendAsync(new Open(key, "mallory")));

            Assert.Equal("History.Open.id", refused.Path);
            Assert.Contains("lone surrogate", refused.Message);
            Assert.Equal(1, (await bus.SendAsync(new Open("\uFFFD", "ann"))).Version);
            Assert.Equal(1, (await bus.SendAsync(new Open("a\uD83D\uDE00", "bob"))).Version);
        }
        await using (var restarted = Start())
        {
            var store = restarted.GetRequiredService<IConcordanceStore>();
            Assert.Equal(1, await store.Events.GetStreamVersionAsync(new StreamId("History.Ledger", "\uFFFD")));
            Assert.Equal("ann", (await ReadBackAsync(restarted, "\uFFFD")).View?.Owner);
            Assert.Equal(2, await EventCountAsync(restarted));
        }
    }

    [Theory]
    [InlineData("cmd-1\r\nNats-Expected-Stream: other")]
    [InlineData("cmd-1\n")]
    public async Task Given_a_command_id_with_a_line_break_when_sent_then_it_is_refused_on_every_store(string commandId)
    {
        await using var services = Start();
        var bus = services.GetRequiredService<ICommandBus>();

        var refused = await Assert.ThrowsAsync<InvalidMessageException>(() => bus.SendAsync(new Open("L1", "ann"), new CommandMetadata { CommandId = commandId }));

        Assert.Contains("line break", refused.Message);
        Assert.Equal(0, await EventCountAsync(services));
    }

    [Fact]
    public async Task Given_a_command_id_with_a_lone_surrogate_when_sent_then_it_is_refused_and_nothing_is_recorded()
    {
        await using var services = Start();
        var bus = services.GetRequiredService<ICommandBus>();

        var refused = await Assert.ThrowsAsync<InvalidMessageException>(() => bus.SendAsync(new Open("L1", "ann"), new CommandMetadata { CommandId = "cmd-\uD800" }));

        Assert.Equal("the command id", refused.Path);
        Assert.Equal(0, await EventCountAsync(services));
        Assert.Null(await services.GetRequiredService<IConcordanceStore>().Events.FindCommandAsync("cmd-\uFFFD"));
        Assert.True((await bus.SendAsync(new Open("L1", "ann"), new CommandMetadata { CommandId = "cmd-\uFFFD" })).IsAccepted);
    }
}

/// <summary>The write-time checks on a real SQLite file.</summary>
public sealed class WriteTimeChecksOnSqliteTests : WriteTimeChecksTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("concordance-history-").FullName;

    protected override void UseStore(ConcordanceOptions options) => options.UseSqlite($"Data Source={Path.Combine(_directory, "history.db")}");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The write-time checks on a real nats-server.</summary>
public sealed class WriteTimeChecksOnNatsTests(NatsServerFixture server) : WriteTimeChecksTests, IClassFixture<NatsServerFixture>
{
    private readonly string _prefix = "h" + Guid.NewGuid().ToString("N")[..12];

    protected override void UseStore(ConcordanceOptions options) => options.UseNats(server.Url, n => n.Prefix = _prefix);
}
