namespace Concordance;

/// <summary>Rebuilds projections from the start of the log.</summary>
public interface IProjectionRebuilder
{
    /// <summary>
    /// Deletes projector <paramref name="projector"/>'s read models and checkpoint and replays the log from position 0
    /// up to its head; completes when the projection has caught up. Its running worker pauses meanwhile and then goes on
    /// from the rebuilt checkpoint. Queries during the rebuild see the projection partly rebuilt.
    /// </summary>
    /// <exception cref="ArgumentException">No registered projector has that name.</exception>
    Task RebuildAsync(string projector, CancellationToken cancellationToken = default);
}

internal sealed class ProjectionRebuilder(ComponentRunners runners) : IProjectionRebuilder
{
    public Task RebuildAsync(string projector, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projector);
        var runner = runners.FindProjector(projector)
            ?? throw new ArgumentException($"No registered projector is named '{projector}'.", nameof(projector));
        return runner.RebuildAsync(cancellationToken);
    }
}
