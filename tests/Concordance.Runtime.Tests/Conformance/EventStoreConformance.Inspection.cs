using Concordance.Storage;
using Xunit;

namespace Concordance.Conformance;

// What inspection tools read: every component's checkpoint, and the status built from it.
public abstract partial class EventStoreConformance
{
    [Fact]
    public async Task Given_a_store_nobody_committed_to_when_listing_checkpoints_then_the_list_is_empty()
    {
        Assert.Empty(await Store.Components.ListCheckpointsAsync());
    }

    [Fact]
    public async Task Given_commits_by_two_components_when_listing_checkpoints_then_each_is_listed_once_at_its_last_checkpoint_in_name_order()
    {
        await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 0, 2));
        await Store.Components.CommitAsync(new ComponentCommit("process:Transfer", 0, 1));
        await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 2, 5));

        var checkpoints = await Store.Components.ListCheckpointsAsync();

        Assert.Equal([new ComponentCheckpoint("process:Transfer", 1), new ComponentCheckpoint("projector:Ledger", 5)], checkpoints);
    }

    [Fact]
    public async Task Given_checkpoints_and_dead_letters_when_reading_component_status_then_each_component_shows_checkpoint_head_lag_and_dead_letters()
    {
        await Store.Events.AppendAsync([new AppendRequest(new StreamId("Test.Account", "a"), ExpectedVersion.NoStream, [Event("e1", 1), Event("e2", 2), Event("e3", 3)])]);
        var head = await Store.Events.GetHeadPositionAsync();
        await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 0, head - 1) { DeadLetters = [Letter("d1", "projector:Ledger", head - 1)] });

        var status = await ComponentStatus.ReadAsync(Store, ["gateway:Wire", "projector:Ledger"]);

        Assert.Equal(["gateway:Wire", "projector:Ledger"], status.Select(s => s.Component));
        var wire = status[0];
        Assert.Equal((0L, head, head, 0), (wire.Checkpoint, wire.Head, wire.Lag, wire.DeadLetters));
        var ledger = status[1];
        Assert.Equal(("projector", "Ledger", head - 1, 1L, 1), (ledger.Kind, ledger.Name, ledger.Checkpoint, ledger.Lag, ledger.DeadLetters));
        Assert.Null(ledger.LeaseHolder);
    }
}
