using Concordance.Storage;
using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>Inspects and resolves dead letters: events a projector, process manager or gateway kept failing on.</summary>
public interface IDeadLetters
{
    /// <summary>The dead letters, oldest first; only those of <paramref name="component"/> (e.g. <c>projector:Bank.AccountLedger</c>) when given.</summary>
    ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string? component = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the dead letter's event from the log again and runs it through its component once more: an event that could
    /// not be read is read afresh, so registering its type or an upcast, fixing the reader, or repairing the stored
    /// event and then retrying works. On success its effects commit together with the
    /// dead letter's removal and true is returned; on failure the dead letter is kept with the new error and one more
    /// attempt, and false is returned.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No dead letter has id <paramref name="id"/>.</exception>
    /// <exception cref="InvalidOperationException">Its component is not registered here, or its event is no longer in the log.</exception>
    Task<bool> RetryAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Removes the dead letter without processing its event.</summary>
    /// <returns>True when it existed.</returns>
    Task<bool> DiscardAsync(string id, CancellationToken cancellationToken = default);
}

internal sealed class DeadLetters(ComponentRunners runners) : IDeadLetters
{
    private readonly ILogger _logger = runners.Environment.LoggerFactory.CreateLogger<DeadLetters>();

    private IConcordanceStore Store => runners.Environment.Store;

    public ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string? component = null, CancellationToken cancellationToken = default) =>
        Store.DeadLetters.ListAsync(component, cancellationToken);

    public async Task<bool> RetryAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var letter = await Store.DeadLetters.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No dead letter has id '{id}'.");
        // A projector's shadow build parked its dead letters under its own name before they named the projector.
        var hash = letter.Component.IndexOf('#', StringComparison.Ordinal);
        var runner = runners.Find(letter.Component) ?? (hash > 0 ? runners.Find(letter.Component[..hash]) as ProjectorRunner : null)
            ?? throw new InvalidOperationException($"Dead letter '{id}' belongs to {letter.Component}, which is not registered here.");
        var stored = (await Store.Events.ReadAllAsync(letter.Position - 1, 1, cancellationToken: cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        if (stored is null || stored.Position != letter.Position || stored.Id != letter.EventId)
            throw new InvalidOperationException($"The event of dead letter '{id}' ({letter.EventId} at position {letter.Position}) is no longer in the log.");
        _logger.LogInformation("Retrying dead letter {DeadLetterId}: {EventType} {EventId} through {Component}.", id, letter.EventType, letter.EventId, letter.Component);
        return await runner.RetryAsync(letter, stored, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DiscardAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var removed = await Store.DeadLetters.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        if (removed) _logger.LogInformation("Discarded dead letter {DeadLetterId}.", id);
        return removed;
    }
}
