using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Concordance.Serialization;

/// <summary>Schema <c>string</c>: JSON text; null is a read error, a lone surrogate a write error.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonText : IJsonCodec<string>
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string Read(ref Utf8JsonReader reader, JsonField field) => reader.GetString() ?? throw MustNotBeNull(field);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Utf8JsonWriter writer, string value, JsonField field) => writer.WriteStringValue(MessageChecks.Text(value, field.Path));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, string value) => writer.WriteString(field.Name, MessageChecks.Text(value, field.Path));

    internal static JsonException MustNotBeNull(JsonField field) => new($"{field.Path} must not be null.");
}

/// <summary>Schema <c>bool</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonBool : IJsonCodec<bool>
{
    /// <inheritdoc />
    public static bool Read(ref Utf8JsonReader reader, JsonField field) => reader.GetBoolean();

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, bool value, JsonField field) => writer.WriteBooleanValue(value);

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, bool value) => writer.WriteBoolean(field.Name, value);
}

/// <summary>Schema <c>int</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonInt : IJsonCodec<int>
{
    /// <inheritdoc />
    public static int Read(ref Utf8JsonReader reader, JsonField field) => reader.GetInt32();

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, int value, JsonField field) => writer.WriteNumberValue(value);

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, int value) => writer.WriteNumber(field.Name, value);
}

/// <summary>Schema <c>long</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonLong : IJsonCodec<long>
{
    /// <inheritdoc />
    public static long Read(ref Utf8JsonReader reader, JsonField field) => reader.GetInt64();

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, long value, JsonField field) => writer.WriteNumberValue(value);

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, long value) => writer.WriteNumber(field.Name, value);
}

/// <summary>Schema <c>decimal</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonDecimal : IJsonCodec<decimal>
{
    /// <inheritdoc />
    public static decimal Read(ref Utf8JsonReader reader, JsonField field) => reader.GetDecimal();

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, decimal value, JsonField field) => writer.WriteNumberValue(value);

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, decimal value) => writer.WriteNumber(field.Name, value);
}

/// <summary>Schema <c>double</c>: NaN and infinities are refused when written (JSON cannot hold them).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonDouble : IJsonCodec<double>
{
    /// <inheritdoc />
    public static double Read(ref Utf8JsonReader reader, JsonField field) => reader.GetDouble();

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, double value, JsonField field) => writer.WriteNumberValue(MessageChecks.Finite(value, field.Path));

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, double value) => writer.WriteNumber(field.Name, MessageChecks.Finite(value, field.Path));
}

/// <summary>Schema <c>guid</c>: the writer's standard text form.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonGuid : IJsonCodec<Guid>
{
    /// <inheritdoc />
    public static Guid Read(ref Utf8JsonReader reader, JsonField field) => reader.GetGuid();

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, Guid value, JsonField field) => writer.WriteStringValue(value);

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, Guid value) => writer.WriteString(field.Name, value);
}

/// <summary>Schema <c>timestamp</c>: ISO 8601 in the round-trip format (<c>"O"</c>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonTimestamp : IJsonCodec<DateTimeOffset>
{
    /// <inheritdoc />
    public static DateTimeOffset Read(ref Utf8JsonReader reader, JsonField field) =>
        DateTimeOffset.TryParse(JsonText.Read(ref reader, field), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            ? value
            : throw new JsonException($"{field.Path} is not a timestamp (ISO 8601, round-trip format).");

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonField field) => writer.WriteStringValue(value.ToString("O", CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, DateTimeOffset value) => writer.WriteString(field.Name, value.ToString("O", CultureInfo.InvariantCulture));
}

/// <summary>Schema <c>date</c>: <c>yyyy-MM-dd</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonDate : IJsonCodec<DateOnly>
{
    /// <inheritdoc />
    public static DateOnly Read(ref Utf8JsonReader reader, JsonField field) =>
        DateOnly.TryParseExact(JsonText.Read(ref reader, field), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw new JsonException($"{field.Path} is not a date (yyyy-MM-dd).");

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, DateOnly value, JsonField field) => writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, DateOnly value) => writer.WriteString(field.Name, value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}

/// <summary>Schema <c>duration</c>: the constant format <c>"c"</c>, <c>[-][d.]hh:mm:ss[.fffffff]</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonDuration : IJsonCodec<TimeSpan>
{
    /// <inheritdoc />
    public static TimeSpan Read(ref Utf8JsonReader reader, JsonField field) =>
        TimeSpan.TryParseExact(JsonText.Read(ref reader, field), "c", CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JsonException($"{field.Path} is not a duration ([-][d.]hh:mm:ss[.fffffff]).");

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, TimeSpan value, JsonField field) => writer.WriteStringValue(value.ToString("c", CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, TimeSpan value) => writer.WriteString(field.Name, value.ToString("c", CultureInfo.InvariantCulture));
}

/// <summary>Schema <c>bytes</c>: base64 text.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonBytes : IJsonCodec<byte[]>
{
    /// <inheritdoc />
    public static byte[] Read(ref Utf8JsonReader reader, JsonField field) => reader.GetBytesFromBase64();

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, byte[] value, JsonField field) => writer.WriteBase64StringValue(MessageChecks.Required(value, field.Path));

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, byte[] value) => writer.WriteBase64String(field.Name, MessageChecks.Required(value, field.Path));
}
