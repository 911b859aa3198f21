using System.Buffers;
using System.Text.Json;
using Concordance.Storage;

namespace Concordance;

/// <summary>
/// Turns messages into stored JSON and back through the generated <see cref="MessageType"/> descriptors in the
/// <see cref="ComponentCatalog"/> (no reflection), upcasting old event versions to the latest on read.
/// </summary>
public sealed class MessageSerializer(ComponentCatalog catalog)
{
    /// <summary>The descriptor of <paramref name="message"/>'s type.</summary>
    /// <exception cref="InvalidOperationException">The type is not registered.</exception>
    public MessageType DescriptorOf(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return catalog.Find(message.GetType())
            ?? throw new InvalidOperationException($"Message type {message.GetType()} is not registered; call AddGeneratedComponents() or AddMessages(...).");
    }

    /// <summary>The stable schema name of <paramref name="clrType"/>, or its CLR name when it is not registered (for telemetry).</summary>
    internal string NameOf(Type clrType) => catalog.Find(clrType)?.Name ?? clrType.FullName ?? clrType.Name;

    /// <summary>Writes <paramref name="message"/> as JSON; returns its descriptor and the UTF-8 bytes.</summary>
    /// <exception cref="InvalidMessageException">The message could not be read back (a required field is null, text holds a lone surrogate, it nests deeper than <see cref="MessageLimits.MaxDepth"/>…).</exception>
    public (MessageType Type, byte[] Data) Serialize(IMessage message)
    {
        var type = DescriptorOf(message);
        return (type, Write(type, message, keep: true));
    }

    /// <summary>
    /// Checks that <paramref name="message"/> could be stored and read back, by writing it as it would be stored
    /// (the same checks, nothing kept): a command is checked before it is handled, though only its events are stored.
    /// </summary>
    /// <exception cref="InvalidMessageException">It could not be read back.</exception>
    public void Check(IMessage message) => Write(DescriptorOf(message), message, keep: false);

    private static byte[] Write(MessageType type, IMessage message, bool keep)
    {
        // The thread's writer and buffer, reused: only the result is allocated. Taken while in use, so a writer that
        // serializes another message meanwhile gets a fresh pair; one left mid-message by a refusal is dropped.
        var (buffer, writer) = t_writer ?? (new ArrayBufferWriter<byte>(256), new Utf8JsonWriter(Stream.Null, MessageLimits.WriterOptions));
        t_writer = null;
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            type.Write(writer, message);
        }
        catch (InvalidOperationException ex) when (writer.CurrentDepth >= MessageLimits.MaxDepth)
        {
            throw new InvalidMessageException(type.Name, $"nests deeper than {MessageLimits.MaxDepth} levels of JSON objects and arrays, which the reader refuses", ex);
        }
        writer.Flush();
        var data = keep ? buffer.WrittenSpan.ToArray() : [];
        // A buffer grown by a huge message is not kept.
        if (buffer.Capacity <= 64 * 1024) t_writer = (buffer, writer);
        return data;
    }

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_writer;

    /// <summary>Reads a message written as <paramref name="typeName"/> version <paramref name="version"/>, upcast to the latest version.</summary>
    /// <exception cref="InvalidOperationException">The type is not registered.</exception>
    /// <exception cref="JsonException">The data does not match the type.</exception>
    public IMessage Deserialize(string typeName, int version, ReadOnlySpan<byte> data)
    {
        var type = catalog.Find(typeName, version)
            ?? throw new InvalidOperationException($"Message type '{typeName}' version {version} is not registered.");
        var reader = new Utf8JsonReader(data, MessageLimits.ReaderOptions);
        if (!reader.Read()) throw new JsonException($"The data of '{type}' is empty.");
        var message = type.Read(ref reader);
        // One object per message: anything after it is damage, not data to ignore.
        if (reader.Read()) throw new JsonException($"The data of '{type}' has content after its JSON object.");
        while (type.Upcast is { } upcast)
        {
            message = upcast(message);
            type = catalog.Find(message.GetType())
                ?? throw new InvalidOperationException($"The upcast of '{type}' produced unregistered type {message.GetType()}.");
        }
        return message;
    }

    /// <summary>Reads a stored event, upcast to its latest version.</summary>
    /// <exception cref="CorruptEventException">
    /// The store could not read the event (<see cref="StoredEvent.Problem"/>), its type or version is not registered, its
    /// data does not read as that type, or an upcast failed. The message names the stream, the version and the cause.
    /// </exception>
    public IEvent Deserialize(StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var version = stored.Version > 0 ? stored.Version : (long?)null;
        if (stored.Problem is { } problem) throw new CorruptEventException(stored.Stream, version, stored.Position, problem);
        try
        {
            return Deserialize(stored.Type, stored.SchemaVersion, stored.Data.Span) as IEvent
                ?? throw new InvalidOperationException($"'{stored.Type}' is not an event.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever the reader or an upcast throws: the event does not read, and the caller must learn which one.
            throw new CorruptEventException(stored.Stream, version, stored.Position, $"{stored.Type} v{stored.SchemaVersion}: {ex.Message}", ex);
        }
    }
}
