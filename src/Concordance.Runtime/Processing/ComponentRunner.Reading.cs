using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Concordance.Storage;
using Microsoft.Extensions.Logging;

namespace Concordance;

// Reading the log: at the head, a page after the checkpoint; behind it, a read-ahead that keeps reading the pages after
// the batch being handled, so the log is read while the events before are projected and committed.
internal abstract partial class ComponentRunner
{
    private ReadAhead? _readAhead;

    /// <summary>
    /// The pages read ahead of the one being handled: two keep the handling fed (reading a page is faster than handling
    /// it), and few pages held means few events outlive a collection of the youngest generation.
    /// </summary>
    private const int ReadAheadPages = 2;

    /// <summary>
    /// The events of a read-ahead page: <see cref="CatchUpBatchSize"/> / 8, between <see cref="BatchSize"/> and
    /// <see cref="CatchUpBatchSize"/> (512 with the defaults). Small enough that the first page is handled soon after
    /// the read starts and the last soon after it ends; large enough that the per-read cost (a query, a fetch) stays small.
    /// </summary>
    private int ReadAheadPageSize => Math.Clamp(CatchUpBatchSize / 8, BatchSize, Math.Max(BatchSize, CatchUpBatchSize));

    /// <summary>
    /// Reads and handles one batch after <paramref name="from"/> (the checkpoint) and commits it. At the head, or within
    /// a batch of it, one page of <see cref="BatchSize"/>. Further behind, up to <see cref="CatchUpBatchSize"/> events
    /// through the read-ahead: each page is handled as it arrives, while the next pages are read; the batch still
    /// commits as one unit with its last position as the checkpoint. The read-ahead outlives the batch and serves the
    /// next one only if it starts where this one ended with the same filter (a reset, a lost commit or a rebuild read
    /// discards it); it ends at the first page shorter than asked, the head as it was then.
    /// </summary>
    private async Task<(int Count, long WaitAfter)> ReadAndHandleAsync(long from, EventFilter filter, CancellationToken cancellationToken)
    {
        var readAhead = TakeReadAhead(from, filter);
        if (readAhead is null)
        {
            // The head is read before the log: every event at or below it is already committed, so an empty read proves none of them is ours.
            var head = await Environment.Store.Events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
            SeeHead(head);
            if (head - from <= BatchSize || CatchUpBatchSize <= BatchSize)
            {
                var page = await Environment.Store.Events.ReadAllAsync(from, BatchSize, filter, cancellationToken).ConfigureAwait(false);
                if (page.Count > 0)
                {
                    Logger.LogDebug("{Component} handling {Count} event(s) at positions {First}..{Last}.", Component, page.Count, page[0].Position, page[^1].Position);
                    await HandleBatchAsync(page, cancellationToken).ConfigureAwait(false);
                }
                return Handled(from, page.Count, head, caughtUp: page.Count < BatchSize);
            }
            readAhead = new ReadAhead(Environment.Store.Events, from, filter, ReadAheadPageSize, ReadAheadPages);
        }
        var (count, readHead, ended) = await HandleReadAheadAsync(readAhead, cancellationToken).ConfigureAwait(false);
        SeeHead(readHead);
        return Handled(from, count, readHead, ended);
    }

    /// <summary>
    /// Handles up to <see cref="CatchUpBatchSize"/> events from <paramref name="readAhead"/> as one batch and commits it.
    /// The events are not kept once handled (a catch-up batch would otherwise hold thousands of them through the
    /// collections its handling triggers): a commit the store refuses for its size reads them again, a batch of
    /// <see cref="BatchSize"/> at a time.
    /// </summary>
    private async Task<(int Count, long Head, bool Ended)> HandleReadAheadAsync(ReadAhead readAhead, CancellationToken cancellationToken)
    {
        var unit = new ComponentUnitOfWork(Environment.Store.Components);
        var from = readAhead.Position;
        long head = -1, first = -1;
        var count = 0;
        var ended = false;
        try
        {
            while (count < CatchUpBatchSize && !ended)
            {
                var part = await readAhead.NextAsync(CatchUpBatchSize - count, cancellationToken).ConfigureAwait(false);
                head = Math.Max(head, part.Head);
                ended = part.Last;
                foreach (var stored in part.Events)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await HandleWithRetriesAsync(stored, unit, cancellationToken).ConfigureAwait(false);
                }
                if (count == 0 && part.Events.Count > 0) first = part.Events[0].Position;
                count += part.Events.Count;
            }
        }
        catch
        {
            readAhead.Stop();
            throw;
        }
        if (ended) readAhead.Stop();
        else Volatile.Write(ref _readAhead, readAhead);
        if (count == 0) return (0, head, ended);
        var last = readAhead.Position;
        Logger.LogDebug("{Component} handling {Count} event(s) at positions {First}..{Last}.", Component, count, first, last);
        try
        {
            await CommitAsync(unit, last).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            Logger.LogWarning(ex, "{Component}: the store refused the commit of {Count} event(s) at positions {First}..{Last} for its size; committing them {BatchSize} at a time.",
                Component, count, first, last, BatchSize);
            StopReadAhead();
            await HandleAgainAsync(from, last, readAhead.Filter, cancellationToken).ConfigureAwait(false);
        }
        return (count, head, ended);
    }

    /// <summary>
    /// Reads the events after <paramref name="from"/> up to <paramref name="last"/> again and handles them a batch of
    /// <see cref="BatchSize"/> at a time, stopping when another worker moves the checkpoint.
    /// </summary>
    private async Task HandleAgainAsync(long from, long last, EventFilter filter, CancellationToken cancellationToken)
    {
        while (from < last)
        {
            var page = await Environment.Store.Events.ReadAllAsync(from, BatchSize, filter, cancellationToken).ConfigureAwait(false);
            var part = page.Where(e => e.Position <= last).ToList();
            if (part.Count == 0) return;
            await HandleBatchAsync(part, cancellationToken).ConfigureAwait(false);
            // Another worker moved the checkpoint: stop and re-read rather than go on from a stale position.
            if (Checkpoint != part[^1].Position) return;
            from = part[^1].Position;
        }
    }

    private void SeeHead(long head) => Volatile.Write(ref _head, Math.Max(Volatile.Read(ref _head), head));

    /// <summary>Records what a batch read: the head it saw and, when it read to the head, that everything up to it is seen.</summary>
    private (int Count, long WaitAfter) Handled(long from, int count, long head, bool caughtUp)
    {
        var processed = count == 0 ? from : Checkpoint;
        if (caughtUp) Volatile.Write(ref _seen, Math.Max(processed, head));
        return (count, Math.Max(processed, head));
    }

    private ReadAhead? TakeReadAhead(long from, EventFilter filter)
    {
        if (Interlocked.Exchange(ref _readAhead, null) is not { } readAhead) return null;
        if (readAhead.Position == from && ReferenceEquals(readAhead.Filter, filter)) return readAhead;
        readAhead.Stop();
        return null;
    }

    /// <summary>Stops the read-ahead in progress, if any (the worker stopped, or the runner is going away).</summary>
    private void StopReadAhead() => Interlocked.Exchange(ref _readAhead, null)?.Stop();

    /// <summary>
    /// Pages of the log after a position, read on the thread pool up to a bound ahead of their handling (a store whose
    /// reads complete synchronously, SQLite, would otherwise read them on the handling thread). Each page reads the head
    /// first, as a batch does. Ends after the first page shorter than asked; a failed read ends it with that failure,
    /// which the next <see cref="NextAsync"/> throws.
    /// </summary>
    private sealed class ReadAhead
    {
        private readonly Channel<Page> _pages;
        private readonly CancellationTokenSource _stop = new();
        private Page? _current;
        private int _offset;

        public ReadAhead(IEventStore events, long from, EventFilter filter, int pageSize, int pagesAhead)
        {
            Position = from;
            Filter = filter;
            _pages = Channel.CreateBounded<Page>(new BoundedChannelOptions(pagesAhead)
            {
                SingleReader = true,
                SingleWriter = true,
            });
            _ = Task.Run(() => ReadAsync(events, from, pageSize, _stop.Token));
        }

        /// <summary>The position of the last event handed out (the start position before the first).</summary>
        public long Position { get; private set; }

        public EventFilter Filter { get; }

        private async Task ReadAsync(IEventStore events, long after, int pageSize, CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    var head = await events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
                    var read = await events.ReadAllAsync(after, pageSize, Filter, cancellationToken).ConfigureAwait(false);
                    var last = read.Count < pageSize;
                    await _pages.Writer.WriteAsync(new Page(head, read, last), cancellationToken).ConfigureAwait(false);
                    if (last) break;
                    after = read[^1].Position;
                }
                _pages.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                _pages.Writer.TryComplete(ex);
            }
        }

        /// <summary>The next events read, at most <paramref name="max"/>, and whether they end the read-ahead.</summary>
        public async ValueTask<Page> NextAsync(int max, CancellationToken cancellationToken)
        {
            if (_current is not { } page)
            {
                try
                {
                    page = await _pages.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ChannelClosedException closed) when (closed.InnerException is { } failure)
                {
                    ExceptionDispatchInfo.Throw(failure);
                    throw;
                }
                _current = page;
                _offset = 0;
            }
            var count = Math.Min(max, page.Events.Count - _offset);
            var events = _offset == 0 && count == page.Events.Count ? page.Events : Slice(page.Events, _offset, count);
            _offset += count;
            var last = false;
            if (_offset == page.Events.Count)
            {
                _current = null;
                last = page.Last;
            }
            if (count > 0) Position = events[^1].Position;
            return new Page(page.Head, events, last);
        }

        private static StoredEvent[] Slice(IReadOnlyList<StoredEvent> events, int offset, int count)
        {
            var slice = new StoredEvent[count];
            for (var i = 0; i < count; i++) slice[i] = events[offset + i];
            return slice;
        }

        /// <summary>Stops reading; a read in flight is cancelled and its outcome ignored.</summary>
        public void Stop()
        {
            _stop.Cancel();
            _pages.Writer.TryComplete();
        }
    }

    /// <summary>Events read after a position: the head seen before the read, and whether the read reached it (the last page).</summary>
    private readonly record struct Page(long Head, IReadOnlyList<StoredEvent> Events, bool Last);
}
