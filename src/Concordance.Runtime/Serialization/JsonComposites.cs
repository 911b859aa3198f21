using System.ComponentModel;
using System.Text.Json;

namespace Concordance.Serialization;

/// <summary>A nullable reference (<c>string?</c>, <c>bytes?</c>, <c>list&lt;T&gt;?</c>, a record): JSON <c>null</c> or the value.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <typeparam name="TCodec">How a present value is read and written.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonOptional<T, TCodec> : IJsonCodec<T?>
    where T : class
    where TCodec : IJsonCodec<T>
{
    /// <inheritdoc />
    public static T? Read(ref Utf8JsonReader reader, JsonField field) =>
        reader.TokenType == JsonTokenType.Null ? null : TCodec.Read(ref reader, field);

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, T? value, JsonField field)
    {
        if (value is null) writer.WriteNullValue();
        else TCodec.Write(writer, value, field);
    }

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, T? value)
    {
        if (value is null) writer.WriteNull(field.Name);
        else TCodec.WriteProperty(writer, field, value);
    }
}

/// <summary>A nullable value (<c>int?</c>, <c>timestamp?</c>, an enum): JSON <c>null</c> or the value.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <typeparam name="TCodec">How a present value is read and written.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonOptionalValue<T, TCodec> : IJsonCodec<T?>
    where T : struct
    where TCodec : IJsonCodec<T>
{
    /// <inheritdoc />
    public static T? Read(ref Utf8JsonReader reader, JsonField field) =>
        reader.TokenType == JsonTokenType.Null ? null : TCodec.Read(ref reader, field);

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, T? value, JsonField field)
    {
        if (value is { } present) TCodec.Write(writer, present, field);
        else writer.WriteNullValue();
    }

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, T? value)
    {
        if (value is { } present) TCodec.WriteProperty(writer, field, present);
        else writer.WriteNull(field.Name);
    }
}

/// <summary>
/// A <c>list&lt;T&gt;</c>: a JSON array, read into a <see cref="List{T}"/>, written by index (no boxed enumerator);
/// its items are named <c>field[]</c> in errors.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <typeparam name="TCodec">How an item is read and written.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonList<T, TCodec> : IJsonCodec<IReadOnlyList<T>>
    where TCodec : IJsonCodec<T>
{
    /// <inheritdoc />
    public static IReadOnlyList<T> Read(ref Utf8JsonReader reader, JsonField field)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"Expected a JSON array for {field.Path}.");
        var list = new List<T>();
        var item = field.Item;
        while (true)
        {
            if (!reader.Read()) throw new JsonException($"Incomplete JSON array for {field.Path}.");
            if (reader.TokenType == JsonTokenType.EndArray) return list;
            list.Add(TCodec.Read(ref reader, item));
        }
    }

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonField field)
    {
        var list = MessageChecks.Required(value, field.Path);
        writer.WriteStartArray();
        Items(writer, list, field);
        writer.WriteEndArray();
    }

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, IReadOnlyList<T> value)
    {
        var list = MessageChecks.Required(value, field.Path);
        writer.WriteStartArray(field.Name);
        Items(writer, list, field);
        writer.WriteEndArray();
    }

    private static void Items(Utf8JsonWriter writer, IReadOnlyList<T> list, JsonField field)
    {
        var item = field.Item;
        for (var i = 0; i < list.Count; i++) TCodec.Write(writer, list[i], item);
    }
}

/// <summary>
/// A <c>map&lt;string, T&gt;</c>: a JSON object whose property names are the keys, read into an ordinal
/// <see cref="Dictionary{TKey, TValue}"/>; its values are named <c>field{}</c> and its keys <c>field{} key</c> in errors.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
/// <typeparam name="TCodec">How a value is read and written.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonMap<T, TCodec> : IJsonCodec<IReadOnlyDictionary<string, T>>
    where TCodec : IJsonCodec<T>
{
    /// <inheritdoc />
    public static IReadOnlyDictionary<string, T> Read(ref Utf8JsonReader reader, JsonField field)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"Expected a JSON object for {field.Path}.");
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        var entry = field.Entry;
        while (true)
        {
            if (!reader.Read()) throw new JsonException($"Incomplete JSON object for {field.Path}.");
            if (reader.TokenType == JsonTokenType.EndObject) return map;
            var key = reader.GetString()!;
            reader.Read();
            map[key] = TCodec.Read(ref reader, entry);
        }
    }

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, T> value, JsonField field)
    {
        var map = MessageChecks.Required(value, field.Path);
        writer.WriteStartObject();
        Entries(writer, map, field);
        writer.WriteEndObject();
    }

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, IReadOnlyDictionary<string, T> value)
    {
        var map = MessageChecks.Required(value, field.Path);
        writer.WriteStartObject(field.Name);
        Entries(writer, map, field);
        writer.WriteEndObject();
    }

    private static void Entries(Utf8JsonWriter writer, IReadOnlyDictionary<string, T> map, JsonField field)
    {
        var entry = field.Entry;
        // What the reader builds: enumerated without boxing its enumerator.
        if (map is Dictionary<string, T> dictionary)
        {
            foreach (var pair in dictionary)
            {
                writer.WritePropertyName(MessageChecks.Text(pair.Key, field.KeyPath));
                TCodec.Write(writer, pair.Value, entry);
            }
            return;
        }
        foreach (var pair in map)
        {
            writer.WritePropertyName(MessageChecks.Text(pair.Key, field.KeyPath));
            TCodec.Write(writer, pair.Value, entry);
        }
    }
}

/// <summary>A generated record or enum as a field: read and written by its generated converter; a null record is refused when written.</summary>
/// <typeparam name="T">The generated type.</typeparam>
/// <typeparam name="TConverter">Its generated converter.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JsonGenerated<T, TConverter> : IJsonCodec<T>
    where TConverter : IGeneratedJsonConverter<T>
{
    /// <inheritdoc />
    public static T Read(ref Utf8JsonReader reader, JsonField field) => TConverter.ReadValue(ref reader);

    /// <inheritdoc />
    public static void Write(Utf8JsonWriter writer, T value, JsonField field)
    {
        if (value is null) throw MessageChecks.NullField(field.Path);
        TConverter.WriteValue(writer, value);
    }

    /// <inheritdoc />
    public static void WriteProperty(Utf8JsonWriter writer, JsonField field, T value)
    {
        if (value is null) throw MessageChecks.NullField(field.Path);
        writer.WritePropertyName(field.Name);
        TConverter.WriteValue(writer, value);
    }
}
