using Concordance.Storage;

namespace Concordance;

// Reading the log: a page after the checkpoint, and while catching up, the next page read while this one is handled.
internal abstract partial class ComponentRunner
{
    private Prefetch? _prefetch;

    /// <summary>
    /// The head of the log and the page of events after <paramref name="from"/> the component reads next, with the size
    /// asked for: <see cref="ProcessingOptions.BatchSize"/>, or <see cref="CatchUpBatchSize"/> while behind the head by
    /// more than a batch. A full catch-up page starts the read of the page after it at once, so the log is read while
    /// this page is handled and committed; that read is used only if the next batch starts where this one ends with
    /// the same filter (a reset, a lost commit or a rebuild read discards it).
    /// </summary>
    private async Task<Page> ReadPageAsync(long from, EventFilter filter, CancellationToken cancellationToken)
    {
        var page = TakePrefetched(from, filter) is { } prefetched
            ? await prefetched.ConfigureAwait(false)
            : await ReadAsync(from, filter, cancellationToken).ConfigureAwait(false);
        if (page.ReadSize > BatchSize && page.Events.Count == page.ReadSize)
        {
            var next = page.Events[^1].Position;
            // On the thread pool: a store whose reads complete synchronously (SQLite) would otherwise read it here, first.
            _prefetch = new Prefetch(next, filter, Task.Run(() => ReadAsync(next, filter, cancellationToken), cancellationToken));
        }
        return page;
    }

    private async Task<Page> ReadAsync(long from, EventFilter filter, CancellationToken cancellationToken)
    {
        var store = Environment.Store;
        // The head is read before the log: every event at or below it is already committed, so an empty read proves none of them is ours.
        var head = await store.Events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        var readSize = head - from > BatchSize ? Math.Max(BatchSize, CatchUpBatchSize) : BatchSize;
        var events = await store.Events.ReadAllAsync(from, readSize, filter, cancellationToken).ConfigureAwait(false);
        return new Page(head, readSize, events);
    }

    private Task<Page>? TakePrefetched(long from, EventFilter filter)
    {
        if (_prefetch is not { } prefetch) return null;
        _prefetch = null;
        if (prefetch.From == from && ReferenceEquals(prefetch.Filter, filter)) return prefetch.Read;
        Discard(prefetch);
        return null;
    }

    /// <summary>Drops a read-ahead no batch will use; its outcome, a failure included, is observed and ignored.</summary>
    private static void Discard(Prefetch? prefetch) =>
        prefetch?.Read.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>Drops the read-ahead in progress, if any (the runner is going away).</summary>
    private void DiscardPrefetch() => Discard(Interlocked.Exchange(ref _prefetch, null));

    private readonly record struct Page(long Head, int ReadSize, IReadOnlyList<StoredEvent> Events);

    private sealed record Prefetch(long From, EventFilter Filter, Task<Page> Read);
}
