using System.Text;
using System.Text.Json;

namespace Concordance.LanguageServer.Protocol;

/// <summary>Writes JSON-RPC messages with their <c>Content-Length</c> header; one message at a time.</summary>
internal sealed class MessageWriter
{
    private readonly Stream _output;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriterPool _buffers = new();

    public MessageWriter(Stream output) => _output = output;

    /// <summary>False once the client stopped reading (its end of the pipe is closed).</summary>
    public bool IsConnected { get; private set; } = true;

    public void Respond(JsonElement? id, object? result) => Write(w =>
    {
        WriteId(w, id);
        w.WritePropertyName("result");
        WriteValue(w, result);
    });

    public void RespondError(JsonElement? id, int code, string message) => Write(w =>
    {
        WriteId(w, id);
        w.WritePropertyName("error");
        w.WriteStartObject();
        w.WriteNumber("code", code);
        w.WriteString("message", message);
        w.WriteEndObject();
    });

    public void Notify(string method, object parameters) => Write(w =>
    {
        w.WriteString("method", method);
        w.WritePropertyName("params");
        WriteValue(w, parameters);
    });

    private static void WriteId(Utf8JsonWriter w, JsonElement? id)
    {
        w.WritePropertyName("id");
        if (id is { } value) value.WriteTo(w);
        else w.WriteNullValue();
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        if (value is null) w.WriteNullValue();
        else JsonSerializer.Serialize(w, value, LspJson.Default.GetTypeInfo(value.GetType())!);
    }

    private void Write(Action<Utf8JsonWriter> body)
    {
        var buffer = _buffers.Rent();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            body(writer);
            writer.WriteEndObject();
        }
        var header = Encoding.ASCII.GetBytes("Content-Length: " + buffer.WrittenCount + "\r\n\r\n");
        lock (_gate)
        {
            if (!IsConnected) return;
            try
            {
                _output.Write(header);
                _output.Write(buffer.WrittenSpan);
                _output.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                IsConnected = false;
            }
        }
        _buffers.Return(buffer);
    }

    /// <summary>Reuses one output buffer: most messages are small, and a big one should not be reallocated per keystroke.</summary>
    private sealed class ArrayBufferWriterPool
    {
        private System.Buffers.ArrayBufferWriter<byte>? _free;

        public System.Buffers.ArrayBufferWriter<byte> Rent() => Interlocked.Exchange(ref _free, null) ?? new System.Buffers.ArrayBufferWriter<byte>(4096);

        public void Return(System.Buffers.ArrayBufferWriter<byte> buffer)
        {
            buffer.ResetWrittenCount();
            Interlocked.Exchange(ref _free, buffer);
        }
    }
}
