using Concordance.Generators.Model;

namespace Concordance.Generators.Emit;

/// <summary>C# spellings of model types and well-known names.</summary>
internal static class Types
{
    public const string Json = "global::System.Text.Json";
    public const string Reader = "global::System.Text.Json.Utf8JsonReader";
    public const string Writer = "global::System.Text.Json.Utf8JsonWriter";
    public const string JsonException = "global::System.Text.Json.JsonException";
    public const string TokenType = "global::System.Text.Json.JsonTokenType";
    public const string Invariant = "global::System.Globalization.CultureInfo.InvariantCulture";
    public const string Generic = "global::System.Collections.Generic";
    public const string Type = "global::System.Type";
    public const string TypeList = "global::System.Collections.Generic.IReadOnlyList<global::System.Type>";
    public const string Runtime = "global::Concordance";

    /// <summary>The attribute every generated type carries: the tool and this generator's assembly version.</summary>
    public static readonly string GeneratedCode =
        $"[global::System.CodeDom.Compiler.GeneratedCode(\"Concordance\", \"{typeof(Types).Assembly.GetName().Version}\")]";

    /// <summary>Hides generated plumbing (converters, decision internals) from IntelliSense; it stays callable by generated code.</summary>
    public const string NotBrowsable = "[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]";

    /// <summary>The fully qualified name of a generated type.</summary>
    public static string Q(string ns, string name) => "global::" + ns + "." + name;

    /// <summary>The C# type of a field type.</summary>
    public static string Of(FieldType type, string ns) => type.Kind switch
    {
        FieldTypeKind.String => "string",
        FieldTypeKind.Bool => "bool",
        FieldTypeKind.Int => "int",
        FieldTypeKind.Long => "long",
        FieldTypeKind.Decimal => "decimal",
        FieldTypeKind.Double => "double",
        FieldTypeKind.Guid => "global::System.Guid",
        FieldTypeKind.Timestamp => "global::System.DateTimeOffset",
        FieldTypeKind.Date => "global::System.DateOnly",
        FieldTypeKind.Duration => "global::System.TimeSpan",
        FieldTypeKind.Bytes => "byte[]",
        FieldTypeKind.Nullable => Of(type.Element!, ns) + "?",
        FieldTypeKind.List => Generic + ".IReadOnlyList<" + Of(type.Element!, ns) + ">",
        FieldTypeKind.Map => Generic + ".IReadOnlyDictionary<string, " + Of(type.Element!, ns) + ">",
        _ => Q(ns, type.Name!),
    };
}
