using System.Linq;
using Concordance.Generators.Model;

namespace Concordance.Generators.Emit;

/// <summary>
/// Writes <c>Equals</c>/<c>GetHashCode</c> for records with list, map or bytes fields, which the
/// compiler would compare by reference: lists in order, maps by key, bytes by content.
/// </summary>
internal static class EqualityEmitter
{
    public static bool IsNeeded(EquatableArray<FieldModel> fields) => fields.Any(f => f.Type.NeedsContentEquality);

    public static void Members(SourceWriter w, string ns, string typeName, EquatableArray<FieldModel> fields)
    {
        var type = Types.Q(ns, typeName);
        w.Line("/// <summary>Compares every field by value; lists, maps and bytes by content.</summary>");
        w.Line("/// <param name=\"other\">The instance to compare with.</param>");
        w.Line("/// <returns>True when both hold equal values.</returns>");
        w.Line($"public bool Equals({type}? other) =>");
        w.Indent();
        w.Line("ReferenceEquals(this, other) || other is not null" + (fields.Count == 0 ? ";" : ""));
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            w.Line("&& " + Equal(field.Type, ns, field.PropertyName, "other." + field.PropertyName) + (i == fields.Count - 1 ? ";" : ""));
        }
        w.Outdent();
        w.Line();
        w.Line("/// <summary>A hash code consistent with <see cref=\"Equals(" + type + "?)\"/>.</summary>");
        w.Line("/// <returns>The hash code.</returns>");
        w.Open("public override int GetHashCode()");
        w.Line("var hash = new global::System.HashCode();");
        foreach (var field in fields)
        {
            w.Line($"hash.Add({Hash(field.Type, ns, field.PropertyName)});");
        }
        w.Line("return hash.ToHashCode();");
        w.Close();
    }

    private const string Equality = Types.Runtime + ".Equality";

    /// <summary>A list, map or bytes field compares through its content-equality type; others as the type compares.</summary>
    private static string Equal(FieldType type, string ns, string left, string right) =>
        type.NeedsContentEquality
            ? $"{Comparer(type, ns)}.Equal({left}, {right})"
            : $"{Types.Generic}.EqualityComparer<{Types.Of(type, ns)}>.Default.Equals({left}, {right})";

    private static string Hash(FieldType type, string ns, string value) =>
        type.NeedsContentEquality
            ? $"{Comparer(type, ns)}.Hash({value})"
            : $"{Types.Generic}.EqualityComparer<{Types.Of(type, ns)}>.Default.GetHashCode({value}!)";

    /// <summary>The runtime's <c>IContentEquality</c> type for <paramref name="type"/>: one generic type however deep the nesting.</summary>
    private static string Comparer(FieldType type, string ns) => type.Kind switch
    {
        FieldTypeKind.Nullable when type.NeedsContentEquality => Comparer(type.Element!, ns),
        FieldTypeKind.Bytes => Equality + ".ByBytes",
        FieldTypeKind.List => $"{Equality}.ByList<{Types.Of(type.Element!, ns)}, {Comparer(type.Element!, ns)}>",
        FieldTypeKind.Map => $"{Equality}.ByMap<{Types.Of(type.Element!, ns)}, {Comparer(type.Element!, ns)}>",
        _ => $"{Equality}.ByValue<{Types.Of(type, ns)}>",
    };
}
