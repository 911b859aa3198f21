using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concordance.Serialization;

/// <summary>
/// How one kind of schema value (a <c>string</c>, an <c>int?</c>, a <c>list&lt;Line&gt;</c>, …) is read and written,
/// as static members so generated code calls them without a virtual call or an allocation. Readers throw a
/// <see cref="JsonException"/> naming <c>field</c>; writers refuse what could not be read back with an
/// <see cref="InvalidMessageException"/> naming it.
/// </summary>
/// <typeparam name="T">The C# type of the value.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IJsonCodec<T>
{
    /// <summary>Reads the value the reader is at.</summary>
    /// <param name="reader">The reader, at the value's first token.</param>
    /// <param name="field">Where the value sits, for error messages.</param>
    /// <returns>The value.</returns>
    static abstract T Read(ref Utf8JsonReader reader, JsonField field);

    /// <summary>Writes the value.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    /// <param name="field">Where the value sits, for error messages.</param>
    static abstract void Write(Utf8JsonWriter writer, T value, JsonField field);

    /// <summary>Writes the property <paramref name="field"/> with its value, in one writer call where the writer has one.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="field">The property: its encoded name and its path.</param>
    /// <param name="value">The value.</param>
    static abstract void WriteProperty(Utf8JsonWriter writer, JsonField field, T value);
}

/// <summary>A generated converter's static entry points: how a generated record or enum is read and written.</summary>
/// <typeparam name="T">The generated type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGeneratedJsonConverter<T>
{
    /// <summary>Reads a value at the reader's current token.</summary>
    /// <param name="reader">The reader, at the value's first token.</param>
    /// <returns>The value.</returns>
    static abstract T ReadValue(ref Utf8JsonReader reader);

    /// <summary>Writes a value.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    static abstract void WriteValue(Utf8JsonWriter writer, T value);
}

/// <summary>
/// The System.Text.Json face of a generated converter: <see cref="JsonConverter{T}.Read"/> and
/// <see cref="JsonConverter{T}.Write"/> call <typeparamref name="TConverter"/>'s static entry points.
/// </summary>
/// <typeparam name="T">The generated type.</typeparam>
/// <typeparam name="TConverter">The generated converter.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GeneratedJsonConverter<T, TConverter> : JsonConverter<T>
    where TConverter : IGeneratedJsonConverter<T>
{
    /// <inheritdoc />
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => TConverter.ReadValue(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => TConverter.WriteValue(writer, value);
}
