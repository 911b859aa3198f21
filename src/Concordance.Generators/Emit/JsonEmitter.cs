using System.Linq;
using Concordance.Generators.Model;

namespace Concordance.Generators.Emit;

/// <summary>
/// Writes <c>{Name}JsonConverter</c> classes with <c>Utf8JsonReader</c>/<c>Utf8JsonWriter</c> only:
/// camelCase names as in the schema, enums by name, ISO 8601 timestamps, base64 bytes; unknown
/// properties skipped, a missing non-nullable property is a <c>JsonException</c>. Property names are written
/// pre-encoded: one <c>JsonEncodedText</c> per property in the converter class, passed to the writer's
/// one-call forms (<c>WriteString(name, value)</c>, <c>WriteNumber</c>, <c>WriteStartArray(name)</c>, …); map entries
/// use the same forms with the key as the name, and lists are written by index (no enumerator allocated).
/// The writer refuses what the reader would refuse (a null required field, text with a lone surrogate, a NaN or
/// infinite double) through the runtime's <c>MessageChecks</c>, naming the field, so nothing unreadable is stored.
/// </summary>
internal static class JsonEmitter
{
    /// <summary>The converter of a record-shaped type (message, record, state).</summary>
    public static void Record(SourceWriter w, string ns, string typeName, EquatableArray<FieldModel> fields)
    {
        var type = Types.Q(ns, typeName);
        var display = ns + "." + typeName;
        ConverterHeader(w, type, typeName, nullableRead: true);
        for (var i = 0; i < fields.Count; i++)
        {
            w.Line($"private static readonly {EncodedText} {NameField(fields[i])} = {EncodedText}.Encode({SourceWriter.Literal(fields[i].JsonName)}u8);");
        }
        if (fields.Count > 0) w.Line();

        w.Open($"internal static {type} ReadValue(ref {Types.Reader} reader)");
        w.Line($"if (reader.TokenType != {Types.TokenType}.StartObject) throw new {Types.JsonException}({SourceWriter.Literal("Expected a JSON object for " + display + ".")});");
        for (var i = 0; i < fields.Count; i++)
        {
            w.Line($"{Types.Of(fields[i].Type, ns)} field{i} = default!;");
            if (fields[i].Type.Kind != FieldTypeKind.Nullable) w.Line($"var has{i} = false;");
        }
        w.Open("while (true)");
        w.Line($"if (!reader.Read()) throw new {Types.JsonException}({SourceWriter.Literal("Incomplete JSON object for " + display + ".")});");
        w.Line($"if (reader.TokenType == {Types.TokenType}.EndObject) break;");
        for (var i = 0; i < fields.Count; i++)
        {
            w.Open($"{(i == 0 ? "" : "else ")}if (reader.ValueTextEquals({SourceWriter.Literal(fields[i].JsonName)}u8))");
            w.Line("reader.Read();");
            Read(w, ns, fields[i].Type, $"field{i}", 0, display + "." + fields[i].JsonName);
            if (fields[i].Type.Kind != FieldTypeKind.Nullable) w.Line($"has{i} = true;");
            w.Close();
        }
        w.Open(fields.Count == 0 ? "else" : "else");
        w.Line("reader.Read();");
        w.Line("reader.Skip();");
        w.Close();
        w.Close();
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Type.Kind == FieldTypeKind.Nullable) continue;
            w.Line($"if (!has{i}) throw new {Types.JsonException}({SourceWriter.Literal(display + ": the required property '" + fields[i].JsonName + "' is missing.")});");
        }
        w.Line(fields.Count == 0 ? $"return new {type}();" : $"return new {type}({string.Join(", ", Enumerable.Range(0, fields.Count).Select(i => "field" + i))});");
        w.Close();
        w.Line();

        w.Open($"internal static void WriteValue({Types.Writer} writer, {type} value)");
        w.Line("writer.WriteStartObject();");
        for (var i = 0; i < fields.Count; i++)
        {
            WriteProperty(w, ns, fields[i].Type, NameField(fields[i]), "value." + fields[i].PropertyName, i + "_0", display + "." + fields[i].JsonName);
        }
        w.Line("writer.WriteEndObject();");
        w.Close();
        w.Close();
    }

    /// <summary>The converter of an enum: members by name.</summary>
    public static void Enum(SourceWriter w, string ns, EnumModel model)
    {
        var type = Types.Q(ns, model.Name);
        ConverterHeader(w, type, model.Name, nullableRead: false);

        w.Open($"internal static {type} ReadValue(ref {Types.Reader} reader)");
        w.Line($"if (reader.TokenType != {Types.TokenType}.String) throw new {Types.JsonException}({SourceWriter.Literal("Expected a string for " + ns + "." + model.Name + ".")});");
        foreach (var member in model.Members)
        {
            w.Line($"if (reader.ValueTextEquals({SourceWriter.Literal(member.Name)}u8)) return {type}.{member.Name};");
        }
        // A value this build does not know (written by a newer schema): the declared fallback member, else a read error.
        if (model.Fallback is { } fallback) w.Line($"return {type}.{fallback};");
        else w.Line($"throw new {Types.JsonException}({SourceWriter.Literal("Unknown " + ns + "." + model.Name + " value '")} + reader.GetString() + \"' (the enum declares no fallback member).\");");
        w.Close();
        w.Line();

        w.Open($"internal static void WriteValue({Types.Writer} writer, {type} value)");
        w.Open("switch (value)");
        foreach (var member in model.Members)
        {
            w.Line($"case {type}.{member.Name}: writer.WriteStringValue({SourceWriter.Literal(member.Name)}u8); return;");
        }
        w.Line($"default: throw new {Types.JsonException}({SourceWriter.Literal("Undefined " + ns + "." + model.Name + " value ")} + ((long)value).ToString({Types.Invariant}) + \".\");");
        w.Close();
        w.Close();
        w.Close();
    }

    private static void ConverterHeader(SourceWriter w, string type, string name, bool nullableRead)
    {
        w.Line($"/// <summary>Reads and writes <see cref=\"{type}\"/> as JSON without reflection.</summary>");
        w.Open($"public sealed class {name}JsonConverter : {Types.Json}.Serialization.JsonConverter<{type}>");
        w.Line("/// <inheritdoc />");
        w.Line($"public override {type}{(nullableRead ? "?" : "")} Read(ref {Types.Reader} reader, {Types.Type} typeToConvert, {Types.Json}.JsonSerializerOptions options) => ReadValue(ref reader);");
        w.Line();
        w.Line("/// <inheritdoc />");
        w.Line($"public override void Write({Types.Writer} writer, {type} value, {Types.Json}.JsonSerializerOptions options) => WriteValue(writer, value);");
        w.Line();
    }

    /// <summary>Statements that read the value at the reader's current token into <paramref name="target"/>.</summary>
    private static void Read(SourceWriter w, string ns, FieldType type, string target, int depth, string what)
    {
        var text = $"(reader.GetString() ?? throw new {Types.JsonException}({SourceWriter.Literal(what + " must not be null.")}))";
        switch (type.Kind)
        {
            case FieldTypeKind.String: w.Line($"{target} = {text};"); break;
            case FieldTypeKind.Bool: w.Line($"{target} = reader.GetBoolean();"); break;
            case FieldTypeKind.Int: w.Line($"{target} = reader.GetInt32();"); break;
            case FieldTypeKind.Long: w.Line($"{target} = reader.GetInt64();"); break;
            case FieldTypeKind.Decimal: w.Line($"{target} = reader.GetDecimal();"); break;
            case FieldTypeKind.Double: w.Line($"{target} = reader.GetDouble();"); break;
            case FieldTypeKind.Guid: w.Line($"{target} = reader.GetGuid();"); break;
            // A text that does not parse is a JsonException naming the field, like every other unreadable value.
            case FieldTypeKind.Timestamp:
                w.Line($"{target} = global::System.DateTimeOffset.TryParse({text}, {Types.Invariant}, global::System.Globalization.DateTimeStyles.RoundtripKind, out var parsed_{target}) ? parsed_{target} : throw new {Types.JsonException}({SourceWriter.Literal(what + " is not a timestamp (ISO 8601, round-trip format).")});");
                break;
            case FieldTypeKind.Date:
                w.Line($"{target} = global::System.DateOnly.TryParseExact({text}, \"yyyy-MM-dd\", {Types.Invariant}, global::System.Globalization.DateTimeStyles.None, out var parsed_{target}) ? parsed_{target} : throw new {Types.JsonException}({SourceWriter.Literal(what + " is not a date (yyyy-MM-dd).")});");
                break;
            case FieldTypeKind.Duration:
                w.Line($"{target} = global::System.TimeSpan.TryParseExact({text}, \"c\", {Types.Invariant}, out var parsed_{target}) ? parsed_{target} : throw new {Types.JsonException}({SourceWriter.Literal(what + " is not a duration ([-][d.]hh:mm:ss[.fffffff]).")});");
                break;
            case FieldTypeKind.Bytes: w.Line($"{target} = reader.GetBytesFromBase64();"); break;
            case FieldTypeKind.Nullable:
                w.Line($"if (reader.TokenType == {Types.TokenType}.Null) {target} = null;");
                w.Open("else");
                Read(w, ns, type.Element!, target, depth, what);
                w.Close();
                break;
            case FieldTypeKind.List:
            {
                var element = Types.Of(type.Element!, ns);
                w.Line($"if (reader.TokenType != {Types.TokenType}.StartArray) throw new {Types.JsonException}({SourceWriter.Literal("Expected a JSON array for " + what + ".")});");
                w.Line($"var list{depth} = new {Types.Generic}.List<{element}>();");
                w.Open("while (true)");
                w.Line($"if (!reader.Read()) throw new {Types.JsonException}({SourceWriter.Literal("Incomplete JSON array for " + what + ".")});");
                w.Line($"if (reader.TokenType == {Types.TokenType}.EndArray) break;");
                w.Line($"{element} item{depth};");
                Read(w, ns, type.Element!, "item" + depth, depth + 1, what + "[]");
                w.Line($"list{depth}.Add(item{depth});");
                w.Close();
                w.Line($"{target} = list{depth};");
                break;
            }
            case FieldTypeKind.Map:
            {
                var element = Types.Of(type.Element!, ns);
                w.Line($"if (reader.TokenType != {Types.TokenType}.StartObject) throw new {Types.JsonException}({SourceWriter.Literal("Expected a JSON object for " + what + ".")});");
                w.Line($"var map{depth} = new {Types.Generic}.Dictionary<string, {element}>(global::System.StringComparer.Ordinal);");
                w.Open("while (true)");
                w.Line($"if (!reader.Read()) throw new {Types.JsonException}({SourceWriter.Literal("Incomplete JSON object for " + what + ".")});");
                w.Line($"if (reader.TokenType == {Types.TokenType}.EndObject) break;");
                w.Line($"var key{depth} = reader.GetString()!;");
                w.Line("reader.Read();");
                w.Line($"{element} value{depth};");
                Read(w, ns, type.Element!, "value" + depth, depth + 1, what + "{}");
                w.Line($"map{depth}[key{depth}] = value{depth};");
                w.Close();
                w.Line($"{target} = map{depth};");
                break;
            }
            default:
                w.Line($"{target} = {Types.Q(ns, type.Name! + "JsonConverter")}.ReadValue(ref reader);");
                break;
        }
    }

    private const string EncodedText = "global::System.Text.Json.JsonEncodedText";

    /// <summary>The converter's static field holding a property's encoded JSON name.</summary>
    private static string NameField(FieldModel field) => "Encoded" + field.PropertyName;

    /// <summary>
    /// Statements that write the property <paramref name="name"/> (a <c>JsonEncodedText</c>) with <paramref name="value"/>:
    /// one writer call where the writer has a form taking the name, else the name and then the value. Values that could
    /// not be read back (<paramref name="what"/> names them) are refused first, through <c>MessageChecks</c>.
    /// </summary>
    private static void WriteProperty(SourceWriter w, string ns, FieldType type, string name, string value, string id, string what, bool present = false)
    {
        switch (type.Kind)
        {
            case FieldTypeKind.String: w.Line($"writer.WriteString({name}, {Check("Text", value, what)});"); break;
            case FieldTypeKind.Guid: w.Line($"writer.WriteString({name}, {value});"); break;
            case FieldTypeKind.Bool: w.Line($"writer.WriteBoolean({name}, {value});"); break;
            case FieldTypeKind.Int:
            case FieldTypeKind.Long:
            case FieldTypeKind.Decimal: w.Line($"writer.WriteNumber({name}, {value});"); break;
            case FieldTypeKind.Double: w.Line($"writer.WriteNumber({name}, {Check("Finite", value, what)});"); break;
            case FieldTypeKind.Timestamp: w.Line($"writer.WriteString({name}, {value}.ToString(\"O\", {Types.Invariant}));"); break;
            case FieldTypeKind.Date: w.Line($"writer.WriteString({name}, {value}.ToString(\"yyyy-MM-dd\", {Types.Invariant}));"); break;
            case FieldTypeKind.Duration: w.Line($"writer.WriteString({name}, {value}.ToString(\"c\", {Types.Invariant}));"); break;
            case FieldTypeKind.Bytes: w.Line($"writer.WriteBase64String({name}, {Required(value, what, present)});"); break;
            case FieldTypeKind.Nullable:
                w.Line($"if ({value} is not {{ }} present{id}) writer.WriteNull({name});");
                w.Open("else");
                WriteProperty(w, ns, type.Element!, name, "present" + id, id + "_1", what, present: true);
                w.Close();
                break;
            case FieldTypeKind.List:
                w.Line($"writer.WriteStartArray({name});");
                ListItems(w, ns, type, Required(value, what, present), id, what);
                w.Line("writer.WriteEndArray();");
                break;
            case FieldTypeKind.Map:
                w.Line($"writer.WriteStartObject({name});");
                MapEntries(w, ns, type, Required(value, what, present), id, what);
                w.Line("writer.WriteEndObject();");
                break;
            default:
                w.Line($"writer.WritePropertyName({name});");
                Write(w, ns, type, value, id, what, present);
                break;
        }
    }

    /// <summary>Statements that write <paramref name="value"/> as JSON, refusing what could not be read back.</summary>
    private static void Write(SourceWriter w, string ns, FieldType type, string value, string id, string what, bool present = false)
    {
        switch (type.Kind)
        {
            case FieldTypeKind.String: w.Line($"writer.WriteStringValue({Check("Text", value, what)});"); break;
            case FieldTypeKind.Bool: w.Line($"writer.WriteBooleanValue({value});"); break;
            case FieldTypeKind.Int:
            case FieldTypeKind.Long:
            case FieldTypeKind.Decimal: w.Line($"writer.WriteNumberValue({value});"); break;
            case FieldTypeKind.Double: w.Line($"writer.WriteNumberValue({Check("Finite", value, what)});"); break;
            case FieldTypeKind.Guid: w.Line($"writer.WriteStringValue({value});"); break;
            case FieldTypeKind.Timestamp: w.Line($"writer.WriteStringValue({value}.ToString(\"O\", {Types.Invariant}));"); break;
            case FieldTypeKind.Date: w.Line($"writer.WriteStringValue({value}.ToString(\"yyyy-MM-dd\", {Types.Invariant}));"); break;
            case FieldTypeKind.Duration: w.Line($"writer.WriteStringValue({value}.ToString(\"c\", {Types.Invariant}));"); break;
            case FieldTypeKind.Bytes: w.Line($"writer.WriteBase64StringValue({Required(value, what, present)});"); break;
            case FieldTypeKind.Nullable:
                w.Line($"if ({value} is not {{ }} present{id}) writer.WriteNullValue();");
                w.Open("else");
                Write(w, ns, type.Element!, "present" + id, id + "_1", what, present: true);
                w.Close();
                break;
            case FieldTypeKind.List:
                w.Line("writer.WriteStartArray();");
                ListItems(w, ns, type, Required(value, what, present), id, what);
                w.Line("writer.WriteEndArray();");
                break;
            case FieldTypeKind.Map:
                w.Line("writer.WriteStartObject();");
                MapEntries(w, ns, type, Required(value, what, present), id, what);
                w.Line("writer.WriteEndObject();");
                break;
            case FieldTypeKind.Enum:
                w.Line($"{Types.Q(ns, type.Name! + "JsonConverter")}.WriteValue(writer, {value});");
                break;
            default:
                w.Line($"{Types.Q(ns, type.Name! + "JsonConverter")}.WriteValue(writer, {Required(value, what, present)});");
                break;
        }
    }

    /// <summary>A required reference checked for null, unless it is <paramref name="present"/> (matched non-null already).</summary>
    private static string Required(string value, string what, bool present) => present ? value : Check("Required", value, what);

    /// <summary>A call of the write-time check <paramref name="check"/> of <c>MessageChecks</c> on <paramref name="value"/>.</summary>
    private static string Check(string check, string value, string what) =>
        $"{Types.Runtime}.MessageChecks.{check}({value}, {SourceWriter.Literal(what)})";

    /// <summary>
    /// The items of a list, by index: <c>IReadOnlyList&lt;T&gt;</c>'s <c>Count</c> and indexer, so no boxed enumerator is
    /// allocated per list (<c>foreach</c> over the interface would allocate one for a <c>List&lt;T&gt;</c>).
    /// </summary>
    private static void ListItems(SourceWriter w, string ns, FieldType type, string value, string id, string what)
    {
        w.Line($"var list{id} = {value};");
        w.Open($"for (var index{id} = 0; index{id} < list{id}.Count; index{id}++)");
        Write(w, ns, type.Element!, $"list{id}[index{id}]", id + "_1", what + "[]");
        w.Close();
    }

    /// <summary>
    /// The entries of a map, each as a property named by its key: the writer's one-call forms taking the name
    /// (<c>WriteNumber(key, value)</c>, …), as for record properties, else the name and then the value.
    /// </summary>
    private static void MapEntries(SourceWriter w, string ns, FieldType type, string value, string id, string what)
    {
        w.Open($"foreach (var pair{id} in {value})");
        WriteProperty(w, ns, type.Element!, Check("Text", $"pair{id}.Key", what + "{} key"), $"pair{id}.Value", id + "_1", what + "{}");
        w.Close();
    }
}
