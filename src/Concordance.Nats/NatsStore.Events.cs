using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Concordance.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Concordance.Nats;

public sealed partial class NatsStore
{
    private const int MaxHeadCacheSize = 100_000;
    private const string MsgIdHeader = "Nats-Msg-Id";
    private const string ExpectedLastSubjectSequenceHeader = "Nats-Expected-Last-Subject-Sequence";
    private const int MaxSequenceRetries = 100;

    /// <summary>A stream read gets this many messages one by one before it opens a consumer for the rest.</summary>
    private const int MessagesReadOneByOne = 32;
    private HeadMark? _lastHead;

    // ---------------------------------------------------------------- append

    /// <inheritdoc />
    /// <remarks>
    /// False: every message is acknowledged on its own and the connection pipelines concurrent publishes, so the bus
    /// sends each command's append as it comes instead of batching (a batch waits for its slowest acknowledgement).
    /// </remarks>
    public bool GroupsConcurrentAppends => false;

    /// <inheritdoc />
    /// <remarks>
    /// Requests go out in waves: a wave is the longest run of requests for distinct streams. Within a wave every
    /// message is sent before any acknowledgement is awaited, in request order on the one connection, so the
    /// server assigns sequences (hence positions) in request order; a request for a stream already in the wave
    /// starts the next wave, because its expected sequence is the previous request's result.
    /// </remarks>
    public async ValueTask<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<AppendRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        foreach (var request in requests)
        {
            if (request.RejectionReason is not null && request.Events.Count > 0)
                throw new ArgumentException("A rejection is recorded without events.", nameof(requests));
            if (request.Events.Count >= EventMessage.PositionsPerMessage)
                throw new ArgumentException($"An append carries at most {EventMessage.PositionsPerMessage - 1} events.", nameof(requests));
            // Before anything of the batch is sent: a subject over the control line would close the shared connection.
            EnsureAppendFits(request);
        }
        if (requests.Count == 1)
        {
            // A batch of one (a lone sender): one publish awaited directly, without the wave's gathering.
            var plan = await PrepareAsync(requests[0], cancellationToken).ConfigureAwait(false);
            var single = plan.Decided ?? await CompleteAsync(plan,
                await PublishInTurnAsync(plan, cancellationToken).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            if (single.Events.Count > 0) _signal.Pulse();
            return [single];
        }
        var results = new AppendResult[requests.Count];
        var start = 0;
        while (start < requests.Count)
        {
            var end = start;
            var streams = new HashSet<StreamId>();
            while (end < requests.Count && streams.Add(requests[end].Stream)) end++;
            var plans = await SideBySideAsync(end - start, k => PrepareAsync(requests[start + k], cancellationToken)).ConfigureAwait(false);
            var toPublish = Enumerable.Range(0, plans.Length).Where(k => plans[k].Decided is null).ToArray();
            var published = PublishAllInTurn([.. toPublish.Select(k => plans[k])]);
            // Acks come back in publish order: awaited in that order, all but the first are usually in already.
            var acks = new PubAckResponse?[plans.Length];
            ExceptionDispatchInfo? unanswered = null;
            for (var j = 0; j < toPublish.Length; j++)
            {
                try
                {
                    acks[toPublish[j]] = await published[j].WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // The batch fails, but the messages that did land still get their command records below.
                    unanswered ??= ExceptionDispatchInfo.Capture(ex);
                }
            }
            // The streams of a wave are distinct: their retries (after a conflict or a duplicate) proceed side by side.
            var completed = await SideBySideAsync(plans.Length, k => plans[k].Decided is { } decided
                ? ValueTask.FromResult(decided)
                : acks[k] is { } ack ? CompleteAsync(plans[k], ack, cancellationToken) : ValueTask.FromResult<AppendResult>(null!)).ConfigureAwait(false);
            unanswered?.Throw();
            completed.CopyTo(results, start);
            start = end;
        }
        if (results.Any(r => r.Events.Count > 0)) _signal.Pulse();
        return results;
    }

    /// <summary>
    /// Decides what can be decided before writing (a known command, a stale expected version), else builds the message.
    /// The command id is looked up only when the caller has not and did not make it (<see cref="CommandIdSource"/>): a
    /// repeat racing in after the caller's lookup is still caught by the server through <c>Nats-Msg-Id</c> and
    /// answered from the stored message (<see cref="DuplicateAsync"/>).
    /// </summary>
    private async ValueTask<AppendPlan> PrepareAsync(AppendRequest request, CancellationToken cancellationToken)
    {
        if (request.CommandId is { } commandId && request.CommandIdSource == CommandIdSource.Given
            && await FindCommandAsync(commandId, cancellationToken).ConfigureAwait(false) is { } known)
        {
            var current = await HeadAsync(request.Stream, refresh: true, cancellationToken).ConfigureAwait(false);
            return new AppendPlan(request, new AppendResult(AppendStatus.DuplicateCommand, current.Version, [], known));
        }
        var head = await HeadAsync(request.Stream, refresh: false, cancellationToken).ConfigureAwait(false);
        if (request.ExpectedVersion != ExpectedVersion.Any && request.ExpectedVersion != head.Version)
        {
            // The cached head may be behind another process's appends: only the server's answer is final.
            head = await HeadAsync(request.Stream, refresh: true, cancellationToken).ConfigureAwait(false);
            if (request.ExpectedVersion != head.Version)
                return new AppendPlan(request, new AppendResult(AppendStatus.WrongExpectedVersion, head.Version, []));
        }
        return Plan(request, head);
    }

    private AppendPlan Plan(AppendRequest request, StreamHead head)
    {
        var message = new EventMessage(head.Version + request.Events.Count, request.CommandId, request.RejectionReason, request.Events);
        var headers = new NatsHeaders();
        if (request.Events.Count == 1) headers[TypesHeader] = request.Events[0].Type;
        else if (request.Events.Count > 1) headers[TypesHeader] = string.Join(",", request.Events.Select(e => e.Type).Distinct());
        // The server refuses the message unless the subject's last message is still the one this decision saw.
        headers[ExpectedLastSubjectSequenceHeader] = head.Sequence.ToString(CultureInfo.InvariantCulture);
        // Command id (or the first event's deterministic id, "{command id}-0" from the bus): a retried append within the
        // window is stored once. Prefixed so a command id never collides with an event id.
        if (request.CommandId is { } id) headers[MsgIdHeader] = "c:" + id;
        else if (request.Events.Count > 0) headers[MsgIdHeader] = "e:" + request.Events[0].Id;
        // The checks travel as headers (not as publish options), so every way of publishing sends the same message.
        return new AppendPlan(request, null, EventSubject(request.Stream), message.Encode(), headers, message, head);
    }

    /// <summary>Starts <paramref name="count"/> operations at once and gathers their results; no task is made for those done at once.</summary>
    private static async ValueTask<T[]> SideBySideAsync<T>(int count, Func<int, ValueTask<T>> start)
    {
        var results = new T[count];
        List<(int Index, Task<T> Task)>? pending = null;
        for (var k = 0; k < count; k++)
        {
            var operation = start(k);
            if (operation.IsCompletedSuccessfully) results[k] = operation.Result;
            else (pending ??= []).Add((k, operation.AsTask()));
        }
        if (pending is not null)
        {
            await Task.WhenAll(pending.Select(p => p.Task)).ConfigureAwait(false);
            foreach (var (index, task) in pending) results[index] = await task.ConfigureAwait(false);
        }
        return results;
    }

    private async ValueTask<AppendResult> CompleteAsync(AppendPlan plan, PubAckResponse ack, CancellationToken cancellationToken)
    {
        var request = plan.Request;
        for (var attempt = 0; ; attempt++)
        {
            if (ack.Error is { } error)
            {
                if (error.ErrCode != WrongLastSequence) throw new NatsJSApiException(error);
                // Another writer moved the subject, or the cached head was stale. A rejection recorded meanwhile
                // moves the sequence but not the version, so re-check the version before calling it a conflict.
                var head = await HeadAsync(request.Stream, refresh: true, cancellationToken).ConfigureAwait(false);
                if (request.ExpectedVersion != ExpectedVersion.Any && request.ExpectedVersion != head.Version)
                    return new AppendResult(AppendStatus.WrongExpectedVersion, head.Version, []);
                if (attempt >= MaxSequenceRetries)
                    throw new InvalidOperationException($"The append to '{request.Stream}' lost the race for its subject {attempt} times.");
                plan = Plan(request, head);
                ack = await PublishInTurnAsync(plan, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (ack.Duplicate) return await DuplicateAsync(plan, ack.Seq, cancellationToken).ConfigureAwait(false);

            var message = plan.Message!;
            CacheHead(request.Stream, new StreamHead(message.VersionAfter, ack.Seq));
            // The message is in the log and, within the window, its Nats-Msg-Id answers a repeat. The record for beyond
            // the window is written off the caller's path (see RecordAfterAck), and not at all for an id nobody else
            // knows: a record's only use is to answer a repeat.
            if (request.CommandIdSource != CommandIdSource.Made && message.ToCommandRecord(request.Stream) is { } record) RecordAfterAck(record);
            var stored = new StoredEvent[message.Events.Count];
            for (var i = 0; i < stored.Length; i++) stored[i] = message.ToStored(request.Stream, ack.Seq, i);
            return new AppendResult(AppendStatus.Appended, message.VersionAfter, stored);
        }
    }

    /// <summary>The server already holds a message with this id (a retry within the window): answer from it.</summary>
    private async ValueTask<AppendResult> DuplicateAsync(AppendPlan plan, ulong sequence, CancellationToken cancellationToken)
    {
        var (stream, original) = await GetMessageAsync(sequence, cancellationToken).ConfigureAwait(false);
        if (original.ToCommandRecord(stream) is { } record)
        {
            // The first writer may have died between its publish and its record: write the record now.
            await RecordCommandAsync(record, cancellationToken).ConfigureAwait(false);
            var current = await HeadAsync(plan.Request.Stream, refresh: true, cancellationToken).ConfigureAwait(false);
            return new AppendResult(AppendStatus.DuplicateCommand, current.Version, [], record);
        }
        var events = new StoredEvent[original.Events.Count];
        for (var i = 0; i < events.Length; i++) events[i] = original.ToStored(stream, sequence, i);
        return new AppendResult(AppendStatus.Appended, original.VersionAfter, events);
    }

    // ---------------------------------------------------------------- stream reads

    private async ValueTask<StreamHead> HeadAsync(StreamId stream, bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && _heads.TryGetValue(stream, out var cached)) return cached;
        var last = await LastMessageAsync(stream, cancellationToken).ConfigureAwait(false);
        var head = last is { } l ? new StreamHead(l.Message.VersionAfter, l.Sequence) : default;
        CacheHead(stream, head);
        return head;
    }

    /// <summary>Keeps the later of the cached head and <paramref name="head"/> (by sequence).</summary>
    private void CacheHead(StreamId stream, StreamHead head)
    {
        while (true)
        {
            if (_heads.TryGetValue(stream, out var existing))
            {
                if (existing.Sequence > head.Sequence || _heads.TryUpdate(stream, head, existing)) return;
            }
            else
            {
                // Only a new stream grows the cache, so only then is its size checked: Count takes every lock of the dictionary.
                if (_heads.Count >= MaxHeadCacheSize) _heads.Clear();
                if (_heads.TryAdd(stream, head)) return;
            }
        }
    }

    /// <exception cref="CorruptEventException">The stream's last message cannot be decoded (the stream's version is unknown).</exception>
    private async ValueTask<(ulong Sequence, EventMessage Message)?> LastMessageAsync(StreamId stream, CancellationToken cancellationToken) =>
        await LastRawMessageAsync(stream, cancellationToken).ConfigureAwait(false) is { } last
            ? (last.Sequence, EventMessage.Decode(last.Data, stream, last.Sequence))
            : null;

    private async ValueTask<(ulong Sequence, ReadOnlyMemory<byte> Data)?> LastRawMessageAsync(StreamId stream, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _events.GetAsync(new StreamMsgGetRequest { LastBySubj = EventSubject(stream) }, cancellationToken).ConfigureAwait(false);
            return (response.Message.Seq, response.Message.Data);
        }
        catch (NatsJSApiException ex) when (ex.Error.ErrCode == NoMessageFound)
        {
            return null;
        }
    }

    private async ValueTask<(StreamId Stream, EventMessage Message)> GetMessageAsync(ulong sequence, CancellationToken cancellationToken)
    {
        var response = await _events.GetAsync(new StreamMsgGetRequest { Seq = sequence }, cancellationToken).ConfigureAwait(false);
        var stream = StreamOf(response.Message.Subject);
        return (stream, EventMessage.Decode(response.Message.Data, stream, sequence));
    }

    /// <inheritdoc />
    /// <remarks>
    /// A message that cannot be decoded comes as one unreadable event (<see cref="StoredEvent.Problem"/>) at the version
    /// after the message before it; when it is the stream's last message, the whole stream is scanned to find that version.
    /// </remarks>
    public async IAsyncEnumerable<StoredEvent> ReadStreamAsync(StreamId stream, long fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (await LastRawMessageAsync(stream, cancellationToken).ConfigureAwait(false) is not { } lastRaw) yield break;
        if (EventMessage.TryDecode(lastRaw.Data, out _) is { } last)
        {
            CacheHead(stream, new StreamHead(last.VersionAfter, lastRaw.Sequence));
            if (fromVersion > last.VersionAfter) yield break;
            if (fromVersion >= last.FirstVersion)
            {
                // The common tail read: everything wanted is in the last message, already here.
                for (var i = 0; i < last.Events.Count; i++)
                {
                    var e = last.ToStored(stream, lastRaw.Sequence, i);
                    if (e.Version >= fromVersion) yield return e;
                }
                yield break;
            }
        }
        long versionBefore = 0;
        await foreach (var (_, sequence, data) in ScanAsync(EventSubject(stream), 1, lastRaw.Sequence, cancellationToken).ConfigureAwait(false))
        {
            if (EventMessage.TryDecode(data, out var error) is not { } message)
            {
                if (versionBefore + 1 >= fromVersion)
                    yield return EventMessage.Unreadable(stream, sequence, data, null, versionBefore + 1, EventMessage.DecodeProblem(sequence, error!));
                continue;
            }
            versionBefore = message.VersionAfter;
            if (message.VersionAfter < fromVersion) continue;
            for (var i = 0; i < message.Events.Count; i++)
            {
                var e = message.ToStored(stream, sequence, i);
                if (e.Version >= fromVersion) yield return e;
            }
        }
    }

    /// <summary>
    /// The stored messages on <paramref name="subject"/> from <paramref name="first"/> to <paramref name="last"/>
    /// (inclusive). The first few one by one from the stream's leader (most reads are short: a snapshot's tail), the
    /// rest through a short-lived pull consumer with an explicit <c>filter_subject</c> (2.9 ignores the
    /// <c>filter_subjects</c> list ordered consumers send); one by one again when no consumer can be created.
    /// </summary>
    private async IAsyncEnumerable<(string Subject, ulong Sequence, ReadOnlyMemory<byte> Data)> ScanAsync(
        string subject, ulong first, ulong last, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            AckPolicy = ConsumerConfigAckPolicy.None,
            DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = first,
            FilterSubject = subject,
            InactiveThreshold = TimeSpan.FromMinutes(1),
            MemStorage = true,
            NumReplicas = 1,
        };
        var next = first;
        for (var read = 0; read < MessagesReadOneByOne; read++)
        {
            if (next > last || await NextOnSubjectAsync(subject, next, cancellationToken).ConfigureAwait(false) is not { } message || message.Seq > last) yield break;
            yield return message;
            next = message.Seq + 1;
        }
        if (next > last) yield break;
        config.OptStartSeq = next;
        if (await TryCreateReadConsumerAsync(config, cancellationToken).ConfigureAwait(false) is { } consumer)
        {
            try
            {
                var consumed = 0UL;
                var done = false;
                while (!done && next <= last)
                {
                    var received = 0;
                    await foreach (var msg in consumer.FetchNoWaitAsync(new NatsJSFetchOpts { MaxMsgs = ReadBatch, Expires = TimeSpan.FromSeconds(1) }, Raw, cancellationToken).ConfigureAwait(false))
                    {
                        received++;
                        var metadata = msg.Metadata ?? throw new InvalidOperationException("A consumed message has no metadata.");
                        // A consumer sequence gap is a message lost on the way: the loop below finishes the read.
                        if (metadata.Sequence.Consumer != ++consumed || metadata.Sequence.Stream > last) { done = true; break; }
                        yield return (msg.Subject, metadata.Sequence.Stream, msg.Data ?? []);
                        next = metadata.Sequence.Stream + 1;
                    }
                    // Nothing came: the end, or a consumer gone with its server; the loop below tells which.
                    if (received == 0) done = true;
                }
            }
            finally
            {
                _ = DeleteConsumerQuietlyAsync(config.Name!);
            }
        }
        // Without a (working) consumer, e.g. in a cluster with a node down: ask the stream's leader message by message.
        while (next <= last && await NextOnSubjectAsync(subject, next, cancellationToken).ConfigureAwait(false) is { } message && message.Seq <= last)
        {
            yield return message;
            next = message.Seq + 1;
        }
    }

    private async ValueTask<(string Subject, ulong Seq, ReadOnlyMemory<byte> Data)?> NextOnSubjectAsync(string subject, ulong sequence, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _events.GetAsync(new StreamMsgGetRequest { Seq = sequence, NextBySubj = subject }, cancellationToken).ConfigureAwait(false);
            return (response.Message.Subject, response.Message.Seq, response.Message.Data);
        }
        catch (NatsJSApiException ex) when (ex.Error.ErrCode == NoMessageFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> GetStreamVersionAsync(StreamId stream, CancellationToken cancellationToken = default) =>
        (await HeadAsync(stream, refresh: true, cancellationToken).ConfigureAwait(false)).Version;

    /// <inheritdoc />
    public async ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        var state = (await _js.GetStreamAsync(_eventsStream, cancellationToken: cancellationToken).ConfigureAwait(false)).Info.State;
        if (_lastHead is { } known && known.Sequence == state.LastSeq) return known.Position;
        // Walk back over recorded rejections (messages without events) to the last event.
        for (var sequence = state.LastSeq; sequence >= Math.Max(1, state.FirstSeq); sequence--)
        {
            var response = await _events.GetAsync(new StreamMsgGetRequest { Seq = sequence }, cancellationToken).ConfigureAwait(false);
            // A message that cannot be decoded is read as one (unreadable) event: the head must not depend on decoding it.
            var count = EventMessage.TryDecode(response.Message.Data, out _) is { } message ? message.Events.Count : 1;
            if (count == 0) continue;
            var position = EventMessage.Position(sequence, count - 1);
            _lastHead = new HeadMark(state.LastSeq, position);
            return position;
        }
        return 0;
    }

    /// <inheritdoc />
    /// <remarks>Appends in this process pulse the signal; the poll catches other hosts' appends.</remarks>
    public ValueTask WaitForEventsAsync(long afterPosition, CancellationToken cancellationToken = default) =>
        _signal.WaitForHeadAsync(GetHeadPositionAsync, afterPosition, _options.PollInterval, cancellationToken);

    /// <summary>The last message's sequence and the position of the last event at or before it.</summary>
    private sealed record HeadMark(ulong Sequence, long Position);

    private sealed record AppendPlan(
        AppendRequest Request,
        AppendResult? Decided,
        string Subject = "",
        byte[]? Body = null,
        NatsHeaders? Headers = null,
        EventMessage? Message = null,
        StreamHead Head = default);
}
