using Concordance.Storage;

namespace Concordance;

/// <summary>How far each projector, process manager and gateway of the application has come: what an operator's <c>status</c> shows.</summary>
public interface IProcessingStatus
{
    /// <summary>
    /// One row per registered component, plus any component the store holds a checkpoint or dead letters for that is
    /// not registered here (an older name, another application's), ordered by name. Reads only.
    /// </summary>
    Task<IReadOnlyList<ComponentStatus>> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>One component's progress through the log, as its store records it.</summary>
/// <param name="Component">The component's checkpoint name: <c>projector:Bank.AccountLedger</c>, <c>process:…</c>, <c>gateway:…</c>.</param>
/// <param name="Checkpoint">The global position it has processed up to (0 when it never committed).</param>
/// <param name="Head">The position of the last event in the log when read.</param>
/// <param name="DeadLetters">How many events it has parked as dead letters.</param>
/// <param name="LeaseHolder">The host holding its lease on a store shared by several hosts (NATS), or null (none holds it, or the store has no leases).</param>
public sealed record ComponentStatus(string Component, long Checkpoint, long Head, int DeadLetters, string? LeaseHolder)
{
    /// <summary>The kind of component: <c>projector</c>, <c>process</c> or <c>gateway</c> (the part of the name before the colon).</summary>
    public string Kind => Component.IndexOf(':') is var colon and > 0 ? Component[..colon] : "";

    /// <summary>The component's schema name (the part after the colon).</summary>
    public string Name => Component[(Component.IndexOf(':') + 1)..];

    /// <summary>
    /// Positions between the checkpoint and the head. An upper bound of the events still to process: a checkpoint moves
    /// with the events the component subscribes to, so the events after its last one that it does not subscribe to count too.
    /// </summary>
    public long Lag => Math.Max(0, Head - Checkpoint);

    /// <summary>
    /// Reads the status of <paramref name="components"/> (checkpoint names) and of every other component
    /// <paramref name="store"/> holds a checkpoint or dead letters for, ordered by name. Reads only: a tool may call it on
    /// a store opened read-only.
    /// </summary>
    public static async Task<IReadOnlyList<ComponentStatus>> ReadAsync(IConcordanceStore store, IEnumerable<string>? components = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var head = await store.Events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        var checkpoints = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in components ?? []) checkpoints[name] = 0;
        foreach (var checkpoint in await store.Components.ListCheckpointsAsync(cancellationToken).ConfigureAwait(false))
            checkpoints[checkpoint.Component] = checkpoint.Position;
        var deadLetters = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var letter in await store.DeadLetters.ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            deadLetters[letter.Component] = deadLetters.GetValueOrDefault(letter.Component) + 1;
            checkpoints.TryAdd(letter.Component, 0);
        }
        var result = new List<ComponentStatus>(checkpoints.Count);
        foreach (var (component, position) in checkpoints)
        {
            var holder = store.Leases is { } leases ? await leases.GetHolderAsync(component, cancellationToken).ConfigureAwait(false) : null;
            result.Add(new ComponentStatus(component, position, head, deadLetters.GetValueOrDefault(component), holder));
        }
        return result;
    }
}

internal sealed class ProcessingStatus(ComponentRunners runners) : IProcessingStatus
{
    public Task<IReadOnlyList<ComponentStatus>> GetAsync(CancellationToken cancellationToken = default) =>
        ComponentStatus.ReadAsync(runners.Environment.Store, runners.All.Select(r => r.Component), cancellationToken);
}
