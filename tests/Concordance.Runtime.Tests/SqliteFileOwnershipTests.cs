using System.Security.Cryptography;
using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Concordance.Runtime.Tests;

/// <summary>Opening a SQLite store never alters a file it does not own: another application's database is refused untouched.</summary>
public sealed class SqliteFileOwnershipTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    /// <summary>Writes an application's own database (rollback journal or WAL), closed and with no connection left open.</summary>
    private void CreateApplicationDatabase(string schema, string journalMode)
    {
        using (var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA journal_mode={journalMode}; {schema}";
            command.ExecuteNonQuery();
        }
        Assert.Equal([_database.Path], Files());
    }

    private string[] Files() => Directory.GetFiles(_database.Directory).Order(StringComparer.Ordinal).ToArray();

    private byte[] Hash() => SHA256.HashData(File.ReadAllBytes(_database.Path));

    private static NewEvent Event(string id) => new(id, "Test.Happened", 1, """{"n":1}"""u8.ToArray(), DateTimeOffset.UnixEpoch, "/tests", null, null);

    [Theory]
    [InlineData("CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO events (what) VALUES ('invoice sent'), ('invoice paid');", "DELETE")]
    [InlineData("CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO events (what) VALUES ('invoice sent');", "WAL")]
    [InlineData("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); CREATE INDEX customers_by_name ON customers (name); INSERT INTO customers (name) VALUES ('Bob');", "DELETE")]
    public void Given_an_application_database_without_a_concordance_schema_when_a_store_opens_it_then_it_is_refused_naming_the_file_and_left_byte_for_byte_as_it_was(string schema, string journalMode)
    {
        CreateApplicationDatabase(schema, journalMode);
        var before = Hash();

        var error = Assert.Throws<InvalidOperationException>(() => SqliteStore.Open(_database.ConnectionString));

        Assert.Contains(_database.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a Concordance store", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
        // No -wal, -shm or -journal file left beside it.
        Assert.Equal([_database.Path], Files());
    }

    [Fact]
    public async Task Given_a_path_where_no_file_exists_when_a_store_opens_it_then_it_creates_its_store_there()
    {
        await using var store = SqliteStore.Open(_database.ConnectionString);

        Assert.Equal(AppendStatus.Appended, (await store.AppendAsync([new AppendRequest(new StreamId("Test.Account", "a"), 0, [Event("e-1")])]))[0].Status);
    }

    [Fact]
    public async Task Given_an_empty_existing_file_when_a_store_opens_it_then_it_makes_it_its_store()
    {
        await File.WriteAllBytesAsync(_database.Path, []);

        await using var store = SqliteStore.Open(_database.ConnectionString);

        Assert.Equal(AppendStatus.Appended, (await store.AppendAsync([new AppendRequest(new StreamId("Test.Account", "a"), 0, [Event("e-1")])]))[0].Status);
    }

    [Fact]
    public async Task Given_a_store_file_to_which_the_application_added_a_table_of_its_own_when_reopened_then_it_opens_with_its_events()
    {
        await using (var first = SqliteStore.Open(_database.ConnectionString))
            await first.AppendAsync([new AppendRequest(new StreamId("Test.Account", "a"), 0, [Event("e-1")])]);
        using (var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE app_notes (id INTEGER PRIMARY KEY, note TEXT)";
            command.ExecuteNonQuery();
        }

        await using var reopened = SqliteStore.Open(_database.ConnectionString);

        Assert.Equal("e-1", Assert.Single(await reopened.ReadAllAsync(0, 10)).Id);
    }
}
