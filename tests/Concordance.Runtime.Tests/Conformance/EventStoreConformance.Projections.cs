using Concordance.Storage;
using Xunit;

namespace Concordance.Conformance;

// What a store owes blue/green projections: each projector's generations, changed only by compare-and-set, so a
// switch between builds happens once however many hosts race to make it.
public abstract partial class EventStoreConformance
{
    [Fact]
    public async Task Given_a_projector_never_switched_when_its_generations_are_read_then_there_are_none_and_only_a_set_expecting_none_lands()
    {
        Assert.Null(await Store.Components.GetProjectionAsync("Test.Ledger"));
        var building = ProjectionGenerations.Initial with { Building = new ProjectionGeneration(2, 1) };

        Assert.False(await Store.Components.SetProjectionAsync("Test.Ledger", ProjectionGenerations.Initial, building));
        Assert.True(await Store.Components.SetProjectionAsync("Test.Ledger", null, building));
        Assert.False(await Store.Components.SetProjectionAsync("Test.Ledger", null, ProjectionGenerations.Initial));

        Assert.Equal(building, await Store.Components.GetProjectionAsync("Test.Ledger"));
        Assert.Null(await Store.Components.GetProjectionAsync("Test.Other"));
    }

    [Fact]
    public async Task Given_two_switches_racing_from_the_same_generations_when_both_are_tried_then_exactly_one_lands()
    {
        var building = new ProjectionGenerations(ProjectionGeneration.Initial, new ProjectionGeneration(1, 1));
        Assert.True(await Store.Components.SetProjectionAsync("Test.Ledger", null, building));
        var switched = new ProjectionGenerations(new ProjectionGeneration(1, 1), null, ProjectionGeneration.Initial);
        var other = building with { Building = new ProjectionGeneration(2, 2) };

        var results = await Task.WhenAll(
            Store.Components.SetProjectionAsync("Test.Ledger", building, switched).AsTask(),
            Store.Components.SetProjectionAsync("Test.Ledger", building, other).AsTask());

        Assert.Single(results, r => r);
        Assert.Equal(results[0] ? switched : other, await Store.Components.GetProjectionAsync("Test.Ledger"));
        Assert.False(await Store.Components.SetProjectionAsync("Test.Ledger", building, switched));
    }

    [Fact]
    public async Task Given_a_generation_when_its_collection_and_checkpoint_are_named_then_generation_0_keeps_the_projector_s_own_names()
    {
        Assert.Equal("Test.Ledger", ProjectionGeneration.Initial.CollectionOf("Test.Ledger"));
        Assert.Equal("projector:Test.Ledger", ProjectionGeneration.Initial.CheckpointOf("Test.Ledger"));
        var next = new ProjectionGeneration(2, 3);
        Assert.Equal("Test.Ledger#v2.3", next.CollectionOf("Test.Ledger"));
        // A generation's collection and checkpoint are the store's like any other: written, read, reset as one.
        Assert.True(await Store.Components.CommitAsync(new ComponentCommit(next.CheckpointOf("Test.Ledger"), 0, 7)
        {
            Documents = [new DocumentWrite(next.CollectionOf("Test.Ledger"), "a", "{\"n\":1}"u8.ToArray())],
        }));
        Assert.NotNull(await Store.Components.GetDocumentAsync(next.CollectionOf("Test.Ledger"), "a"));
        Assert.Null(await Store.Components.GetDocumentAsync("Test.Ledger", "a"));
        await Store.Components.ResetAsync(next.CheckpointOf("Test.Ledger"), next.CollectionOf("Test.Ledger"));
        Assert.Null(await Store.Components.GetDocumentAsync(next.CollectionOf("Test.Ledger"), "a"));
        Assert.Equal(0, await Store.Components.GetCheckpointAsync(next.CheckpointOf("Test.Ledger")));
    }
}
