using Concordance.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Concordance.Nats;

public sealed partial class NatsStore
{
    /// <summary>Idle readers kept between pages; beyond this the least recently used one is closed.</summary>
    private const int MaxIdleCursors = 32;

    /// <summary>Fetches that come back empty although the consumer says more is pending, before giving up.</summary>
    private const int MaxFillAttempts = 3;

    private readonly List<LogCursor> _idleCursors = [];

    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// Gap-safe by construction: JetStream assigns a message's sequence when it stores it, and stores messages
    /// in sequence order, so once sequence n is readable every lower sequence is already stored (a refused
    /// publish consumes no sequence). A reader that resumes after the last position it saw never skips a
    /// message committed late.
    /// </para>
    /// <para>
    /// A reader paging through the log keeps one pull consumer (ephemeral, no acks, in memory) across pages: a
    /// call that resumes where an earlier call ended (same filter, an after-position at or past the last event
    /// returned) picks up that call's consumer and the messages it had fetched beyond the page, so a page costs
    /// at most one fetch round trip per batch rather than a consumer's creation and deletion. The type filter
    /// cannot be a subject filter (subjects name streams, and one message may carry events of several types):
    /// messages whose <c>Concordance-Types</c> header names none of the wanted types are skipped undecoded.
    /// </para>
    /// <para>
    /// A read whose filter names a component (<see cref="EventFilter.Component"/>: a worker's) goes through that
    /// component's durable pull consumers instead, one per stream category of <see cref="EventFilter.Categories"/>
    /// (subject <c>{prefix}.ev.{category}.*</c>, see <see cref="ComponentConsumerName"/>), merged gap-safely in
    /// sequence order, and recreated at the asked position whenever the read does not resume where the component's
    /// last read ended. The reads without a component (rebuilds, tools, tests) keep to the ephemeral readers.
    /// </para>
    /// </remarks>
    public async ValueTask<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterPosition, int maxCount, EventFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        afterPosition = Math.Max(0, afterPosition);
        if (filter?.Component is { } component)
            return await ReadComponentAsync(component, afterPosition, maxCount, filter, cancellationToken).ConfigureAwait(false);
        var cursor = TakeCursor(afterPosition, filter)
            ?? new LogCursor(filter, afterPosition, Math.Max(1, EventMessage.SequenceOf(afterPosition)));
        IReadOnlyList<StoredEvent> page;
        try
        {
            page = await ReadPageAsync(cursor, afterPosition, maxCount, filter, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The page in progress may have taken messages off the cursor's buffer: it cannot serve anyone now.
            CloseConsumer(cursor);
            throw;
        }
        ReturnCursor(cursor);
        return page;
    }

    private async ValueTask<IReadOnlyList<StoredEvent>> ReadPageAsync(LogCursor cursor, long afterPosition, int maxCount, EventFilter? filter, CancellationToken cancellationToken)
    {
        var result = new List<StoredEvent>(Math.Min(maxCount, 1024));
        var firstSequence = EventMessage.SequenceOf(afterPosition);
        // The header check is exact only for types without commas (the header joins the types with commas).
        var headerTypes = filter is not null && !filter.EventTypes.Any(t => t.Contains(',')) ? filter.EventTypes : null;
        var fetched = false;
        while (result.Count < maxCount)
        {
            if (cursor.Buffer.Count == 0)
            {
                // The last fetch of this call reached the end of the log: another would only say so again.
                if (fetched && cursor.Pending == 0) break;
                fetched = true;
                if (!await FillAsync(cursor, cancellationToken).ConfigureAwait(false)) break;
                continue;
            }
            var raw = cursor.Buffer.Peek();
            if (raw.Sequence < firstSequence || (headerTypes is not null && raw.Types is { } types && !NamesAny(types, headerTypes)))
            {
                cursor.Buffer.Dequeue();
                continue;
            }
            if (AddEvents(raw, afterPosition, maxCount, filter, result)) cursor.Buffer.Dequeue();
        }
        // Every matching event up to the last one returned has left the buffer; none after it has.
        cursor.ResumeAfter = result.Count > 0 ? Math.Max(afterPosition, result[^1].Position) : afterPosition;
        return result;
    }

    /// <summary>
    /// Adds to <paramref name="page"/> (not full yet) the events of <paramref name="raw"/> after <paramref name="afterPosition"/>
    /// that pass <paramref name="filter"/>; false when the page filled inside the message, so the next page starts in it. A
    /// message that cannot be read stands as one unreadable event at its first position (<see cref="EventMessage.Unreadable"/>)
    /// and passes the filter unless its types header names none of the wanted types: one bad message must not stop its readers.
    /// </summary>
    private bool AddEvents(RawEventMessage raw, long afterPosition, int maxCount, EventFilter? filter, List<StoredEvent> page)
    {
        var (stream, subjectProblem) = StreamOfStored(raw.Subject);
        Exception? error = null;
        var message = subjectProblem is null ? EventMessage.TryDecode(raw.Data, out error) : null;
        if (message is null)
        {
            if (EventMessage.Position(raw.Sequence, 0) > afterPosition && (filter is null || raw.Types is null || NamesAny(raw.Types, filter.EventTypes)))
                page.Add(EventMessage.Unreadable(stream, raw.Sequence, raw.Data, raw.Types, 0, subjectProblem ?? EventMessage.DecodeProblem(raw.Sequence, error!)));
            return true;
        }
        for (var i = 0; i < message.Events.Count; i++)
        {
            if (EventMessage.Position(raw.Sequence, i) <= afterPosition) continue;
            if (filter is not null && !filter.Matches(message.Events[i].Type)) continue;
            if (page.Count == maxCount) return false;
            page.Add(message.ToStored(stream, raw.Sequence, i));
        }
        return true;
    }

    /// <summary>The stream <paramref name="subject"/> names, or (when it names none) a stand-in and the reason.</summary>
    private (StreamId Stream, string? Problem) StreamOfStored(string subject)
    {
        try
        {
            return (StreamOf(subject), null);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return (new StreamId("", subject), $"its subject '{subject}' names no stream: {ex.Message}");
        }
    }

    private static bool NamesAny(string header, IReadOnlySet<string> wanted)
    {
        foreach (var range in header.AsSpan().Split(','))
        {
            if (wanted.Contains(header[range])) return true;
        }
        return false;
    }

    /// <summary>
    /// Fetches the next batch into the cursor's buffer; false when the log has nothing more. A consumer that no
    /// longer answers (removed after inactivity, its server gone, a message dropped on the way) is replaced by a
    /// new one starting where the cursor stands.
    /// </summary>
    private async ValueTask<bool> FillAsync(LogCursor cursor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var fresh = false;
            if (cursor.Consumer is null)
            {
                await OpenConsumerAsync(cursor, cancellationToken).ConfigureAwait(false);
                fresh = true;
            }
            var (received, broken) = await FetchAsync(cursor, cancellationToken).ConfigureAwait(false);
            if (broken) CloseConsumer(cursor);
            if (received > 0) return true;
            if (!broken)
            {
                // An empty fetch means the end of the log, or a consumer nobody answers for: 2.9 does not say which.
                var pending = fresh ? cursor.Pending : await CheckConsumerAsync(cursor, cancellationToken).ConfigureAwait(false);
                if (pending == 0) return false;
                if (pending is null) CloseConsumer(cursor);
            }
            if (attempt >= MaxFillAttempts)
                throw new NatsJSException($"Reading the events stream '{_eventsStream}' from sequence {cursor.NextSequence} returned nothing although messages are pending.");
        }
    }

    private async ValueTask<(int Received, bool Broken)> FetchAsync(LogCursor cursor, CancellationToken cancellationToken)
    {
        var received = 0;
        try
        {
            // A short expiry: a fetch from a consumer that is gone ends after it instead of the client's default 30 s.
            var options = new NatsJSFetchOpts { MaxMsgs = ReadBatch, Expires = TimeSpan.FromSeconds(1) };
            await foreach (var msg in cursor.Consumer!.FetchNoWaitAsync(options, Raw, cancellationToken).ConfigureAwait(false))
            {
                // Consumer sequences are contiguous for a consumer without acks: a gap is a message lost on the way
                // (the client drops messages when a subscription's buffer is full).
                if (msg.Metadata is not { } metadata || metadata.Sequence.Consumer != cursor.ConsumerSequence + 1 || metadata.Sequence.Stream < cursor.NextSequence)
                    return (received, true);
                cursor.ConsumerSequence = metadata.Sequence.Consumer;
                cursor.NextSequence = metadata.Sequence.Stream + 1;
                cursor.Pending = metadata.NumPending;
                string? types = msg.Headers is { } headers && headers.TryGetValue(TypesHeader, out var values) ? values.ToString() : null;
                cursor.Buffer.Enqueue(new RawEventMessage(msg.Subject, metadata.Sequence.Stream, msg.Data ?? [], types));
                received++;
            }
            return (received, false);
        }
        catch (NatsException) when (!cancellationToken.IsCancellationRequested)
        {
            return (received, true);
        }
    }

    /// <summary>What the cursor's consumer still has pending, or null when it is gone or has delivered messages the cursor never saw.</summary>
    private async ValueTask<ulong?> CheckConsumerAsync(LogCursor cursor, CancellationToken cancellationToken)
    {
        try
        {
            var info = (await _js.GetConsumerAsync(_eventsStream, cursor.ConsumerName!, cancellationToken).ConfigureAwait(false)).Info;
            if (info.Delivered.ConsumerSeq != cursor.ConsumerSequence) return null;
            return info.NumPending;
        }
        catch (NatsException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private int ReadBatch => Math.Clamp(_connection.Opts.SubPendingChannelCapacity, 1, 1000);

    private async ValueTask OpenConsumerAsync(LogCursor cursor, CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            AckPolicy = ConsumerConfigAckPolicy.None,
            DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = cursor.NextSequence,
            // Removed by the server when its reader is gone (a host that died keeps nothing alive).
            InactiveThreshold = TimeSpan.FromMinutes(2),
            MemStorage = true,
            NumReplicas = 1,
        };
        var consumer = await TryCreateReadConsumerAsync(config, cancellationToken).ConfigureAwait(false)
            ?? throw new NatsJSException($"No consumer on the events stream '{_eventsStream}' could be created: the cluster did not answer.");
        cursor.Consumer = consumer;
        cursor.ConsumerName = config.Name;
        cursor.ConsumerSequence = 0;
        cursor.Pending = consumer.Info.NumPending;
    }

    /// <summary>
    /// Creates a reading consumer (ephemeral, in memory, one replica) under a new name, or null when none answers in a
    /// few tries. A cluster keeps placing one-replica consumers on a killed node until it notices the node is gone
    /// (without a shutdown notice, only once its heartbeats are overdue); such a creation never answers, so each try is
    /// short and the next one, under another name, is placed afresh.
    /// </summary>
    private async ValueTask<INatsJSConsumer?> TryCreateReadConsumerAsync(ConsumerConfig config, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            config.Name = "read-" + Guid.NewGuid().ToString("N");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConsumerCreateTimeout);
            try
            {
                return await _js.CreateOrUpdateConsumerAsync(_eventsStream, config, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NatsJSApiNoResponseException or NatsNoReplyException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                _ = DeleteConsumerQuietlyAsync(config.Name);
            }
        }
        return null;
    }

    private static readonly TimeSpan ConsumerCreateTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Forgets the cursor's consumer (a later fill opens a new one) and deletes it on the server in the background.</summary>
    private void CloseConsumer(LogCursor cursor)
    {
        if (cursor.ConsumerName is not { } name) return;
        cursor.Consumer = null;
        cursor.ConsumerName = null;
        _ = DeleteConsumerQuietlyAsync(name);
    }

    private async Task DeleteConsumerQuietlyAsync(string name)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _js.DeleteConsumerAsync(_eventsStream, name, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException or ObjectDisposedException)
        {
            // The server removes it after its inactivity threshold anyway.
        }
    }

    private LogCursor? TakeCursor(long afterPosition, EventFilter? filter)
    {
        var sequence = EventMessage.SequenceOf(afterPosition);
        lock (_idleCursors)
        {
            LogCursor? best = null;
            foreach (var cursor in _idleCursors)
            {
                if (cursor.ResumeAfter > afterPosition || sequence > cursor.NextSequence || !SameFilter(cursor.Filter, filter)) continue;
                if (best is null || cursor.ResumeAfter > best.ResumeAfter) best = cursor;
            }
            if (best is not null) _idleCursors.Remove(best);
            return best;
        }
    }

    private void ReturnCursor(LogCursor cursor)
    {
        LogCursor? evicted;
        lock (_idleCursors)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                evicted = cursor;
            }
            else
            {
                cursor.LastUsed = Environment.TickCount64;
                _idleCursors.Add(cursor);
                evicted = _idleCursors.Count > MaxIdleCursors ? _idleCursors.MinBy(c => c.LastUsed) : null;
                if (evicted is not null) _idleCursors.Remove(evicted);
            }
        }
        if (evicted is not null) CloseConsumer(evicted);
    }

    /// <summary>Deletes the idle readers' consumers (best effort: the server's inactivity threshold is the backstop).</summary>
    private async Task CloseCursorsAsync()
    {
        string[] names;
        lock (_idleCursors)
        {
            names = [.. _idleCursors.Select(c => c.ConsumerName).OfType<string>()];
            _idleCursors.Clear();
        }
        await Task.WhenAll(names.Select(DeleteConsumerQuietlyAsync)).ConfigureAwait(false);
    }

    private static bool SameFilter(EventFilter? a, EventFilter? b) =>
        a is null ? b is null : b is not null && a.EventTypes.Count == b.EventTypes.Count && a.EventTypes.All(b.EventTypes.Contains);

    /// <summary>A message fetched from the events stream and not yet returned in a page.</summary>
    private readonly record struct RawEventMessage(string Subject, ulong Sequence, ReadOnlyMemory<byte> Data, string? Types);

    /// <summary>
    /// One reader's place in the global log: its consumer, the messages fetched beyond its last page, and the
    /// lowest after-position it can serve (every matching event after it is in the buffer or not fetched yet).
    /// </summary>
    private sealed class LogCursor(EventFilter? filter, long resumeAfter, ulong nextSequence)
    {
        public EventFilter? Filter { get; } = filter;

        public long ResumeAfter { get; set; } = resumeAfter;

        /// <summary>The next stream sequence to fetch (one past the last fetched).</summary>
        public ulong NextSequence { get; set; } = nextSequence;

        public INatsJSConsumer? Consumer { get; set; }

        public string? ConsumerName { get; set; }

        /// <summary>The consumer sequence of the last message fetched (0 before the first).</summary>
        public ulong ConsumerSequence { get; set; }

        /// <summary>What the consumer had left after the last message fetched.</summary>
        public ulong Pending { get; set; }

        public long LastUsed { get; set; }

        public Queue<RawEventMessage> Buffer { get; } = new();
    }
}
