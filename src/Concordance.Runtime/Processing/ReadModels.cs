namespace Concordance;

/// <summary>Queries the read models projectors maintain.</summary>
public interface IReadModels
{
    /// <summary>
    /// The read model projector <paramref name="projector"/> stored under <paramref name="key"/>, or null. The
    /// projector is named by its schema name (<c>Bank.AccountLedger</c>) or, when unambiguous among the registered
    /// projectors, its short name (<c>AccountLedger</c>). Reads the last committed state of the active build: while a
    /// new version or a rebuild is built in the background, the previous build's whole model, never a partly built one.
    /// </summary>
    /// <exception cref="ArgumentException">No registered projector has that name.</exception>
    ValueTask<T?> GetAsync<T>(string projector, string key, CancellationToken cancellationToken = default) where T : class;
}

internal sealed class ReadModels(ComponentRunners runners) : IReadModels
{
    public async ValueTask<T?> GetAsync<T>(string projector, string key, CancellationToken cancellationToken = default) where T : class
    {
        ArgumentNullException.ThrowIfNull(projector);
        ArgumentNullException.ThrowIfNull(key);
        var runner = runners.FindProjector(projector)
            ?? throw new ArgumentException($"No registered projector is named '{projector}'.", nameof(projector));
        var documents = runners.Environment.Store.Components;
        var read = runner.Active;
        var document = await documents.GetDocumentAsync(read.CollectionOf(runner.ProjectorName), key, cancellationToken).ConfigureAwait(false);
        // Nothing there may mean the collection read was just replaced by a new build (here or on another host): read the active one.
        while (document is null)
        {
            await runner.RefreshActiveAsync(cancellationToken).ConfigureAwait(false);
            if (runner.Active == read) break;
            read = runner.Active;
            document = await documents.GetDocumentAsync(read.CollectionOf(runner.ProjectorName), key, cancellationToken).ConfigureAwait(false);
        }
        return document is null ? null : ReadModelJson.Read<T>(document.Data.Span, runners.Environment.Processing.ReadModelJson);
    }
}
