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

    public Savepoint Mark() => new(_journal.Count, Outbox.Count);

    /// <summary>Undoes every write and outbox message since <paramref name="savepoint"/>.</summary>
    public void Rollback(Savepoint savepoint)
    {
        for (var i = _journal.Count - 1; i >= savepoint.Journal; i--)
        {
            var (collection, key, buffered, previous) = _journal[i];
            if (buffered) _documents[(collection, key)] = previous;
            else _documents.Remove((collection, key));
        }
        _journal.RemoveRange(savepoint.Journal, _journal.Count - savepoint.Journal);
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

    public readonly record struct Savepoint(int Journal, int Outbox);
}
