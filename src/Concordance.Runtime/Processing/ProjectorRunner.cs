using Concordance.Storage;
using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>
/// Runs a projector: a batch of events is projected into one unit of work whose document writes commit with the
/// checkpoint, so each event's effect lands exactly once. Its read models are the collection named after it.
/// </summary>
internal sealed class ProjectorRunner(IProjector projector, ProcessingEnvironment environment)
    : ComponentRunner("projector", projector.Name, projector.EventTypes, environment)
{
    public IProjector Projector { get; } = projector;

    /// <summary>The document collection holding this projector's read models.</summary>
    public string Collection => Name;

    protected override ValueTask HandleAsync(StoredEvent stored, IEvent @event, ComponentUnitOfWork unit, CancellationToken cancellationToken) =>
        Projector.ProjectAsync(@event, new BufferedProjectionContext(unit, Collection, Environment.Processing.ReadModelJson, cancellationToken));

    /// <summary>Deletes every read model and the checkpoint, then replays the log from position 0 up to its current head.</summary>
    public async Task RebuildAsync(IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Logger.LogInformation("{Component}: rebuilding from position 0.", Component);
            var head = await Environment.Store.Events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
            await Environment.Store.Components.ResetAsync(Component, Collection, cancellationToken).ConfigureAwait(false);
            Reset();
            var total = 0L;
            progress?.Report(new RebuildProgress(Name, 0, 0, head));
            while (true)
            {
                var (count, _) = await ProcessBatchUnderGateAsync(cancellationToken, rebuilding: true).ConfigureAwait(false);
                if (count == 0) break;
                total += count;
                progress?.Report(new RebuildProgress(Name, total, Math.Max(Checkpoint, 0), Math.Max(head, Checkpoint)));
            }
            Logger.LogInformation("{Component}: rebuilt from {Count} event(s); checkpoint {Checkpoint}.", Component, total, Checkpoint);
        }
        finally
        {
            Gate.Release();
        }
    }
}
