using System.Linq;
using Concordance.Generators.Model;
using Concordance.Schema;

namespace Concordance.Generators.Emit;

/// <summary>
/// Writes <c>{Name}JsonConverter</c> classes: a few lines per type, because the reading and writing of every kind of
/// schema value lives in the runtime's <c>Concordance.Serialization</c> (as System.Text.Json's generator leans on its
/// runtime converters). A record's converter holds its <c>JsonShape</c> (schema name, JSON names, which fields are
/// required) and, per field, one read in a switch and one write, each a static call of the field kind's codec
/// (<c>JsonText</c>, <c>JsonList&lt;T, TCodec&gt;</c>, …): no reflection, no virtual call per value. The wire format
/// (camelCase names in schema order, enums by name, ISO 8601 timestamps, base64 bytes) and the error messages naming
/// type and field are the runtime's; the writer refuses what the reader would refuse.
/// </summary>
internal static class JsonEmitter
{
    private const string Serialization = "global::Concordance.Serialization";

    /// <summary>The converter of a record-shaped type (message, record, state).</summary>
    public static void Record(SourceWriter w, string ns, string typeName, EquatableArray<FieldModel> fields)
    {
        var type = Types.Q(ns, typeName);
        ConverterHeader(w, ns, typeName);
        var names = fields.Select(f => SourceWriter.Literal(f.Type.Kind == FieldTypeKind.Nullable ? f.JsonName + "?" : f.JsonName));
        w.Line($"private static readonly {Serialization}.JsonShape Shape = new({string.Join(", ", new[] { SourceWriter.Literal(ns + "." + typeName) }.Concat(names))});");
        w.Line();

        w.Line($"/// <summary>Reads a <see cref=\"{type}\"/> at the reader's current token.</summary>");
        w.Line("/// <param name=\"reader\">The reader, at the start of the object.</param>");
        w.Line("/// <returns>The value read.</returns>");
        w.Open($"public static {type} ReadValue(ref {Types.Reader} reader)");
        w.Line("var read = Shape.Start(ref reader);");
        for (var i = 0; i < fields.Count; i++)
        {
            w.Line($"{Types.Of(fields[i].Type, ns)} f{i} = default!;");
        }
        if (fields.Count == 0)
        {
            w.Line("while (Shape.Next(ref reader, ref read) is not null) { }");
        }
        else
        {
            w.Open("while (Shape.Next(ref reader, ref read) is { } field)");
            w.Open("switch (field.Index)");
            for (var i = 0; i < fields.Count; i++)
            {
                w.Line($"case {i}: f{i} = {Codec(fields[i].Type, ns)}.Read(ref reader, field); break;");
            }
            w.Close();
            w.Close();
        }
        w.Line("Shape.Complete(in read);");
        w.Line($"return new {type}({string.Join(", ", Enumerable.Range(0, fields.Count).Select(i => "f" + i))});");
        w.Close();
        w.Line();

        w.Line($"/// <summary>Writes a <see cref=\"{type}\"/> as a JSON object, refusing what could not be read back.</summary>");
        w.Line("/// <param name=\"writer\">The writer.</param>");
        w.Line("/// <param name=\"value\">The value.</param>");
        w.Open($"public static void WriteValue({Types.Writer} writer, {type} value)");
        w.Line("writer.WriteStartObject();");
        for (var i = 0; i < fields.Count; i++)
        {
            w.Line($"{Codec(fields[i].Type, ns)}.WriteProperty(writer, Shape[{i}], value.{fields[i].PropertyName});");
        }
        w.Line("writer.WriteEndObject();");
        w.Close();
        w.Close();
    }

    /// <summary>The converter of an enum: members by name, an unknown name as the fallback member if there is one.</summary>
    public static void Enum(SourceWriter w, string ns, EnumModel model)
    {
        var type = Types.Q(ns, model.Name);
        ConverterHeader(w, ns, model.Name);
        var fallback = model.Fallback is { } name ? type + "." + name : "null";
        var arguments = new[] { SourceWriter.Literal(ns + "." + model.Name), fallback }.Concat(model.Members.Select(m => SourceWriter.Literal(m.Name)));
        w.Line($"private static readonly {Serialization}.JsonEnumShape<{type}> Shape = new({string.Join(", ", arguments)});");
        w.Line();
        w.Line($"/// <summary>Reads a <see cref=\"{type}\"/> member name.</summary>");
        w.Line("/// <param name=\"reader\">The reader, at the value.</param>");
        w.Line("/// <returns>The member.</returns>");
        w.Line($"public static {type} ReadValue(ref {Types.Reader} reader) => Shape.Read(ref reader);");
        w.Line();
        w.Line($"/// <summary>Writes a <see cref=\"{type}\"/> member's name.</summary>");
        w.Line("/// <param name=\"writer\">The writer.</param>");
        w.Line("/// <param name=\"value\">The member.</param>");
        w.Line($"public static void WriteValue({Types.Writer} writer, {type} value) => Shape.Write(writer, value);");
        w.Close();
    }

    private static void ConverterHeader(SourceWriter w, string ns, string name)
    {
        var type = Types.Q(ns, name);
        var converter = Types.Q(ns, GeneratedNames.JsonConverter(name));
        w.Line($"/// <summary>Reads and writes <see cref=\"{type}\"/> as JSON without reflection.</summary>");
        w.Line(Types.GeneratedCode);
        w.Line(Types.NotBrowsable);
        w.Open($"public sealed class {GeneratedNames.JsonConverter(name)} : {Serialization}.GeneratedJsonConverter<{type}, {converter}>, {Serialization}.IGeneratedJsonConverter<{type}>");
    }

    /// <summary>The runtime codec type that reads and writes a field of <paramref name="type"/>.</summary>
    private static string Codec(FieldType type, string ns) => type.Kind switch
    {
        FieldTypeKind.String => Serialization + ".JsonText",
        FieldTypeKind.Bool => Serialization + ".JsonBool",
        FieldTypeKind.Int => Serialization + ".JsonInt",
        FieldTypeKind.Long => Serialization + ".JsonLong",
        FieldTypeKind.Decimal => Serialization + ".JsonDecimal",
        FieldTypeKind.Double => Serialization + ".JsonDouble",
        FieldTypeKind.Guid => Serialization + ".JsonGuid",
        FieldTypeKind.Timestamp => Serialization + ".JsonTimestamp",
        FieldTypeKind.Date => Serialization + ".JsonDate",
        FieldTypeKind.Duration => Serialization + ".JsonDuration",
        FieldTypeKind.Bytes => Serialization + ".JsonBytes",
        FieldTypeKind.Nullable => $"{Serialization}.{(IsValueType(type.Element!) ? "JsonOptionalValue" : "JsonOptional")}<{Types.Of(type.Element!, ns)}, {Codec(type.Element!, ns)}>",
        FieldTypeKind.List => $"{Serialization}.JsonList<{Types.Of(type.Element!, ns)}, {Codec(type.Element!, ns)}>",
        FieldTypeKind.Map => $"{Serialization}.JsonMap<{Types.Of(type.Element!, ns)}, {Codec(type.Element!, ns)}>",
        _ => $"{Serialization}.JsonGenerated<{Types.Q(ns, type.Name!)}, {Types.Q(ns, GeneratedNames.JsonConverter(type.Name!))}>",
    };

    /// <summary>True for the kinds C# represents as structs (their nullable form is <c>T?</c> = <c>Nullable&lt;T&gt;</c>).</summary>
    private static bool IsValueType(FieldType type) => type.Kind switch
    {
        FieldTypeKind.String or FieldTypeKind.Bytes or FieldTypeKind.List or FieldTypeKind.Map or FieldTypeKind.Record => false,
        _ => true,
    };
}
