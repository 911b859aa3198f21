using System.Buffers.Binary;
using System.Text;
using Concordance.Storage;

namespace Concordance.Nats;

/// <summary>
/// The body of one message in the events stream: one append request, decided as a whole. A message is the
/// only thing JetStream 2.9 writes atomically, so a request's events travel together in one message and
/// become visible all at once or not at all (2.9 has no atomic batch publish; publishing one message per
/// event would let a crash leave half an append in the log). A recorded rejection is a message with no
/// events: it must sit on the stream's subject so that recording it is conditional on the stream's last
/// sequence, exactly like an append.
/// </summary>
/// <remarks>
/// Layout (format 1): format byte, stream version after the message, command id?, rejection reason?, event
/// count, then per event: id, type, schema version, time (UTC ticks), source, correlation id?, causation id?,
/// data (length-prefixed bytes). Strings are 7-bit-length-prefixed UTF-8; <c>?</c> marks a presence byte.
/// The category and key are not repeated: they are the subject's last two tokens. Format 2, written only when an event
/// carries a trace context, adds per event after the data: traceparent?, tracestate? (the W3C trace context travels in
/// the body, with each event, so every way of reading a message gets it back).
/// </remarks>
internal sealed record EventMessage(long VersionAfter, string? CommandId, string? RejectionReason, IReadOnlyList<NewEvent> Events)
{
    private const byte Format = 1;

    /// <summary>Format 1 plus each event's trace context.</summary>
    private const byte TracedFormat = 2;

    private bool Traced
    {
        get
        {
            for (var i = 0; i < Events.Count; i++)
            {
                if (Events[i].TraceParent is not null || Events[i].TraceState is not null) return true;
            }
            return false;
        }
    }

    /// <summary>
    /// Positions are <c>sequence × PositionsPerMessage + index</c>: the events of one append get consecutive
    /// positions, positions grow with the stream sequence, and the position maps back to the message. Bounds an
    /// append to this many events (far beyond what the server's 1 MB default payload fits anyway).
    /// </summary>
    public const long PositionsPerMessage = 1_000_000;

    public long FirstVersion => VersionAfter - Events.Count + 1;

    public static long Position(ulong sequence, int index) => checked((long)sequence * PositionsPerMessage + index);

    public static ulong SequenceOf(long position) => (ulong)(position / PositionsPerMessage);

    public static int IndexOf(long position) => (int)(position % PositionsPerMessage);

    /// <summary>The most bytes the body of <paramref name="request"/>'s message can take, whatever version it lands at.</summary>
    public static long SizeOf(AppendRequest request) => new EventMessage(long.MaxValue, request.CommandId, request.RejectionReason, request.Events).Size();

    /// <summary>The body's size in bytes (long: an append's data may add up past what one message can hold).</summary>
    private long Size()
    {
        var traced = Traced;
        long size = 1 + SizeOf7Bit((ulong)VersionAfter) + OptionalSize(CommandId) + OptionalSize(RejectionReason) + SizeOf7Bit((uint)Events.Count);
        for (var i = 0; i < Events.Count; i++)
        {
            var e = Events[i];
            size += StringSize(e.Id) + StringSize(e.Type) + SizeOf7Bit((uint)e.SchemaVersion) + sizeof(long) + StringSize(e.Source)
                + OptionalSize(e.CorrelationId) + OptionalSize(e.CausationId) + SizeOf7Bit((uint)e.Data.Length) + e.Data.Length;
            if (traced) size += OptionalSize(e.TraceParent) + OptionalSize(e.TraceState);
        }
        return size;
    }

    /// <summary>The body, written in one exactly sized array (the same bytes a <see cref="BinaryWriter"/> writes).</summary>
    public byte[] Encode()
    {
        var body = new byte[checked((int)Size())];
        var span = body.AsSpan();
        var traced = Traced;
        span[0] = traced ? TracedFormat : Format;
        span = span[1..];
        Write7Bit(ref span, (ulong)VersionAfter);
        WriteOptional(ref span, CommandId);
        WriteOptional(ref span, RejectionReason);
        Write7Bit(ref span, (uint)Events.Count);
        for (var i = 0; i < Events.Count; i++)
        {
            var e = Events[i];
            WriteString(ref span, e.Id);
            WriteString(ref span, e.Type);
            Write7Bit(ref span, (uint)e.SchemaVersion);
            BinaryPrimitives.WriteInt64LittleEndian(span, e.Time.UtcTicks);
            span = span[sizeof(long)..];
            WriteString(ref span, e.Source);
            WriteOptional(ref span, e.CorrelationId);
            WriteOptional(ref span, e.CausationId);
            Write7Bit(ref span, (uint)e.Data.Length);
            e.Data.Span.CopyTo(span);
            span = span[e.Data.Length..];
            if (!traced) continue;
            WriteOptional(ref span, e.TraceParent);
            WriteOptional(ref span, e.TraceState);
        }
        if (!span.IsEmpty) throw new InvalidOperationException("The event message was sized wrongly.");
        return body;
    }

    private static int SizeOf7Bit(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    private static int StringSize(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return SizeOf7Bit((uint)length) + length;
    }

    private static int OptionalSize(string? value) => value is null ? 1 : 1 + StringSize(value);

    private static void Write7Bit(ref Span<byte> span, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        span = span[i..];
    }

    private static void WriteString(ref Span<byte> span, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Write7Bit(ref span, (uint)length);
        Encoding.UTF8.GetBytes(value, span);
        span = span[length..];
    }

    private static void WriteOptional(ref Span<byte> span, string? value)
    {
        span[0] = value is null ? (byte)0 : (byte)1;
        span = span[1..];
        if (value is not null) WriteString(ref span, value);
    }

    /// <exception cref="CorruptEventException">The body is not a readable event message.</exception>
    public static EventMessage Decode(ReadOnlyMemory<byte> body, StreamId stream, ulong sequence) =>
        TryDecode(body, out var error) ?? throw new CorruptEventException(stream, Position(sequence, 0), DecodeProblem(sequence, error!), error);

    /// <summary>The problem of the message at <paramref name="sequence"/> that failed to decode with <paramref name="error"/>.</summary>
    public static string DecodeProblem(ulong sequence, Exception error) => $"its message (stream sequence {sequence}) cannot be decoded: {error.Message}";

    /// <summary>The message <paramref name="body"/> holds, or null (with the reason as <paramref name="error"/>) when it cannot be decoded.</summary>
    public static EventMessage? TryDecode(ReadOnlyMemory<byte> body, out Exception? error)
    {
        error = null;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(body.ToArray(), writable: false), Encoding.UTF8);
            var format = reader.ReadByte();
            if (format is not (Format or TracedFormat)) throw new InvalidDataException($"unknown message format {format}.");
            var versionAfter = reader.Read7BitEncodedInt64();
            var commandId = ReadOptional(reader);
            var rejection = ReadOptional(reader);
            var count = reader.Read7BitEncodedInt();
            if (count < 0 || count > PositionsPerMessage) throw new InvalidDataException($"invalid event count {count}.");
            var events = new NewEvent[count];
            for (var i = 0; i < count; i++)
            {
                var id = reader.ReadString();
                var type = reader.ReadString();
                if (type.Length == 0) throw new InvalidDataException("the event type is missing.");
                var schemaVersion = reader.Read7BitEncodedInt();
                var time = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
                var source = reader.ReadString();
                var correlation = ReadOptional(reader);
                var causation = ReadOptional(reader);
                var length = reader.Read7BitEncodedInt();
                var data = reader.ReadBytes(length);
                if (data.Length != length) throw new EndOfStreamException("the event data is cut short.");
                events[i] = format == TracedFormat
                    ? new NewEvent(id, type, schemaVersion, data, time, source, correlation, causation) { TraceParent = ReadOptional(reader), TraceState = ReadOptional(reader) }
                    : new NewEvent(id, type, schemaVersion, data, time, source, correlation, causation);
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length) throw new InvalidDataException("the message has trailing bytes.");
            return new EventMessage(versionAfter, commandId, rejection, events);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or FormatException or OverflowException)
        {
            error = ex;
            return null;
        }
    }

    /// <summary>
    /// The stored event standing for a message that cannot be read: one event at the message's first position, with
    /// the reason as its <see cref="StoredEvent.Problem"/> and the raw body as its data, so readers can park it and go on.
    /// </summary>
    /// <param name="stream">The stream the message's subject names.</param>
    /// <param name="sequence">The message's stream sequence.</param>
    /// <param name="body">The message's raw body.</param>
    /// <param name="types">The message's types header, if it has one (its event type as far as anyone can tell).</param>
    /// <param name="version">The version the message's first event would have, or 0 when unknown.</param>
    /// <param name="problem">Why it cannot be read.</param>
    public static StoredEvent Unreadable(StreamId stream, ulong sequence, ReadOnlyMemory<byte> body, string? types, long version, string problem) =>
        new("", "", types ?? "", default, stream, version, Position(sequence, 0), null, null, 0, body) { Problem = problem };

    public StoredEvent ToStored(StreamId stream, ulong sequence, int index)
    {
        var e = Events[index];
        return new StoredEvent(e.Id, e.Source, e.Type, new DateTimeOffset(e.Time.UtcTicks, TimeSpan.Zero), stream, FirstVersion + index,
            Position(sequence, index), e.CorrelationId, e.CausationId, e.SchemaVersion, e.Data)
        {
            TraceParent = e.TraceParent,
            TraceState = e.TraceState,
        };
    }

    public CommandRecord? ToCommandRecord(StreamId stream) =>
        CommandId is null ? null : new CommandRecord(CommandId, stream, VersionAfter, Events.Count, RejectionReason);

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
