using Concordance.Storage;

namespace Concordance;

/// <summary>Rebuilds projections from the start of the log without taking them away from readers.</summary>
public interface IProjectionRebuilder
{
    /// <summary>
    /// Rebuilds projector <paramref name="projector"/> blue/green: replays the log from position 0 into a new collection
    /// (a new <see cref="ProjectionGeneration"/>) while <see cref="IReadModels"/> keeps serving the current one; once the
    /// new build reaches the head of the log the switch is one atomic step and the old collection is removed. Completes
    /// when readers are switched. A build already in progress (a newly declared version) is joined, not restarted.
    /// </summary>
    /// <remarks>
    /// On a store without leases (SQLite, in-memory) this call builds, together with the host's worker. On a store with
    /// leases (NATS) the worker of the host holding the projector's lease builds, this one or another, and this call
    /// waits for it; it builds itself only when no host holds the lease, or when the build has not moved for the lease's
    /// time to live (the holder runs an older version of the projector, which leaves newer builds alone). The commits
    /// and the switch are compare-and-set, so two builders stay correct.
    /// </remarks>
    /// <exception cref="ArgumentException">No registered projector has that name.</exception>
    Task RebuildAsync(string projector, CancellationToken cancellationToken = default);

    /// <summary>
    /// Rebuilds projector <paramref name="projector"/> as <see cref="RebuildAsync(string, CancellationToken)"/> does,
    /// reporting the shadow build's progress to <paramref name="progress"/> as it goes, the last report with
    /// <see cref="ProjectionRebuildProgress.IsSwitched"/> set.
    /// </summary>
    /// <exception cref="ArgumentException">No registered projector has that name.</exception>
    Task RebuildAsync(string projector, IProgress<ProjectionRebuildProgress>? progress, CancellationToken cancellationToken = default);

    /// <summary>The schema names of the registered projectors (e.g. <c>Bank.AccountLedger</c>), ordered.</summary>
    IReadOnlyList<string> Projectors { get; }
}

/// <summary>How far a projector's shadow build has come.</summary>
/// <param name="Projector">The projector's schema name.</param>
/// <param name="Generation">The build in progress.</param>
/// <param name="Position">The log position the build has processed up to.</param>
/// <param name="Head">The head of the log when this was measured.</param>
/// <param name="IsSwitched">Whether readers are switched to the build (the last report).</param>
public sealed record ProjectionRebuildProgress(string Projector, ProjectionGeneration Generation, long Position, long Head, bool IsSwitched)
{
    /// <summary>The share of the log processed, from 0 to 1.</summary>
    public double Fraction => IsSwitched || Head <= 0 ? 1 : Math.Clamp((double)Position / Head, 0, 1);
}

internal sealed class ProjectionRebuilder(ComponentRunners runners) : IProjectionRebuilder
{
    public Task RebuildAsync(string projector, CancellationToken cancellationToken = default) => RebuildAsync(projector, null, cancellationToken);

    public Task RebuildAsync(string projector, IProgress<ProjectionRebuildProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projector);
        var runner = runners.FindProjector(projector)
            ?? throw new ArgumentException($"No registered projector is named '{projector}'.", nameof(projector));
        return runner.RebuildAsync(progress, cancellationToken);
    }

    public IReadOnlyList<string> Projectors =>
        runners.All.OfType<ProjectorRunner>().Select(r => r.Name).Order(StringComparer.Ordinal).ToList();
}
