using System.Runtime.InteropServices;
using Concordance.Storage;

namespace Concordance;

/// <summary>
/// What a component's processing of a batch of events will commit: buffered document writes (read back before the
/// store, so a handler sees its own earlier writes), outbox messages and dead letters, with savepoints so a failed
/// attempt on one event leaves nothing behind. Becomes one <see cref="ComponentCommit"/>.
/// </summary>
internal sealed class ComponentUnitOfWork(IComponentStore store)
{
    private readonly Dictionary<(string Collection, string Key), byte[]?> _documents = new();
    private readonly List<(string Collection, string Key, bool Buffered, byte[]? Previous)> _journal = [];
    private int _savepoints;

    public List<OutboxMessage> Outbox { get; } = [];

    public List<DeadLetter> DeadLetters { get; } = [];

    public List<string> RemovedDeadLetters { get; } = [];

    /// <summary>The document's data as this unit would leave it: a buffered write first, else the stored document; null when absent.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(string collection, string key, CancellationToken cancellationToken)
    {
        // Explicit: a null byte[] would otherwise convert to an empty (non-null) ReadOnlyMemory.
        if (_documents.TryGetValue((collection, key), out var buffered)) return buffered is null ? (ReadOnlyMemory<byte>?)null : buffered;
        return (await store.GetDocumentAsync(collection, key, cancellationToken).ConfigureAwait(false))?.Data;
    }

    /// <summary>Buffers a put, or a delete when <paramref name="data"/> is null.</summary>
    /// <exception cref="ArgumentException">The store could not hold the write (see <see cref="IComponentStore.EnsureCanHold"/>).</exception>
    public void Put(string collection, string key, byte[]? data)
    {
        store.EnsureCanHold(new DocumentWrite(collection, key, data is null ? (ReadOnlyMemory<byte>?)null : data));
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_documents, (collection, key), out var buffered);
        _journal.Add((collection, key, buffered, slot));
        slot = data;
    }

    /// <summary>
    /// Starts a savepoint: what is written from now on can be undone with <see cref="Rollback"/>. Releases the one before
    /// (only the latest savepoint can be rolled back to), so the undo journal holds one event's writes, not a batch's.
    /// </summary>
    public Savepoint Mark()
    {
        _journal.Clear();
        return new(++_savepoints, Outbox.Count);
    }

    /// <summary>Undoes every write and outbox message since <paramref name="savepoint"/>, the latest one.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="savepoint"/> is not the latest.</exception>
    public void Rollback(Savepoint savepoint)
    {
        if (savepoint.Id != _savepoints) throw new InvalidOperationException("Only the latest savepoint can be rolled back to.");
        for (var i = _journal.Count - 1; i >= 0; i--)
        {
            var (collection, key, buffered, previous) = _journal[i];
            if (buffered) _documents[(collection, key)] = previous;
            else _documents.Remove((collection, key));
        }
        _journal.Clear();
        Outbox.RemoveRange(savepoint.Outbox, Outbox.Count - savepoint.Outbox);
    }

    public ComponentCommit ToCommit(string component, long expectedCheckpoint, long checkpoint) =>
        new(component, expectedCheckpoint, checkpoint)
        {
            Documents = _documents.Select(d => new DocumentWrite(d.Key.Collection, d.Key.Key, d.Value is null ? (ReadOnlyMemory<byte>?)null : d.Value)).ToArray(),
            Outbox = Outbox.ToArray(),
            DeadLetters = DeadLetters.ToArray(),
            RemovedDeadLetters = RemovedDeadLetters.ToArray(),
        };

    public readonly record struct Savepoint(int Id, int Outbox);
}
