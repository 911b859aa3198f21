using Concordance.Storage;
using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>
/// Runs a projector: a batch of events is projected into one unit of work whose document writes commit with the
/// checkpoint, so each event's effect lands exactly once. Its read models live in the collection of its active build
/// (<see cref="ProjectionGeneration"/>); a new version or a rebuild is built in a shadow collection by the same worker
/// (so under the component's lease where there is one) and switched to atomically once it reaches the head of the log.
/// </summary>
internal sealed partial class ProjectorRunner : ComponentRunner
{
    private ProjectionGeneration _active = ProjectionGeneration.Initial;

    public ProjectorRunner(IProjector projector, ProcessingEnvironment environment)
        : base("projector", projector.Name, projector.EventTypes, environment)
    {
        Projector = projector;
        Version = Math.Max(1, projector.Version);
    }

    /// <summary>A shadow build of <paramref name="generation"/>: reads as nobody and keeps its own checkpoint and collection.</summary>
    private ProjectorRunner(IProjector projector, ProcessingEnvironment environment, ProjectionGeneration generation)
        : base("projector", generation.CollectionOf(projector.Name), projector.EventTypes, environment)
    {
        Projector = projector;
        Version = generation.Version;
        _active = generation;
        IsShadow = true;
    }

    public IProjector Projector { get; }

    /// <summary>The projector's schema name (a shadow build's runner is named for its collection).</summary>
    public string ProjectorName => Projector.Name;

    /// <summary>The projector's declared schema version.</summary>
    public int Version { get; }

    private bool IsShadow { get; }

    /// <summary>The build whose collection readers are served.</summary>
    public ProjectionGeneration Active => Volatile.Read(ref _active);

    /// <summary>The document collection holding the active build's read models.</summary>
    public string Collection => Active.CollectionOf(ProjectorName);

    protected override bool ReadsAsNobody => IsShadow;

    protected override int CatchUpBatchSize => Environment.Processing.CatchUpBatchSize;

    /// <summary>A shadow build's dead letters too are the projector's: listed under its name, retried through it once switched to.</summary>
    protected override string DeadLetterComponent => "projector:" + ProjectorName;

    protected override string? DeadLetterGeneration => Active.Number == 0 ? null : Active.ToString();

    protected override ValueTask HandleAsync(StoredEvent stored, IEvent @event, ComponentUnitOfWork unit, CancellationToken cancellationToken) =>
        Projector.ProjectAsync(@event, new BufferedProjectionContext(unit, Collection, Environment.Processing.ReadModelJson, cancellationToken));

    protected override async ValueTask BeforeCheckpointReadAsync(CancellationToken cancellationToken)
    {
        if (IsShadow) return;
        var generations = await Environment.Store.Components.GetProjectionAsync(ProjectorName, cancellationToken).ConfigureAwait(false);
        Activate((generations ?? ProjectionGenerations.Initial).Active);
    }

    protected override ValueTask<bool> AfterBatchAsync(CancellationToken cancellationToken) =>
        IsShadow ? ValueTask.FromResult(false) : new(AdvanceBuildAsync(cancellationToken));

    /// <summary>
    /// Serves readers from the build the store says is active, when another host switched it; returns whether it changed.
    /// A reader that found nothing asks, since the collection it read may have just been replaced.
    /// </summary>
    public async Task<bool> RefreshActiveAsync(CancellationToken cancellationToken)
    {
        var generations = await Environment.Store.Components.GetProjectionAsync(ProjectorName, cancellationToken).ConfigureAwait(false);
        var active = (generations ?? ProjectionGenerations.Initial).Active;
        if (active == Active) return false;
        Activate(active);
        Reset();
        return true;
    }

    private void Activate(ProjectionGeneration generation)
    {
        Volatile.Write(ref _active, generation);
        CheckpointName = generation.CheckpointOf(ProjectorName);
    }
}
