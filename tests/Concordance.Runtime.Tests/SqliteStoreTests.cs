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
        Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar("SELECT COUNT(*) FROM concordance_schema"));
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
        Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar("SELECT COUNT(*) FROM concordance_schema"));
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
    [InlineData("UPDATE events SET type = NULL WHERE id = 'e2'", "type is missing", "{\"n\":1}")]
    [InlineData("UPDATE events SET data = NULL WHERE id = 'e2'", "data is missing", "")]
    [InlineData("UPDATE events SET schema_version = 9999999999 WHERE id = 'e2'", "overflow", "{\"n\":1}")]
    public async Task Given_a_torn_row_when_reading_then_it_comes_in_its_place_with_the_problem_and_its_raw_data_and_nothing_else_is_lost(string corruption, string problem, string rawData)
    {
        await using var store = SqliteStore.Open(_database.ConnectionString);
        await store.Events.AppendAsync([new AppendRequest(A, 0, [Event("e1"), Event("e2"), Event("e3")]), new AppendRequest(B, 0, [Event("b1")])]);
        var position = (long)Scalar("SELECT position FROM events WHERE id = 'e2'")!;
        Execute(corruption);

        var fromStream = new List<StoredEvent>();
        await foreach (var e in store.Events.ReadStreamAsync(A, 1)) fromStream.Add(e);
        var fromLog = await store.Events.ReadAllAsync(0, 10, new EventFilter(new HashSet<string> { "Test.Happened" }));

        Assert.Equal(["e1", "e2", "e3"], fromStream.Select(e => e.Id));
        Assert.Equal(["e1", "e2", "e3", "b1"], fromLog.Select(e => e.Id));
        foreach (var torn in new[] { fromStream[1], fromLog[1] })
        {
            Assert.Equal((A, 2L, position), (torn.Stream, torn.Version, torn.Position));
            Assert.Contains(problem, torn.Problem, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(rawData, Encoding.UTF8.GetString(torn.Data.Span));
        }
        Assert.All(fromLog.Where(e => e.Id != "e2"), e => Assert.Null(e.Problem));
        var appended = await store.Events.AppendAsync([new AppendRequest(A, 3, [Event("e4")])]);
        Assert.Equal(AppendStatus.Appended, appended[0].Status);
    }

    [Fact]
    public async Task Given_rows_whose_repeated_text_changes_from_row_to_row_when_reading_then_each_row_has_its_own_values()
    {
        // The reader decodes a category, type or source once per run of equal values: values of the same length that
        // differ, and text beyond ASCII, must still come back as stored.
        await using var store = SqliteStore.Open(_database.ConnectionString);
        StreamId[] streams = [new("Cat.A", "k1"), new("Cat.B", "k1"), new("Kätt", "ä"), new("Kätt", "ö"), new("Cat.A", "k1")];
        string[] types = ["Test.One", "Test.Two", "Test.Två", "Test.Två", "Test.One"];
        string[] sources = ["/a", "/b", "/ä", "/a", "/a"];
        var versions = new Dictionary<StreamId, long>();
        for (var i = 0; i < streams.Length; i++)
        {
            var version = versions.GetValueOrDefault(streams[i]);
            await store.Events.AppendAsync([new AppendRequest(streams[i], version,
                [new NewEvent($"e{i}", types[i], 1, Encoding.UTF8.GetBytes("{}"), DateTimeOffset.UnixEpoch, sources[i], $"corr-{i}", null)])]);
            versions[streams[i]] = version + 1;
        }

        var all = await store.Events.ReadAllAsync(0, 10);
        var filtered = await store.Events.ReadAllAsync(0, 10, new EventFilter(new HashSet<string> { "Test.Två", "Test.Two" }));
        var fromStream = new List<StoredEvent>();
        await foreach (var e in store.Events.ReadStreamAsync(new StreamId("Kätt", "ö"), 1)) fromStream.Add(e);

        Assert.Equal(streams, all.Select(e => e.Stream));
        Assert.Equal(types, all.Select(e => e.Type));
        Assert.Equal(sources, all.Select(e => e.Source));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"corr-{i}"), all.Select(e => e.CorrelationId));
        Assert.All(all, e => Assert.Null(e.Problem));
        Assert.Equal(["e1", "e2", "e3"], filtered.Select(e => e.Id));
        Assert.Equal(("e3", "Test.Två", "/a"), (fromStream.Single().Id, fromStream.Single().Type, fromStream.Single().Source));
    }

    [Fact]
    public async Task Given_documents_of_every_size_when_committed_then_each_reads_back_byte_for_byte_and_a_later_commit_replaces_it()
    {
        await using var store = SqliteStore.Open(_database.ConnectionString);
        var documents = new[] { "", "{}", new string('x', 100_000), "{\"name\":\"Åsa\"}" }
            .Select((json, i) => new DocumentWrite("p", $"k{i}", Encoding.UTF8.GetBytes(json))).ToArray();

        Assert.True(await store.Components.CommitAsync(new ComponentCommit("p", 0, 1) { Documents = documents }));
        Assert.True(await store.Components.CommitAsync(new ComponentCommit("p", 1, 2) { Documents = [new DocumentWrite("p", "k1", Encoding.UTF8.GetBytes("{\"v\":2}"))] }));

        foreach (var (write, i) in documents.Select((d, i) => (d, i)))
        {
            var stored = await store.Components.GetDocumentAsync("p", write.Key);
            Assert.NotNull(stored);
            Assert.Equal(i == 1 ? "{\"v\":2}" : Encoding.UTF8.GetString(write.Data!.Value.Span), Encoding.UTF8.GetString(stored.Data.Span));
            Assert.Equal(i == 1 ? 2 : 1, stored.Position);
        }
    }

    [Fact]
    public async Task Given_a_row_with_truncated_json_when_reading_then_the_store_returns_its_bytes_as_stored_and_the_reader_names_stream_version_and_cause()
    {
        await using var store = SqliteStore.Open(_database.ConnectionString);
        await store.Events.AppendAsync([new AppendRequest(A, 0, [Event("e1"), Event("e2")])]);
        Execute("UPDATE events SET data = CAST('{\"n\":' AS BLOB) WHERE id = 'e2'");

        var torn = (await store.Events.ReadAllAsync(0, 10))[1];
        var catalog = new ComponentCatalog();
        catalog.Add(Processing.ProcessingMessages.Describe<Processing.PayoutApproved>("Test.Happened"));
        var error = Assert.Throws<CorruptEventException>(() => new MessageSerializer(catalog).Deserialize(torn));

        Assert.Null(torn.Problem);
        Assert.Equal("{\"n\":", Encoding.UTF8.GetString(torn.Data.Span));
        Assert.Equal((A, 2L, torn.Position), (error.Stream, error.Version, error.Position));
        Assert.StartsWith($"The stored event at version 2 of stream 'Test.Account/a' (global position {torn.Position}) cannot be read: Test.Happened v1:", error.Message);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public async Task Given_a_file_whose_dead_letters_predate_their_event_data_when_opened_then_it_is_migrated_and_the_old_letter_reads_without_data()
    {
        await using (SqliteStore.Open(_database.ConnectionString)) { }
        // The file as the first schema version left it, with one dead letter.
        Execute(DropTraceContext + "ALTER TABLE dead_letters DROP COLUMN data; ALTER TABLE dead_letters DROP COLUMN schema_version; DELETE FROM concordance_schema WHERE version > 1;" +
            "INSERT INTO dead_letters (id, component, position, category, stream_key, event_id, event_type, error, attempts, failed_at) " +
            "VALUES ('d1', 'projector:Ledger', 7, 'Test.Account', 'a', 'e7', 'Test.Happened', 'boom', 3, 0)");

        await using var store = SqliteStore.Open(_database.ConnectionString);

        var letter = await store.DeadLetters.GetAsync("d1");
        Assert.Equal(new DeadLetter("d1", "projector:Ledger", 7, A, "e7", "Test.Happened", "boom", 3, new DateTimeOffset(0, TimeSpan.Zero)), letter);
        Assert.Null(letter!.Data);
        Assert.Equal(0, letter.SchemaVersion);
        Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar("SELECT MAX(version) FROM concordance_schema"));
    }

    /// <summary>Undoes migrations 5 (the dead letters' generation), 4 (the projections table) and 3 (the trace context columns of events and the outbox).</summary>
    private const string DropTraceContext =
        "ALTER TABLE dead_letters DROP COLUMN generation; DROP TABLE projections; ALTER TABLE events DROP COLUMN trace_parent; ALTER TABLE events DROP COLUMN trace_state; " +
        "ALTER TABLE outbox DROP COLUMN trace_parent; ALTER TABLE outbox DROP COLUMN trace_state; DELETE FROM concordance_schema WHERE version > 2;";

    [Fact]
    public async Task Given_a_file_whose_events_and_outbox_predate_the_trace_context_when_opened_then_it_is_migrated_and_they_read_without_one()
    {
        await using (var before = SqliteStore.Open(_database.ConnectionString))
        {
            await before.Events.AppendAsync([new AppendRequest(A, 0, [Event("e1")])]);
            await before.Components.CommitAsync(new ComponentCommit("process:Transfer", 0, 1)
            {
                Outbox = [new OutboxMessage("m1", "process:Transfer", "Test.Reserve", 1, "{}"u8.ToArray(), null, null, new DateTimeOffset(0, TimeSpan.Zero))],
            });
        }
        Execute(DropTraceContext);

        await using var store = SqliteStore.Open(_database.ConnectionString);

        var stored = Assert.Single(await store.Events.ReadAllAsync(0, 10));
        Assert.Equal(("e1", (string?)null, (string?)null), (stored.Id, stored.TraceParent, stored.TraceState));
        var pending = Assert.Single(await store.Outbox.GetPendingAsync(10));
        Assert.Equal(("m1", (string?)null), (pending.Id, pending.TraceParent));
        Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar("SELECT MAX(version) FROM concordance_schema"));
        Assert.Equal(5, SqliteSchema.CurrentVersion); // DropTraceContext undoes 3 to 5: a later migration must be undone there too
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
