using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Concordance.Serialization;

/// <summary>
/// The JSON shape of one generated record: its schema name and its fields' JSON names, in schema order. Generated
/// readers walk an object's properties with <see cref="Start"/>, <see cref="Next"/> and <see cref="Complete"/>;
/// generated writers take each field's pre-encoded name from the indexer. Unknown properties are skipped; a missing
/// required field is a <see cref="JsonException"/> naming the type and the field.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class JsonShape
{
    private readonly JsonField[] _fields;
    private readonly ulong[] _required;

    /// <summary>Creates the shape of <paramref name="typeName"/>.</summary>
    /// <param name="typeName">The namespace-qualified schema name, e.g. <c>Bank.AccountCreated</c>.</param>
    /// <param name="fields">Each field's JSON name in schema order; a trailing <c>?</c> marks a field that may be absent (a nullable one).</param>
    public JsonShape(string typeName, params string[] fields)
    {
        TypeName = typeName;
        _fields = new JsonField[fields.Length];
        _required = new ulong[(fields.Length + 63) / 64];
        for (var i = 0; i < fields.Length; i++)
        {
            var optional = fields[i].EndsWith('?');
            _fields[i] = new JsonField(typeName, optional ? fields[i][..^1] : fields[i], i);
            if (!optional) _required[i >> 6] |= 1UL << (i & 63);
        }
    }

    /// <summary>The namespace-qualified schema name.</summary>
    public string TypeName { get; }

    /// <summary>How many fields the record has.</summary>
    public int Count => _fields.Length;

    /// <summary>The field at <paramref name="index"/> (schema order).</summary>
    /// <param name="index">The field's position in the schema.</param>
    public JsonField this[int index] => _fields[index];

    /// <summary>Checks that the reader is at the record's start object and returns an empty set of fields read.</summary>
    /// <param name="reader">The reader, at the value's first token.</param>
    /// <returns>The fields read so far: none.</returns>
    /// <exception cref="JsonException">The value is not a JSON object.</exception>
    public JsonFieldSet Start(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"Expected a JSON object for {TypeName}.");
        return new JsonFieldSet(_fields.Length);
    }

    /// <summary>
    /// Moves to the next property the record knows, skipping the others, and leaves the reader at its value; null at
    /// the end of the object. The field is counted as read.
    /// </summary>
    /// <param name="reader">The reader, inside the object.</param>
    /// <param name="read">The fields read so far.</param>
    /// <returns>The field whose value the reader is at, or null at the end of the object.</returns>
    /// <exception cref="JsonException">The object ends before its closing brace.</exception>
    public JsonField? Next(ref Utf8JsonReader reader, ref JsonFieldSet read)
    {
        while (true)
        {
            if (!reader.Read()) throw new JsonException($"Incomplete JSON object for {TypeName}.");
            if (reader.TokenType == JsonTokenType.EndObject) return null;
            var index = Find(ref reader, read.Expected);
            reader.Read();
            if (index < 0)
            {
                reader.Skip();
                continue;
            }
            read.Add(index);
            return _fields[index];
        }
    }

    /// <summary>Checks that every required field was read.</summary>
    /// <param name="read">The fields read.</param>
    /// <exception cref="JsonException">A required field is missing; the message names the first one in schema order.</exception>
    public void Complete(in JsonFieldSet read)
    {
        if (read.Covers(_required)) return;
        for (var i = 0; i < _fields.Length; i++)
        {
            if ((_required[i >> 6] & (1UL << (i & 63))) != 0 && !read.Contains(i))
            {
                throw new JsonException($"{TypeName}: the required property '{_fields[i].JsonName}' is missing.");
            }
        }
    }

    /// <summary>The index of the field the reader's property name matches, trying the expected one (schema order) first; -1 if none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Find(ref Utf8JsonReader reader, int expected)
    {
        var fields = _fields;
        if ((uint)expected < (uint)fields.Length && reader.ValueTextEquals(fields[expected].Utf8Name)) return expected;
        for (var i = 0; i < fields.Length; i++)
        {
            if (i != expected && reader.ValueTextEquals(fields[i].Utf8Name)) return i;
        }
        return -1;
    }
}

/// <summary>
/// One field of a <see cref="JsonShape"/>, or an item, entry or key inside it: its encoded JSON name and the path that
/// error messages name (e.g. <c>Bank.Order.lines[]</c>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class JsonField
{
    private JsonField? _item;
    private JsonField? _entry;
    private string? _keyPath;

    internal JsonField(string typeName, string jsonName, int index)
    {
        JsonName = jsonName;
        Index = index;
        Path = typeName + "." + jsonName;
        Name = JsonEncodedText.Encode(jsonName);
        Utf8Name = Encoding.UTF8.GetBytes(jsonName);
    }

    private JsonField(JsonField parent, string path)
    {
        JsonName = parent.JsonName;
        Index = parent.Index;
        Path = path;
        Name = parent.Name;
        Utf8Name = parent.Utf8Name;
    }

    /// <summary>The field's position in the schema.</summary>
    public int Index { get; }

    /// <summary>The field's JSON name.</summary>
    public string JsonName { get; }

    /// <summary>The field's JSON name, encoded once for the writer.</summary>
    public JsonEncodedText Name { get; }

    /// <summary>Where the value sits, as error messages name it: <c>Type.field</c>, then <c>[]</c> for a list item, <c>{}</c> for a map value.</summary>
    public string Path { get; }

    /// <summary>An item of this list field.</summary>
    public JsonField Item => _item ??= new JsonField(this, Path + "[]");

    /// <summary>A value of this map field.</summary>
    public JsonField Entry => _entry ??= new JsonField(this, Path + "{}");

    /// <summary>The path of a key of this map field.</summary>
    public string KeyPath => _keyPath ??= Path + "{} key";

    internal byte[] Utf8Name { get; }

    /// <inheritdoc />
    public override string ToString() => Path;
}

/// <summary>Which fields of a record a reader has seen; a bit per field, on the stack for up to 64 fields.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct JsonFieldSet
{
    private ulong _low;
    private readonly ulong[]? _high;

    internal JsonFieldSet(int count)
    {
        _low = 0;
        _high = count > 64 ? new ulong[(count - 1) / 64] : null;
        Expected = 0;
    }

    /// <summary>The field expected next: the one after the last read, as writers write them in schema order.</summary>
    internal int Expected { get; private set; }

    internal void Add(int index)
    {
        if (index < 64) _low |= 1UL << index;
        else _high![(index >> 6) - 1] |= 1UL << (index & 63);
        Expected = index + 1;
    }

    internal readonly bool Contains(int index) =>
        index < 64 ? (_low & (1UL << index)) != 0 : (_high![(index >> 6) - 1] & (1UL << (index & 63))) != 0;

    internal readonly bool Covers(ulong[] required)
    {
        if (required.Length == 0) return true;
        if ((_low & required[0]) != required[0]) return false;
        for (var i = 1; i < required.Length; i++)
        {
            if ((_high![i - 1] & required[i]) != required[i]) return false;
        }
        return true;
    }
}
