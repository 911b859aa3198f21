using System.Text.Json;

namespace Concordance.Hosting.Commands.Tests;

/// <summary>The real <c>concordance</c> tool on a SQLite file the bank sample wrote: events, status, dead letters, export and import.</summary>
public sealed class SqliteStoreCommandsTests(BankStore bank) : IClassFixture<BankStore>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string[] Rows(Run run) => run.OutputLines.Skip(1).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToArray();

    [Fact]
    public void Given_the_bank_store_when_listing_events_then_every_event_shows_in_log_order_and_the_file_is_byte_identical()
    {
        var db = bank.CopyTo(_folder);
        var before = Processes.Hash(db);

        var run = Processes.Concordance("events", "--db", db);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["POSITION", "STREAM", "VERSION", "TYPE", "TIME"], run.OutputLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var rows = Rows(run);
        Assert.Equal(BankStore.StoryEvents.Select((e, i) => $"{i + 1} {e}"), rows.Select(r => string.Join(' ', r.Split(' ')[..4])));
        Assert.Equal(before, Processes.Hash(db));
        Assert.Equal([db], Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void Given_the_bank_store_when_listing_events_as_json_from_a_position_of_one_stream_then_each_line_is_one_event_with_its_data()
    {
        var db = bank.CopyTo(_folder);

        var run = Processes.Concordance("events", "--db", db, "--json", "--from", "3", "--stream", "Bank.BankAccount/ABC123");

        Assert.True(run.ExitCode == 0, run.ToString());
        var events = run.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([3L, 4, 5, 6, 8, 9, 10, 12], events.Select(e => e.GetProperty("position").GetInt64()));
        Assert.All(events, e => Assert.Equal("ABC123", e.GetProperty("key").GetString()));
        Assert.Equal(1000m, events[0].GetProperty("data").GetProperty("amount").GetDecimal());
        Assert.Equal("Bank.FundsDeposited", events[0].GetProperty("type").GetString());
    }

    [Fact]
    public void Given_the_bank_store_when_asking_status_then_each_component_shows_checkpoint_head_lag_and_dead_letters_and_the_file_is_byte_identical()
    {
        var db = bank.CopyTo(_folder);
        var before = Processes.Hash(db);

        var table = Processes.Concordance("status", "--db", db);
        var json = Processes.Concordance("status", "--db", db, "--json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Equal(["COMPONENT", "CHECKPOINT", "HEAD", "LAG", "DEAD", "LETTERS"], table.OutputLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var rows = json.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("component").GetString()!);
        Assert.Equal(["gateway:Bank.WireNetwork", "process:Bank.InterbankTransfer", "projector:Bank.AccountLedger"], rows.Keys);
        var ledger = rows["projector:Bank.AccountLedger"];
        Assert.Equal((12L, 12L, 0L, 0), (ledger.GetProperty("checkpoint").GetInt64(), ledger.GetProperty("head").GetInt64(), ledger.GetProperty("lag").GetInt64(), ledger.GetProperty("deadLetters").GetInt32()));
        var gateway = rows["gateway:Bank.WireNetwork"];
        Assert.Equal(gateway.GetProperty("head").GetInt64() - gateway.GetProperty("checkpoint").GetInt64(), gateway.GetProperty("lag").GetInt64());
        Assert.Contains(Rows(table), r => r.StartsWith("projector:Bank.AccountLedger 12 12 0 0", StringComparison.Ordinal));
        Assert.Equal(before, Processes.Hash(db));
    }

    [Fact]
    public async Task Given_a_poisoned_event_the_ledger_parked_when_listing_showing_and_discarding_dead_letters_then_the_tool_shows_it_and_only_discard_changes_the_file()
    {
        var db = bank.CopyTo(_folder);
        var id = await BankStore.PoisonAsync(db);
        var before = Processes.Hash(db);

        var list = Processes.Concordance("dead-letters", "list", "--db", db);
        var show = Processes.Concordance("dead-letters", "show", id, "--db", db, "--json");
        var status = Processes.Concordance("status", "--db", db, "--json");
        var unchanged = Processes.Hash(db);
        var discard = Processes.Concordance("dead-letters", "discard", id, "--db", db);
        var after = Processes.Concordance("dead-letters", "list", "--db", db);

        Assert.True(list.ExitCode == 0, list.ToString());
        var row = Assert.Single(Rows(list));
        Assert.StartsWith($"{id} projector:Bank.AccountLedger 13 Bank.BankAccount/ABC123 Bank.FundsDeposited 3 ", row);
        var letter = JsonDocument.Parse(Assert.Single(show.OutputLines)).RootElement;
        Assert.Equal("poison-1", letter.GetProperty("eventId").GetString());
        Assert.Equal("""{"accountNumber":"ABC1""", letter.GetProperty("data").GetString());
        Assert.Contains("cannot be read", letter.GetProperty("error").GetString());
        var ledger = status.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("component").GetString() == "projector:Bank.AccountLedger");
        Assert.Equal(1, ledger.GetProperty("deadLetters").GetInt32());
        Assert.Equal(before, unchanged);
        Assert.True(discard.ExitCode == 0, discard.ToString());
        Assert.Equal($"Discarded dead letter {id}.", discard.Output.Trim());
        Assert.Equal($"No dead letters in {db}.", after.Output.Trim());
    }

    [Fact]
    public void Given_an_export_of_the_bank_store_when_importing_it_into_a_new_file_then_its_export_is_the_same_and_a_second_import_is_refused()
    {
        var db = bank.CopyTo(_folder);
        var exported = _folder.File("bank.jsonl");
        var copy = _folder.File("copy.db");

        var export = Processes.Concordance("events", "export", "--db", db, "--out", exported);
        var import = Processes.Concordance("events", "import", exported, "--db", copy);
        var again = Processes.Concordance("events", "export", "--db", copy);
        var twice = Processes.Concordance("events", "import", exported, "--db", copy);

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("Imported 12 event(s)", import.Output);
        Assert.Equal(File.ReadAllText(exported), again.Output);
        Assert.Equal(12, File.ReadAllLines(exported).Length);
        Processes.AssertOneLineError(twice, "is not empty (its log ends at position 12)");
    }

    [Fact]
    public void Given_a_missing_file_when_running_a_store_command_then_it_fails_with_one_line_and_exit_code_2_and_creates_nothing()
    {
        var missing = _folder.File("missing.db");

        Processes.AssertOneLineError(Processes.Concordance("events", "--db", missing), $"There is no file '{missing}'");
        Processes.AssertOneLineError(Processes.Concordance("dead-letters", "discard", "x", "--db", missing), "There is no file");

        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void Given_a_file_that_is_not_sqlite_when_running_status_then_it_fails_with_one_line_and_leaves_the_file_alone()
    {
        var text = _folder.File("notes.db");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("These are notes, not a database. ", 40)));
        var before = Processes.Hash(text);

        Processes.AssertOneLineError(Processes.Concordance("status", "--db", text), "is not a SQLite database");

        Assert.Equal(before, Processes.Hash(text));
    }

    [Fact]
    public void Given_another_applications_sqlite_file_when_running_events_then_it_fails_with_one_line_and_leaves_the_file_alone()
    {
        var foreign = _folder.File("app.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO events (what) VALUES ('invoice sent');";
            create.ExecuteNonQuery();
        }
        var before = Processes.Hash(foreign);

        Processes.AssertOneLineError(Processes.Concordance("events", "--db", foreign), "is not a Concordance store");

        Assert.Equal(before, Processes.Hash(foreign));
    }

    [Fact]
    public void Given_no_store_option_or_both_when_running_events_then_it_is_a_usage_error_with_exit_code_2()
    {
        var neither = Processes.Concordance("events");
        var both = Processes.Concordance("events", "--db", "x.db", "--nats", "nats://127.0.0.1:4222");

        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("exactly one of --db FILE or --nats URL", neither.Error);
        Assert.Equal(2, both.ExitCode);
        Assert.DoesNotContain("   at ", neither.Error + both.Error);
    }

    [Fact]
    public void Given_an_unreachable_nats_url_when_running_events_then_it_fails_within_seconds_with_one_line_and_exit_code_2()
    {
        var port = Concordance.Nats.Tests.NatsServerFixture.FreePort();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var run = Processes.Concordance("events", "--nats", $"nats://127.0.0.1:{port}");

        Processes.AssertOneLineError(run, $"Cannot reach the NATS server at nats://127.0.0.1:{port}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }
}
