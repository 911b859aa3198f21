using System.Text;
using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Xunit;

namespace Concordance.Runtime.Tests;

/// <summary>
/// SQLite's length limit (SQLITE_LIMIT_LENGTH) is checked before writing: an append over it is refused alone with
/// ArgumentException, where SQLite would fail the whole transaction and with it every command of a group-commit batch.
/// </summary>
public sealed class SqliteSizeLimitTests : IDisposable
{
    /// <summary>A low limit, so a test need not write a gigabyte; the store sets it on its connection as SQLite's own.</summary>
    private const int MaxLength = 64 * 1024;

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private SqliteStore Open(int? maxLength = MaxLength) =>
        SqliteStore.Open(new SqliteStoreOptions { ConnectionString = _database.ConnectionString, Synchronous = SqliteSynchronous.Normal, MaxLength = maxLength });

    private static NewEvent Event(string id, int dataBytes) =>
        new(id, "Test.Happened", 1, Encoding.UTF8.GetBytes("{\"s\":\"" + new string('x', dataBytes) + "\"}"), DateTimeOffset.UnixEpoch, "/tests", null, null);

    [Fact]
    public async Task Given_default_options_then_the_limit_is_the_one_compiled_into_SQLite()
    {
        await using var store = Open(maxLength: null);

        Assert.Equal(1_000_000_000, store.MaxLength);
    }

    [Fact]
    public async Task Given_an_event_over_the_length_limit_when_appended_then_it_is_refused_with_ArgumentException_and_nothing_is_written()
    {
        await using var store = Open();
        var stream = new StreamId("Test.Account", "a");

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.AppendAsync([new AppendRequest(stream, 0, [Event("e-1", MaxLength)]) { CommandId = "c-1" }]).AsTask());

        Assert.Contains("65,536 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("Test.Account/a", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ReadAllAsync(0, 10));
        Assert.Null(await store.FindCommandAsync("c-1"));
        Assert.Equal(AppendStatus.Appended, (await store.AppendAsync([new AppendRequest(stream, 0, [Event("e-2", 100)])]))[0].Status);
    }

    [Fact]
    public async Task Given_a_group_commit_batch_with_one_command_over_the_length_limit_when_written_then_only_that_command_fails_and_the_others_land()
    {
        var observed = new ObservedStore(Open()) { FirstAppendGate = new TaskCompletionSource() };
        await using var bus = Buses.Create(observed);
        var first = bus.SendAsync(new Open("first", 0m));
        Task<CommandResult>[] others;
        Task<CommandResult> tooLarge;
        try
        {
            // Everything sent while the first append waits queues behind it and is written as one batch.
            await observed.FirstAppendEntered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            others = Enumerable.Range(0, 10).Select(i => bus.SendAsync(new Open("acc-" + i, 0m))).ToArray();
            tooLarge = bus.SendAsync(new Open(new string('k', MaxLength), 0m));
            while (bus.Writer.Queued < 11) await Task.Delay(1);
        }
        finally
        {
            observed.FirstAppendGate.SetResult();
        }

        await Assert.ThrowsAsync<ArgumentException>(() => tooLarge);
        Assert.All(await Task.WhenAll(others.Append(first)), r => Assert.True(r.IsAccepted));
        Assert.Equal(11, observed.BatchSizes[1]);
        Assert.Equal(11, (await observed.ReadAllAsync(0, 100)).Count);
    }

    [Fact]
    public async Task Given_a_document_over_the_length_limit_when_a_handler_writes_it_then_the_store_refuses_it_with_ArgumentException()
    {
        await using var store = Open();

        var error = Assert.Throws<ArgumentException>(() => store.EnsureCanHold(new DocumentWrite("Tests.Ledger", "a", new byte[MaxLength])));

        Assert.Contains("Tests.Ledger", error.Message, StringComparison.Ordinal);
        store.EnsureCanHold(new DocumentWrite("Tests.Ledger", "a", new byte[MaxLength / 2]));
    }
}
