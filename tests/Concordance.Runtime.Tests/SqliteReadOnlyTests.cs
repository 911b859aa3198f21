using System.Security.Cryptography;
using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Concordance.Runtime.Tests;

/// <summary>SqliteStore.OpenReadOnly: inspection tools read a store's file without changing a byte of it.</summary>
public sealed class SqliteReadOnlyTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static NewEvent Event(string id) => new(id, "Test.Happened", 1, """{"n":1}"""u8.ToArray(), DateTimeOffset.UnixEpoch, "/tests", null, null);

    private static readonly StreamId Stream = new("Test.Account", "a");

    /// <summary>A store written and closed, as an application leaves it.</summary>
    private async Task WriteStoreAsync()
    {
        await using var store = SqliteStore.Open(_database.ConnectionString);
        await store.AppendAsync([new AppendRequest(Stream, ExpectedVersion.NoStream, [Event("e1"), Event("e2")])]);
        await store.CommitAsync(new ComponentCommit("projector:Ledger", 0, 1) { DeadLetters = [new DeadLetter("d1", "projector:Ledger", 2, Stream, "e2", "Test.Happened", "boom", 3, DateTimeOffset.UnixEpoch)] });
        await store.DisposeAsync();
        // The writer connection goes back to the pool; closing it checkpoints the WAL into the file, which then stays as it is.
        SqliteConnection.ClearAllPools();
    }

    private byte[] Hash() => SHA256.HashData(File.ReadAllBytes(_database.Path));

    [Fact]
    public async Task Given_a_closed_store_when_it_is_read_through_a_read_only_open_then_every_read_answers_and_the_file_is_byte_for_byte_unchanged()
    {
        await WriteStoreAsync();
        var before = Hash();

        await using (var store = SqliteStore.OpenReadOnly(_database.Path))
        {
            Assert.Equal(2, (await store.ReadAllAsync(0, 10)).Count);
            Assert.Equal(2, await store.GetHeadPositionAsync());
            Assert.Equal([new ComponentCheckpoint("projector:Ledger", 1)], await store.ListCheckpointsAsync());
            Assert.Equal("d1", Assert.Single(await store.DeadLetters.ListAsync()).Id);
        }
        SqliteConnection.ClearAllPools();

        Assert.Equal(before, Hash());
        Assert.Equal([_database.Path], Directory.GetFiles(_database.Directory));
    }

    [Fact]
    public async Task Given_a_read_only_open_when_something_writes_through_it_then_the_write_fails_and_the_file_is_unchanged()
    {
        await WriteStoreAsync();
        var before = Hash();

        await using (var store = SqliteStore.OpenReadOnly(_database.Path))
        {
            await Assert.ThrowsAsync<SqliteException>(async () => await store.DeadLetters.DeleteAsync("d1"));
            await Assert.ThrowsAsync<SqliteException>(async () => await store.AppendAsync([new AppendRequest(Stream, 2, [Event("e3")])]));
        }
        SqliteConnection.ClearAllPools();

        Assert.Equal(before, Hash());
    }

    [Fact]
    public async Task Given_an_application_writing_when_a_read_only_store_reads_the_same_file_then_it_sees_the_new_events()
    {
        await using var writer = SqliteStore.Open(_database.ConnectionString);
        await writer.AppendAsync([new AppendRequest(Stream, ExpectedVersion.NoStream, [Event("e1")])]);
        await using var reader = SqliteStore.OpenReadOnly(_database.Path, followCommits: true);

        await writer.AppendAsync([new AppendRequest(Stream, 1, [Event("e2")])]);

        Assert.Equal(["e1", "e2"], (await reader.ReadAllAsync(0, 10)).Select(e => e.Id));
    }

    [Fact]
    public void Given_no_file_when_opening_read_only_then_it_fails_naming_the_path_and_creates_nothing()
    {
        var path = Path.Combine(_database.Directory, "missing.db");

        var error = Assert.Throws<FileNotFoundException>(() => SqliteStore.OpenReadOnly(path));

        Assert.Contains(path, error.Message);
        Assert.Empty(Directory.GetFiles(_database.Directory));
    }

    [Fact]
    public void Given_another_applications_database_when_opening_read_only_then_it_is_refused_as_not_a_concordance_store()
    {
        using (var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)";
            command.ExecuteNonQuery();
        }
        var before = Hash();

        var error = Assert.Throws<InvalidOperationException>(() => SqliteStore.OpenReadOnly(_database.Path));

        Assert.Contains("not a Concordance store", error.Message);
        Assert.Equal(before, Hash());
    }

    [Fact]
    public void Given_a_file_that_is_not_sqlite_when_opening_read_only_then_it_fails_with_sqlites_not_a_database_error()
    {
        File.WriteAllText(_database.Path, "just some text, not a database at all; long enough to have a header's worth of bytes.");

        var error = Assert.Throws<SqliteException>(() => SqliteStore.OpenReadOnly(_database.Path));

        Assert.Equal(26, error.SqliteErrorCode); // SQLITE_NOTADB
    }
}
