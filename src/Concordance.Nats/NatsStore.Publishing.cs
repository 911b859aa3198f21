using System.Buffers;
using System.Globalization;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Concordance.Nats;

public sealed partial class NatsStore
{
    private readonly Lock _publishGate = new();
    private readonly Queue<QueuedPublish> _publishQueue = new();
    /// <summary>
    /// Appends published and awaiting their acknowledgement, by token; under <see cref="_acksGate"/>. A plain dictionary
    /// under one short lock: the publisher adds and the socket reader removes about the same number of entries, and a
    /// striped dictionary's locks collided between the two (consecutive tokens, a window of them apart).
    /// </summary>
    private readonly Dictionary<long, QueuedPublish> _awaitingAcks = new();
    private readonly Lock _acksGate = new();
    private bool _publishing;
    private long _pipelinedPublishes;
    private long _republished;
    private int _acksToLose;
    private TimeSpan _turnHold;

    /// <summary>How many times a queued append is published when its acknowledgement does not come: once, and once more.</summary>
    private const int MaxPublishAttempts = 2;
    private long _lastAckToken;
    private string _ackPrefix = null!;
    private AckInbox? _ackInbox;
    private ITimer? _ackSweeper;

    /// <summary>
    /// Publishes one append and returns its acknowledgement. Every message carries a reply subject on this store's
    /// acknowledgement inbox, and the inbox completes each append as its acknowledgement is read from the socket.
    /// Appends take turns writing to the connection: a sender that finds nobody publishing writes its own message, then
    /// the messages queued behind it meanwhile; one that finds somebody publishing queues its message for them. Nobody
    /// waits for an acknowledgement while holding the turn, as in a raw pipelined publish.
    /// </summary>
    /// <remarks>
    /// With many senders, every publish on its own thread contends for the connection's write lock; on a machine with
    /// few cores the threads then spend more time spinning on that lock than publishing. And a request (NATS.Net's
    /// JetStream publish, or its concurrent publish) costs per message a reply registration, a timer and a reply
    /// message of its own that the shared inbox does not. A message's sequence does not depend on who writes it: the
    /// stream checks each message's expected subject sequence, and appends to one stream never overlap (the bus runs
    /// one command per stream at a time).
    /// </remarks>
    private Task<PubAckResponse> PublishInTurnAsync(AppendPlan plan, CancellationToken cancellationToken)
    {
        var queued = new QueuedPublish(plan, NewAck());
        lock (_publishGate)
        {
            if (_publishing)
            {
                _publishQueue.Enqueue(queued);
                return queued.Ack.Task;
            }
            _publishing = true;
        }
        return PublishOwnTurnAsync(queued, cancellationToken);
    }

    /// <summary>
    /// A sender's turn: it writes its own message, then one batch of the messages queued meanwhile (while its
    /// acknowledgement is on its way anyway), hands any later ones to a publisher of their own, and awaits its
    /// acknowledgement.
    /// </summary>
    private async Task<PubAckResponse> PublishOwnTurnAsync(QueuedPublish queued, CancellationToken cancellationToken)
    {
        try
        {
            // Returns once the message is written to the connection.
            await PublishAsync(queued, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_turnHold > TimeSpan.Zero) await AwaitCompanyAsync(_turnHold).ConfigureAwait(false);
            await PublishQueuedAsync(batches: 1).ConfigureAwait(false);
        }
        return await queued.Ack.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Queues <paramref name="plans"/> for the publisher, which writes them one after another in this order (a wave of
    /// appends, whose positions follow the request order), and returns their acknowledgements.
    /// </summary>
    private Task<PubAckResponse>[] PublishAllInTurn(IReadOnlyList<AppendPlan> plans)
    {
        var acks = new Task<PubAckResponse>[plans.Count];
        lock (_publishGate)
        {
            for (var i = 0; i < plans.Count; i++)
            {
                var queued = new QueuedPublish(plans[i], NewAck());
                _publishQueue.Enqueue(queued);
                acks[i] = queued.Ack.Task;
            }
            if (plans.Count > 0) StartPublisherUnderGate();
        }
        return acks;
    }

    /// <summary>Starts a publisher for the queue (the gate held) unless one is at work.</summary>
    private void StartPublisherUnderGate()
    {
        if (_publishing) return;
        _publishing = true;
        _ = Task.Run(() => PublishQueuedAsync());
    }

    /// <summary>
    /// An append's acknowledgement to come. Its awaiter resumes on the thread pool, never on the thread that completes
    /// it (the connection's socket reader, or a timer): code after an append must not hold up the reading of every
    /// other reply. Each awaiter resumes on its own: one that blocks (waiting on another append, say) holds up nobody.
    /// </summary>
    private static TaskCompletionSource<PubAckResponse> NewAck() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Publishes what is queued, batch after batch, until the queue is empty and the turn ends; after
    /// <paramref name="batches"/> batches the turn passes to a publisher of its own (a sender's turn is bounded). Never
    /// throws: a failed write fails its own append.
    /// </summary>
    private async Task PublishQueuedAsync(int batches = int.MaxValue)
    {
        for (var done = 0; ; done++)
        {
            QueuedPublish[] batch;
            lock (_publishGate)
            {
                if (_publishQueue.Count == 0)
                {
                    _publishing = false;
                    return;
                }
                if (done == batches)
                {
                    _ = Task.Run(() => PublishQueuedAsync());
                    return;
                }
                batch = _publishQueue.ToArray();
                _publishQueue.Clear();
            }
            foreach (var queued in batch)
            {
                _pipelinedPublishes++;
                await PublishAsync(queued, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="queued"/>'s message to the connection with a reply subject on the acknowledgement inbox,
    /// and registers it as awaiting that acknowledgement; a failed write fails the append.
    /// </summary>
    private async ValueTask PublishAsync(QueuedPublish queued, CancellationToken cancellationToken)
    {
        queued.Attempts++;
        var token = Interlocked.Increment(ref _lastAckToken);
        queued.Deadline = Environment.TickCount64 + (long)_connection.Opts.RequestTimeout.TotalMilliseconds;
        lock (_acksGate) _awaitingAcks.Add(token, queued);
        try
        {
            var plan = queued.Plan;
            await _connection.PublishAsync(plan.Subject, plan.Body, plan.Headers, _ackPrefix + token.ToString(CultureInfo.InvariantCulture), Raw, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (TakeAwaiting(token, out _)) queued.Ack.TrySetException(ex);
        }
    }

    /// <summary>
    /// Makes a sender that holds the turn wait, after writing its own message, until another append has queued behind it
    /// or <paramref name="atMost"/> has passed (for tests: concurrent senders then surely go through the queue).
    /// </summary>
    internal void HoldTurns(TimeSpan atMost) => _turnHold = atMost;

    private async Task AwaitCompanyAsync(TimeSpan atMost)
    {
        var until = Environment.TickCount64 + (long)atMost.TotalMilliseconds;
        while (Environment.TickCount64 < until)
        {
            lock (_publishGate)
            {
                if (_publishQueue.Count > 0) return;
            }
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    /// <summary>Appends published by a queue's publisher, not by their own sender (for tests).</summary>
    internal long PipelinedPublishes => Interlocked.Read(ref _pipelinedPublishes);

    /// <summary>Queued appends published again because their acknowledgement was overdue (for tests).</summary>
    internal long Republished => Interlocked.Read(ref _republished);

    /// <summary>Makes the inbox drop the next <paramref name="count"/> acknowledgements, as a reconnect would (for tests).</summary>
    internal void LoseAcks(int count) => Volatile.Write(ref _acksToLose, count);

    /// <summary>Subscribes this store's acknowledgement inbox (at connect).</summary>
    private async Task OpenAckInboxAsync(CancellationToken cancellationToken)
    {
        // Not under the connection's inbox prefix: NATS.Net routes subscriptions there by exact subject, and this one
        // is a wildcard. No stream captures {prefix}.ack.>.
        var inbox = _options.Prefix + ".ack." + Guid.NewGuid().ToString("N");
        _ackPrefix = inbox + ".";
        _ackInbox = new AckInbox(this, _connection, inbox + ".*");
        await _connection.AddSubAsync(_ackInbox, cancellationToken).ConfigureAwait(false);
        // An acknowledgement can be lost (a reconnect, a server that died with the message): after the request timeout the
        // message is published again once (see HandleOverdueAcks).
        _ackSweeper = TimeProvider.System.CreateTimer(_ => HandleOverdueAcks(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// The acknowledgement inbox: a subscription that completes each append from its acknowledgement on the connection's
    /// socket reader, as NATS.Net's own requests are completed, without a channel and a reader task in between.
    /// </summary>
    private sealed class AckInbox(NatsStore store, NatsConnection connection, string subject)
        : NatsSubBase(connection, connection.SubscriptionManager, subject, queueGroup: null, opts: null)
    {
        protected override ValueTask ReceiveInternalAsync(string subject, string? replyTo, ReadOnlySequence<byte>? headersBuffer, ReadOnlySequence<byte> payloadBuffer)
        {
            // Never throws: an exception here would end the subscription, and with it every later acknowledgement.
            store.Acknowledge(subject, headersBuffer, payloadBuffer);
            return ValueTask.CompletedTask;
        }

        /// <summary>The subscription ended (the store is disposing its connection): nothing will answer the appends still waiting.</summary>
        protected override void TryComplete() => store.FailAwaitingAcks(new ObjectDisposedException(nameof(NatsStore)));
    }

    /// <summary>Completes the append waiting for the acknowledgement <paramref name="subject"/> names (on the socket reader).</summary>
    private void Acknowledge(string subject, ReadOnlySequence<byte>? headers, ReadOnlySequence<byte> payload)
    {
        if (Volatile.Read(ref _acksToLose) > 0 && Interlocked.Decrement(ref _acksToLose) >= 0) return;
        if (!long.TryParse(subject.AsSpan(_ackPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var token)
            || !TakeAwaiting(token, out var queued))
            return; // overdue already: published again (its copy's acknowledgement answers) or failed
        try
        {
            if (payload.IsEmpty && IsNoResponders(headers))
                queued.Ack.TrySetException(new NatsNoRespondersException());
            else
                queued.Ack.TrySetResult(ParseAck(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray()));
        }
        catch (Exception ex)
        {
            queued.Ack.TrySetException(ex);
        }
    }

    /// <summary>Whether a reply's headers are the server's "no responders" status (<c>NATS/1.0 503</c>): no stream took the message.</summary>
    private static bool IsNoResponders(ReadOnlySequence<byte>? headers) =>
        headers is { Length: >= 12 } status && status.Slice(8, 4).ToArray().AsSpan().SequenceEqual(" 503"u8);

    /// <summary>Reads a publish acknowledgement: <c>{"stream":…,"seq":…,"duplicate":…}</c> or <c>{"error":{"code":…,"err_code":…,"description":…}}</c>.</summary>
    internal static PubAckResponse ParseAck(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty) throw new NatsJSException("An empty publish acknowledgement.");
        var reader = new Utf8JsonReader(json);
        var ack = new PubAckResponse();
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new NatsJSException("A publish acknowledgement that is not a JSON object.");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "stream": ack.Stream = reader.GetString()!; break;
                case "seq": ack.Seq = reader.GetUInt64(); break;
                case "duplicate": ack.Duplicate = reader.GetBoolean(); break;
                case "domain": ack.Domain = reader.GetString(); break;
                case "error": ack.Error = ParseError(ref reader); break;
                default: reader.Skip(); break;
            }
        }
        // Neither a refusal nor a stored message: nothing can be concluded from it.
        if (ack.Error is null && (ack.Seq == 0 || string.IsNullOrEmpty(ack.Stream)))
            throw new NatsJSException("A publish acknowledgement without a stream and sequence.");
        return ack;
    }

    private static ApiError ParseError(ref Utf8JsonReader reader)
    {
        var error = new ApiError();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "code": error.Code = reader.GetInt32(); break;
                case "err_code": error.ErrCode = reader.GetInt32(); break;
                case "description": error.Description = reader.GetString(); break;
                default: reader.Skip(); break;
            }
        }
        return error;
    }

    /// <summary>Removes the append waiting for the acknowledgement <paramref name="token"/>; false when it was answered already.</summary>
    private bool TakeAwaiting(long token, out QueuedPublish queued)
    {
        lock (_acksGate) return _awaitingAcks.Remove(token, out queued!);
    }

    /// <summary>
    /// An acknowledgement overdue (lost in a reconnect, or with a server that failed over) is asked for again by
    /// publishing the same message once more, as NATS.Net's own publish does: within the duplicate window the server
    /// stores it once and answers the copy as a duplicate of the first, whose outcome the append then reports. The
    /// append fails only when the copy goes unanswered too.
    /// </summary>
    private void HandleOverdueAcks()
    {
        var now = Environment.TickCount64;
        List<QueuedPublish>? overdue = null;
        lock (_acksGate)
        {
            // Removing the current entry while enumerating a Dictionary is allowed.
            foreach (var (token, queued) in _awaitingAcks)
            {
                if (queued.Deadline < now && _awaitingAcks.Remove(token)) (overdue ??= []).Add(queued);
            }
        }
        if (overdue is null) return;
        List<QueuedPublish>? again = null;
        foreach (var queued in overdue)
        {
            if (queued.Attempts < MaxPublishAttempts) (again ??= []).Add(queued);
            else queued.Ack.TrySetException(new NatsJSPublishNoResponseException());
        }
        if (again is null) return;
        Interlocked.Add(ref _republished, again.Count);
        lock (_publishGate)
        {
            foreach (var queued in again) _publishQueue.Enqueue(queued);
            StartPublisherUnderGate();
        }
    }

    private void FailAwaitingAcks(Exception reason)
    {
        QueuedPublish[] waiting;
        lock (_acksGate)
        {
            waiting = [.. _awaitingAcks.Values];
            _awaitingAcks.Clear();
        }
        foreach (var queued in waiting) queued.Ack.TrySetException(reason);
    }

    /// <summary>Stops reading acknowledgements (at dispose, before the connection closes); appends still waiting fail.</summary>
    private async Task CloseAckInboxAsync()
    {
        if (_ackSweeper is { } sweeper) await sweeper.DisposeAsync().ConfigureAwait(false);
        if (_ackInbox is { } inbox) await inbox.DisposeAsync().ConfigureAwait(false);
        FailAwaitingAcks(new ObjectDisposedException(nameof(NatsStore)));
    }

    private sealed record QueuedPublish(AppendPlan Plan, TaskCompletionSource<PubAckResponse> Ack)
    {
        /// <summary>When its acknowledgement is overdue (<see cref="Environment.TickCount64"/>).</summary>
        public long Deadline { get; set; }

        /// <summary>How many times it has been published.</summary>
        public int Attempts { get; set; }
    }
}
