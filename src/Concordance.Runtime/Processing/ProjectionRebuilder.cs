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

    /// <summary>
    /// Rebuilds as <see cref="RebuildAsync(string, CancellationToken)"/> does, reporting to <paramref name="progress"/> once
    /// when the read models are reset and then after every batch of events replayed (a batch is
    /// <see cref="ProcessingOptions.BatchSize"/> events at most), so a progress bar can show the rate and what is left.
    /// </summary>
    /// <exception cref="ArgumentException">No registered projector has that name.</exception>
    Task RebuildAsync(string projector, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken = default);

    /// <summary>The schema names of the registered projectors (e.g. <c>Bank.AccountLedger</c>), ordered.</summary>
    IReadOnlyList<string> Projectors { get; }
}

/// <summary>How far a projection rebuild has come.</summary>
/// <param name="Projector">The projector's schema name.</param>
/// <param name="Replayed">The events replayed so far (those the projector subscribes to).</param>
/// <param name="Position">The log position replayed up to.</param>
/// <param name="Head">The log's head when the rebuild began: the rebuild ends there.</param>
public sealed record RebuildProgress(string Projector, long Replayed, long Position, long Head)
{
    /// <summary>The share of the positions up to <see cref="Head"/> replayed, from 0 to 1 (1 for an empty log).</summary>
    public double Fraction => Head <= 0 ? 1 : Math.Clamp((double)Position / Head, 0, 1);
}

internal sealed class ProjectionRebuilder(ComponentRunners runners) : IProjectionRebuilder
{
    public Task RebuildAsync(string projector, CancellationToken cancellationToken = default) => RebuildAsync(projector, null, cancellationToken);

    public Task RebuildAsync(string projector, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projector);
        var runner = runners.FindProjector(projector)
            ?? throw new ArgumentException($"No registered projector is named '{projector}'.", nameof(projector));
        return runner.RebuildAsync(progress, cancellationToken);
    }

    public IReadOnlyList<string> Projectors =>
        runners.All.OfType<ProjectorRunner>().Select(r => r.Name).Order(StringComparer.Ordinal).ToList();
}
