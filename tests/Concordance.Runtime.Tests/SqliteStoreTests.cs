using System.Text;
using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Concordance.Runtime.Tests;

/// <summary>What the SQLite backend promises beyond the conformance suite: a real file, durable, migrated, loud about corruption.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static NewEvent Event(string id, string json = """{"n":1}""") =>
        new(id, "Test.Happened", 1, Encoding.UTF8.GetBytes(json), DateTimeOffset.UnixEpoch, "/tests", null, null);

    private static readonly StreamId A = new("Test.Account", "a");
    private static readonly StreamId B = new("Test.Account", "b");

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task Given_a_new_file_when_the_store_opens_then_it_is_in_WAL_mode_with_the_current_schema_version()
    {
        await using (SqliteStore.Open(_database.ConnectionString)) { }

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar("SELECT MAX(version) FROM concordance_schema"));
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM concordance_schema"));
    }

    [Fact]
    public async Task Given_a_store_with_events_when_it_is_reopened_then_everything_committed_is_there_and_migration_is_not_repeated()
    {
        await using (var store = SqliteStore.Open(_database.ConnectionString))
        {
            await store.Events.AppendAsync([new AppendRequest(A, 0, [Event("e1"), Event("e2")]) { CommandId = "c1" }]);
            await store.Components.CommitAsync(new ComponentCommit("p", 0, 2) { Documents = [new DocumentWrite("p", "k", Encoding.UTF8.GetBytes("{}"))] });
        }

        await using var reopened = SqliteStore.Open(_database.ConnectionString);

        Assert.Equal(2, await reopened.Events.GetStreamVersionAsync(A));
        Assert.NotNull(await reopened.Events.FindCommandAsync("c1"));
        Assert.Equal(2, await reopened.Components.GetCheckpointAsync("p"));
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM concordance_schema"));
    }

    [Fact]
    public async Task Given_a_batch_that_fails_after_its_first_request_was_written_then_nothing_of_it_stays_and_the_next_append_commits()
    {
        await using var store = SqliteStore.Open(_database.ConnectionString);
        await store.Events.AppendAsync([new AppendRequest(A, 0, [Event("e0")])]);
        var invalid = new AppendRequest(B, 0, [Event("b1")]) { CommandId = "c-bad", RejectionReason = "no" };

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await store.Events.AppendAsync([new AppendRequest(A, 1, [Event("e1"), Event("e2")]) { CommandId = "c-first", CommandIdSource = CommandIdSource.Given }, invalid]));

        Assert.Equal(1, await store.Events.GetStreamVersionAsync(A));
        Assert.Null(await store.Events.FindCommandAsync("c-first"));
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM events"));
        var next = await store.Events.AppendAsync([new AppendRequest(A, 1, [Event("e1")]) { CommandId = "c-first", CommandIdSource = CommandIdSource.Given }]);
        Assert.Equal(AppendStatus.Appended, next[0].Status);
        Assert.Equal(2, next[0].StreamVersion);
        Assert.Equal(2L, Scalar("SELECT COUNT(*) FROM events"));
        Assert.NotNull(await store.Events.FindCommandAsync("c-first"));
    }

    [Fact]
    public async Task Given_a_file_from_a_newer_runtime_when_opening_then_a_clear_error_is_raised()
    {
        await using (SqliteStore.Open(_database.ConnectionString)) { }
        Execute($"INSERT INTO concordance_schema (version) VALUES ({SqliteSchema.CurrentVersion + 1})");

        var error = Assert.Throws<InvalidOperationException>(() => SqliteStore.Open(_database.ConnectionString));

        Assert.Contains("newer", error.Message);
    }

    [Theory]
    [InlineData("UPDATE events SET data = CAST('{\"n\":' AS BLOB) WHERE id = 'e2'", "JSON")]
    [InlineData("UPDATE events SET type = NULL WHERE id = 'e2'", "type is missing")]
    [InlineData("UPDATE events SET data = NULL WHERE id = 'e2'", "data is missing")]
    public async Task Given_a_torn_row_when_reading_then_the_error_names_stream_and_position_and_nothing_else_is_lost(string corruption, string problem)
    {
        await using var store = SqliteStore.Open(_database.ConnectionString);
        await store.Events.AppendAsync([new AppendRequest(A, 0, [Event("e1"), Event("e2"), Event("e3")]), new AppendRequest(B, 0, [Event("b1")])]);
        var position = (long)Scalar("SELECT position FROM events WHERE id = 'e2'")!;
        Execute(corruption);

        var fromStream = await Assert.ThrowsAsync<CorruptEventException>(async () => { await foreach (var _ in store.Events.ReadStreamAsync(A, 1)) { } });
        var fromLog = await Assert.ThrowsAsync<CorruptEventException>(async () => await store.Events.ReadAllAsync(0, 10));

        foreach (var error in new[] { fromStream, fromLog })
        {
            Assert.Equal(A, error.Stream);
            Assert.Equal(position, error.Position);
            Assert.Contains($"position {position}", error.Message);
            Assert.Contains("'Test.Account/a'", error.Message);
            Assert.Contains(problem, error.Message, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(["e1"], (await store.Events.ReadAllAsync(0, 1)).Select(e => e.Id));
        Assert.Equal(["e3", "b1"], (await store.Events.ReadAllAsync(position, 10)).Select(e => e.Id));
        var appended = await store.Events.AppendAsync([new AppendRequest(A, 3, [Event("e4")])]);
        Assert.Equal(AppendStatus.Appended, appended[0].Status);
    }

    [Fact]
    public async Task Given_two_stores_on_one_file_when_both_append_concurrently_then_a_tailing_reader_misses_nothing()
    {
        await using var first = SqliteStore.Open(_database.ConnectionString);
        await using var second = SqliteStore.Open(_database.ConnectionString);
        var writers = new[] { first, second }.Select((store, w) => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
                await store.Events.AppendAsync([new AppendRequest(new StreamId("Test.Account", $"w{w}"), i, [Event($"w{w}-{i}")])]);
        })).ToArray();

        var seen = new List<long>();
        long after = 0;
        while (!writers.All(t => t.IsCompleted) || after < await first.Events.GetHeadPositionAsync())
        {
            foreach (var e in await second.Events.ReadAllAsync(after, 25))
            {
                seen.Add(e.Position);
                after = e.Position;
            }
        }
        await Task.WhenAll(writers);

        Assert.Equal(120, seen.Count);
        Assert.Equal((await first.Events.ReadAllAsync(0, 1000)).Select(e => e.Position), seen);
    }

    [Fact]
    public async Task Given_a_second_store_on_the_file_when_it_appends_then_a_waiter_on_the_first_store_wakes_by_polling()
    {
        await using var first = SqliteStore.Open(new SqliteStoreOptions { ConnectionString = _database.ConnectionString, PollInterval = TimeSpan.FromMilliseconds(20) });
        await using var second = SqliteStore.Open(_database.ConnectionString);
        var wait = first.Events.WaitForEventsAsync(0).AsTask();

        await second.Events.AppendAsync([new AppendRequest(A, 0, [Event("e1")])]);

        await wait.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(wait.IsCompletedSuccessfully);
    }
}
