using System.Buffers;
using System.Text.Json;
using Concordance.Storage;

namespace Concordance.Hosting.Commands;

/// <summary>
/// The JSON lines form of the event log, written by <c>events --json</c> and <c>events export</c> and read by
/// <c>events import</c>: one object per event, its CloudEvents attributes, stream, version and position, and its data as
/// JSON. An event the store could not read whole has <c>problem</c> and its raw bytes as <c>dataBase64</c>.
/// </summary>
internal static class EventJsonLines
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };

    /// <summary>Writes <paramref name="stored"/> as one line (without the line break) to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, StoredEvent stored)
    {
        writer.WriteStartObject();
        writer.WriteNumber("position", stored.Position);
        writer.WriteString("category", stored.Stream.Category);
        writer.WriteString("key", stored.Stream.Key);
        writer.WriteNumber("version", stored.Version);
        writer.WriteString("id", stored.Id);
        writer.WriteString("type", stored.Type);
        writer.WriteNumber("schemaVersion", stored.SchemaVersion);
        writer.WriteString("time", stored.Time);
        writer.WriteString("source", stored.Source);
        if (stored.CorrelationId is { } correlation) writer.WriteString("correlationId", correlation);
        if (stored.CausationId is { } causation) writer.WriteString("causationId", causation);
        if (stored.Problem is null && IsJson(stored.Data.Span))
        {
            writer.WritePropertyName("data");
            writer.WriteRawValue(stored.Data.Span, skipInputValidation: true);
        }
        else
        {
            if (stored.Problem is { } problem) writer.WriteString("problem", problem);
            writer.WriteBase64String("dataBase64", stored.Data.Span);
        }
        writer.WriteEndObject();
    }

    /// <summary>True when <paramref name="data"/> is one whole JSON value, so it can be written into the line as it is.</summary>
    private static bool IsJson(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return false;
        var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            reader.Read();
            reader.Skip();
            return reader.BytesConsumed == data.Length || data[(int)reader.BytesConsumed..].Trim(" \t\r\n"u8).IsEmpty;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Writes events to <paramref name="output"/> as JSON lines, in chunks of about 60 KB.</summary>
    public sealed class LineWriter(Stream output) : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
        private Utf8JsonWriter? _writer;

        public void Write(StoredEvent stored)
        {
            if (_writer is null) _writer = new Utf8JsonWriter(_buffer, WriterOptions);
            else _writer.Reset(_buffer);
            EventJsonLines.Write(_writer, stored);
            _writer.Flush();
            _buffer.GetSpan(1)[0] = (byte)'\n';
            _buffer.Advance(1);
            if (_buffer.WrittenCount >= 60 * 1024) Drain();
        }

        public void Flush()
        {
            Drain();
            output.Flush();
        }

        private void Drain()
        {
            if (_buffer.WrittenCount == 0) return;
            output.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }

        public void Dispose() => _writer?.Dispose();
    }

    /// <summary>One imported line: the event as it is appended, with the stream, version and position it had.</summary>
    public sealed record ImportedEvent(StreamId Stream, long Version, long Position, NewEvent Event);

    /// <summary>Reads one line written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The line is not such an event, or records an event its store could not read.</exception>
    public static ImportedEvent Read(ReadOnlySpan<byte> line, long lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
            var root = document.RootElement;
            if (root.TryGetProperty("problem", out var problem))
                throw new FormatException($"line {lineNumber}: the event at position {Number(root, "position")} could not be read from its store ({problem.GetString()}); it cannot be imported.");
            var data = root.GetProperty("data").GetRawText();
            var stream = new StreamId(Text(root, "category"), Text(root, "key"));
            var added = new NewEvent(
                Text(root, "id"),
                Text(root, "type"),
                (int)Number(root, "schemaVersion"),
                System.Text.Encoding.UTF8.GetBytes(data),
                root.GetProperty("time").GetDateTimeOffset(),
                Text(root, "source"),
                root.TryGetProperty("correlationId", out var correlation) ? correlation.GetString() : null,
                root.TryGetProperty("causationId", out var causation) ? causation.GetString() : null);
            return new ImportedEvent(stream, Number(root, "version"), Number(root, "position"), added);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"line {lineNumber}: not an exported event ({ex.Message})", ex);
        }
    }

    private static string Text(JsonElement root, string name) =>
        root.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null.");

    private static long Number(JsonElement root, string name) => root.GetProperty(name).GetInt64();
}
