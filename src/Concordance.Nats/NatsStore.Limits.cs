using System.Globalization;
using System.Text;
using System.Text.Json;
using Concordance.Storage;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;

namespace Concordance.Nats;

// Size limits. A server closes the whole connection on a control line ("HPUB <subject> <reply> <sizes>") longer than
// its max_control_line, and NATS.Net does not check it: every other sender on the connection would stall while it
// reconnects. So every subject built from something a user chose (a stream key, a command id, a document key) is
// measured before it is sent, and an operation that would not fit is refused with ArgumentException, nothing sent.
// Payloads over the server's max_payload are refused the same way (NATS.Net would refuse them too, but as a plain
// NatsException and only once the message is built).
public sealed partial class NatsStore
{
    /// <summary>A control line's verb, three spaces, two sizes of up to ten digits and its CRLF.</summary>
    private const int ControlLineFraming = 32;

    /// <summary>Room for a request's reply subject on NATS.Net's inbox (<c>{inbox prefix}.{id}.{id}</c>) beyond the prefix itself.</summary>
    private const int RequestReplyRoom = 64;

    /// <summary>Room for the headers of a KV write or a publish (expected sequence, message id, operation): all but the event message's own.</summary>
    private const int HeaderRoom = 512;

    /// <summary>The server's default <c>max_payload</c>, used until the connection has its server's INFO.</summary>
    private const int DefaultMaxPayload = 1024 * 1024;

    /// <summary>How the consumers of long stream reads are named: this and 32 hex digits (see <c>TryCreateReadConsumerAsync</c>).</summary>
    private const string ReadConsumerPrefix = "read-";

    private int _maxSubjectBytes;

    /// <summary>
    /// The most bytes any subject this store sends may have: the control line less its framing and the longest reply
    /// subject it carries (the acknowledgement inbox of appends, NATS.Net's inbox of requests). Set at connect.
    /// </summary>
    internal int MaxSubjectBytes => _maxSubjectBytes;

    /// <summary>The store's connection (for tests: its disconnects, its server's limits).</summary>
    internal NatsConnection Connection => _connection;

    private void MeasureControlLine()
    {
        var longestReply = Math.Max(_ackPrefix.Length + 20, _connection.Opts.InboxPrefix.Length + RequestReplyRoom);
        _maxSubjectBytes = _options.MaxControlLine - ControlLineFraming - longestReply;
    }

    /// <summary>The server's <c>max_payload</c>: the most bytes a message's headers and body may have together.</summary>
    private int MaxPayload => _connection.ServerInfo is { MaxPayload: > 0 } info ? (int)Math.Min(info.MaxPayload, int.MaxValue) : DefaultMaxPayload;

    /// <summary>
    /// The longest an event subject may be: a stream read that goes beyond the last messages creates a consumer whose
    /// API subject (<c>$JS.API.CONSUMER.CREATE.{stream}.{name}.{filter}</c>) carries the event subject.
    /// </summary>
    private int MaxEventSubjectBytes =>
        _maxSubjectBytes - ("$JS.API.CONSUMER.CREATE.".Length + _eventsStream.Length + 1 + ReadConsumerPrefix.Length + 32 + 1);

    /// <summary>
    /// The longest a key of <paramref name="bucket"/> may be: reading it back is a direct get whose subject
    /// (<c>$JS.API.DIRECT.GET.KV_{bucket}.$KV.{bucket}.{key}</c>) is the longest subject the key travels in.
    /// </summary>
    private int MaxKeyBytes(INatsKVStore bucket) =>
        _maxSubjectBytes - ("$JS.API.DIRECT.GET.KV_".Length + bucket.Bucket.Length + ".$KV.".Length + bucket.Bucket.Length + ".".Length);

    /// <summary>Whether <paramref name="key"/> fits <paramref name="bucket"/>; a key that does not was never written, so reading it finds nothing.</summary>
    private bool KeyFits(INatsKVStore bucket, string key) => key.Length <= MaxKeyBytes(bucket);

    /// <summary>Refuses a KV key (ASCII, from <see cref="SubjectToken"/>) that would make a subject over the control line.</summary>
    private void EnsureKeyFits(INatsKVStore bucket, string key, string what, string raw)
    {
        var max = MaxKeyBytes(bucket);
        if (key.Length > max)
            throw new ArgumentException(TooLong(what, raw, key.Length, max, $"as a key of KV bucket {bucket.Bucket}"));
    }

    /// <summary>
    /// Refuses, before anything is sent, an append whose subject, snapshot key or command record key would make a control
    /// line longer than the servers' <c>max_control_line</c>, or whose message would be over the server's <c>max_payload</c>.
    /// </summary>
    internal void EnsureAppendFits(AppendRequest request)
    {
        var stream = request.Stream;
        var subject = EventSubject(stream);
        if (subject.Length > MaxEventSubjectBytes)
        {
            // Reported as the key's own share of the subject, which is what the caller chose.
            var token = SubjectToken.Encode(stream.Key).Length;
            throw new ArgumentException(TooLong($"The stream {stream.Category} key '{Shorten(stream.Key)}'", stream.Key,
                token, MaxEventSubjectBytes - (subject.Length - token), "in its event subject"), nameof(request));
        }
        EnsureKeyFits(_snapshots, StreamKey(stream), $"The stream {stream.Category} key '{Shorten(stream.Key)}'", stream.Key);
        if (request.CommandId is { } commandId)
            EnsureKeyFits(_commands, SubjectToken.Encode(commandId), $"The command id '{Shorten(commandId)}'", commandId);
        // The body, and headers: the message id (the command id, or the first event's), the event types, the expected sequence.
        var size = HeaderRoom + EventMessage.SizeOf(request) + Encoding.UTF8.GetByteCount(request.CommandId ?? (request.Events.Count > 0 ? request.Events[0].Id : ""));
        for (var i = 0; i < request.Events.Count; i++) size += Encoding.UTF8.GetByteCount(request.Events[i].Type) + 1;
        if (size > MaxPayload)
            throw new ArgumentException(
                $"The append to '{stream}' is too large for the NATS server: its message takes about {size:N0} bytes with its headers, and the server's max_payload is {MaxPayload:N0} bytes.",
                nameof(request));
    }

    /// <summary>Refuses a snapshot whose key would not fit the snapshots bucket or whose value would not fit one message.</summary>
    private void EnsureSnapshotFits(Snapshot snapshot, string key)
    {
        EnsureKeyFits(_snapshots, key, $"The stream {snapshot.Stream.Category} key '{Shorten(snapshot.Stream.Key)}'", snapshot.Stream.Key);
        if (HeaderRoom + 8L + snapshot.Data.Length > MaxPayload)
            throw new ArgumentException(
                $"The snapshot of '{Shorten(snapshot.Stream.ToString())}' is too large for the NATS server: {snapshot.Data.Length:N0} bytes, and the server's max_payload is {MaxPayload:N0} bytes.",
                nameof(snapshot));
    }

    /// <summary>Refuses a document write whose key would not fit the documents bucket or whose value would not fit a commit message.</summary>
    private void EnsureDocumentFits(DocumentWrite write)
    {
        EnsureKeyFits(_documents, DocumentKey(write.Collection, write.Key), $"The document key '{Shorten(write.Key)}' of {write.Collection}", write.Key);
        // The value travels in the commit message too, as base64 in its JSON: a third more.
        var size = HeaderRoom + (write.Data is { Length: var length } ? (length + 2) / 3 * 4 : 0) + Encoding.UTF8.GetByteCount(write.Key) * 6 + write.Collection.Length * 6;
        if (size > MaxPayload)
            throw new ArgumentException(
                $"The document '{Shorten(write.Key)}' of {write.Collection} is too large for the NATS store: {write.Data?.Length:N0} bytes take about {size:N0} in its commit message, and the server's max_payload is {MaxPayload:N0} bytes.",
                nameof(write));
    }

    /// <inheritdoc />
    /// <remarks>
    /// On NATS a document key must fit, once escaped (<see cref="SubjectToken"/>), in the subjects of the documents bucket
    /// under the servers' <see cref="NatsStoreOptions.MaxControlLine"/>, and its value in one message under the server's
    /// <c>max_payload</c> (as base64 in the commit message, so about three quarters of it).
    /// </remarks>
    public void EnsureCanHold(DocumentWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        EnsureDocumentFits(write);
    }

    /// <summary>Refuses, before anything is published, a commit with a key that would not fit or a body over <c>max_payload</c>.</summary>
    private byte[] SerializeCommit(string component, CommitBody body)
    {
        foreach (var write in body.Documents) EnsureDocumentFits(write);
        foreach (var message in body.Outbox) EnsureKeyFits(_outbox, "p." + SubjectToken.Encode(message.Id), $"The outbox message id '{Shorten(message.Id)}'", message.Id);
        foreach (var letter in body.DeadLetters) EnsureKeyFits(_deadLetters, SubjectToken.Encode(letter.Id), $"The dead letter id '{Shorten(letter.Id)}'", letter.Id);
        var data = JsonSerializer.SerializeToUtf8Bytes(body, NatsJson.Default.CommitBody);
        if (data.Length + HeaderRoom > MaxPayload)
            throw new ArgumentException(
                $"The commit of {component} is too large for the NATS server: {body.Documents.Count} document write(s), {body.Outbox.Count} outbox message(s) and {body.DeadLetters.Count} dead letter(s) take {data.Length:N0} bytes, and the server's max_payload is {MaxPayload:N0} bytes.",
                nameof(body));
        return data;
    }

    private static string TooLong(string what, string raw, int bytes, int max, string where) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{what} is too long for the NATS store: {Encoding.UTF8.GetByteCount(raw):N0} bytes of UTF-8 take {bytes:N0} bytes {where} once escaped (characters other than ASCII letters, digits, '_' and '-' take three each), and at most {max:N0} fit under the servers' max_control_line (NatsStoreOptions.MaxControlLine).");

    /// <summary>The first characters of a long value, for a message that must not repeat kilobytes of it.</summary>
    private static string Shorten(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");
}
