using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Concordance.Serialization;

/// <summary>
/// How a generated enum is read and written: by member name. A name this build does not know (written by a newer
/// schema) reads as the fallback member when the enum declares one, else it is a <see cref="JsonException"/>.
/// Generated enums number their members 0, 1, 2, … in schema order, which the writer relies on.
/// </summary>
/// <typeparam name="T">The generated enum.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class JsonEnumShape<T>
    where T : struct, Enum
{
    private readonly byte[][] _utf8Names;
    private readonly JsonEncodedText[] _names;
    private readonly T? _fallback;

    /// <summary>Creates the shape of <paramref name="typeName"/>.</summary>
    /// <param name="typeName">The namespace-qualified schema name, e.g. <c>Bank.TransferStatus</c>.</param>
    /// <param name="fallback">The member an unknown name reads as; null when an unknown name is an error.</param>
    /// <param name="names">The members' names; member <c>i</c> has the value <c>i</c>.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not an <see cref="int"/> enum.</exception>
    public JsonEnumShape(string typeName, T? fallback, params string[] names)
    {
        if (Unsafe.SizeOf<T>() != sizeof(int)) throw new ArgumentException($"{typeof(T).Name} must be an int enum.", nameof(T));
        TypeName = typeName;
        _fallback = fallback;
        _names = new JsonEncodedText[names.Length];
        _utf8Names = new byte[names.Length][];
        for (var i = 0; i < names.Length; i++)
        {
            _names[i] = JsonEncodedText.Encode(names[i]);
            _utf8Names[i] = Encoding.UTF8.GetBytes(names[i]);
        }
    }

    /// <summary>The namespace-qualified schema name.</summary>
    public string TypeName { get; }

    /// <summary>Reads a member name.</summary>
    /// <param name="reader">The reader, at the value.</param>
    /// <returns>The member.</returns>
    /// <exception cref="JsonException">The value is not a string, or an unknown name and there is no fallback.</exception>
    public T Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"Expected a string for {TypeName}.");
        for (var i = 0; i < _utf8Names.Length; i++)
        {
            if (reader.ValueTextEquals(_utf8Names[i])) return Unsafe.As<int, T>(ref i);
        }
        return _fallback ?? throw new JsonException($"Unknown {TypeName} value '{reader.GetString()}' (the enum declares no fallback member).");
    }

    /// <summary>Writes a member's name.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The member.</param>
    /// <exception cref="JsonException">The value is no declared member.</exception>
    public void Write(Utf8JsonWriter writer, T value)
    {
        var index = Unsafe.As<T, int>(ref value);
        if ((uint)index >= (uint)_names.Length) throw new JsonException($"Undefined {TypeName} value {index.ToString(CultureInfo.InvariantCulture)}.");
        writer.WriteStringValue(_names[index]);
    }
}
