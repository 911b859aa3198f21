using Concordance.Storage;
using Xunit;

namespace Concordance.Conformance;

// What a store owes the readers of events that do not read: it hands every event back as stored, without judging its
// data, so a reader can park one that does not read and go on; and it keeps a dead letter's event bytes.
public abstract partial class EventStoreConformance
{
    [Fact]
    public async Task Given_events_whose_data_is_not_json_or_whose_version_nobody_knows_when_reading_then_each_comes_back_as_stored_and_the_events_after_them_too()
    {
        var truncated = new NewEvent("bad-json", "Test.Happened", 1, Json("""{"n":"""), T0, "/tests", null, null);
        var unknownVersion = new NewEvent("v99", "Test.Happened", 99, Json("""{"n":2}"""), T0, "/tests", null, null);
        var notJson = new NewEvent("binary", "Test.Happened", 1, new byte[] { 0xFF, 0x00, 0xFE }, T0, "/tests", null, null);
        await AppendOne(new AppendRequest(Stream("a"), ExpectedVersion.NoStream, [Event("e1", 1), truncated, unknownVersion, notJson, Event("e5", 5)]));

        var fromStream = await ReadStream(Stream("a"));
        var fromLog = await Store.Events.ReadAllAsync(0, 10, new EventFilter(new HashSet<string> { "Test.Happened" }));

        foreach (var read in new[] { fromStream, fromLog.ToList() })
        {
            Assert.Equal(["e1", "bad-json", "v99", "binary", "e5"], read.Select(e => e.Id));
            Assert.Equal([1L, 2L, 3L, 4L, 5L], read.Select(e => e.Version));
            Assert.Equal("""{"n":""", Text(read[1].Data));
            Assert.Equal(99, read[2].SchemaVersion);
            Assert.Equal(new byte[] { 0xFF, 0x00, 0xFE }, read[3].Data.ToArray());
            Assert.All(read, e => Assert.Null(e.Problem));
        }
    }

    [Fact]
    public async Task Given_a_dead_letter_with_its_event_as_stored_when_read_back_then_its_bytes_and_schema_version_are_kept_and_a_letter_without_them_reads_without()
    {
        var withEvent = Letter("d1", "projector:Ledger", 5) with { Data = new byte[] { 0x7B, 0xFF, 0x00 }, SchemaVersion = 2 };
        await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 0, 5) { DeadLetters = [withEvent, Letter("d2", "projector:Ledger", 4)] });

        var read = await Store.DeadLetters.GetAsync("d1");
        var listed = await Store.DeadLetters.ListAsync("projector:Ledger");

        Assert.Equal(new byte[] { 0x7B, 0xFF, 0x00 }, read!.Data!.Value.ToArray());
        Assert.Equal(2, read.SchemaVersion);
        Assert.Equal(withEvent with { Data = null }, read with { Data = null });
        Assert.Equal(["d1", "d2"], listed.Select(l => l.Id));
        Assert.Equal(new byte[] { 0x7B, 0xFF, 0x00 }, listed[0].Data!.Value.ToArray());
        Assert.Null(listed[1].Data);
        Assert.Equal(0, listed[1].SchemaVersion);
    }

    [Fact]
    public async Task Given_a_document_written_at_the_checkpoint_when_a_commit_that_keeps_the_checkpoint_writes_it_again_then_the_later_write_is_read()
    {
        await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 0, 5) { Documents = [new DocumentWrite("Ledger", "a", Json("""{"v":1}"""))] });

        // A dead letter retried: its effects commit in place, after the batch that wrote the document at the same checkpoint.
        var retried = await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 5, 5)
        {
            Documents = [new DocumentWrite("Ledger", "a", Json("""{"v":2}""")), new DocumentWrite("Ledger", "b", Json("""{"v":3}"""))],
        });

        Assert.True(retried);
        Assert.Equal("""{"v":2}""", Text((await Store.Components.GetDocumentAsync("Ledger", "a"))!.Data));
        Assert.Equal("""{"v":3}""", Text((await Store.Components.GetDocumentAsync("Ledger", "b"))!.Data));
        Assert.Equal(5, await Store.Components.GetCheckpointAsync("projector:Ledger"));
    }
}
