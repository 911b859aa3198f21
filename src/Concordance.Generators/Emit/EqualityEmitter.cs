using System.Linq;
using Concordance.Generators.Model;

namespace Concordance.Generators.Emit;

/// <summary>
/// Writes <c>Equals</c>/<c>GetHashCode</c> for records with list, map or bytes fields, which the
/// compiler would compare by reference: lists in order, maps by key, bytes by content.
/// </summary>
internal static class EqualityEmitter
{
    private const string Helpers = Types.Runtime + ".ContentEquality";

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
            w.Line("&& " + Equal(field.Type, ns, field.PropertyName, "other." + field.PropertyName, 0) + (i == fields.Count - 1 ? ";" : ""));
        }
        w.Outdent();
        w.Line();
        w.Line("/// <summary>A hash code consistent with <see cref=\"Equals(" + type + "?)\"/>.</summary>");
        w.Line("/// <returns>The hash code.</returns>");
        w.Open("public override int GetHashCode()");
        w.Line("var hash = new global::System.HashCode();");
        foreach (var field in fields)
        {
            w.Line($"hash.Add({Hash(field.Type, ns, field.PropertyName, 0)});");
        }
        w.Line("return hash.ToHashCode();");
        w.Close();
    }

    private static string Equal(FieldType type, string ns, string left, string right, int depth) => type.Kind switch
    {
        FieldTypeKind.Nullable when type.NeedsContentEquality => Equal(type.Element!, ns, left, right, depth),
        FieldTypeKind.Bytes => $"{Helpers}.BytesEqual({left}, {right})",
        FieldTypeKind.List => $"{Helpers}.ListEqual({left}, {right}, static (x{depth}, y{depth}) => {Equal(type.Element!, ns, "x" + depth, "y" + depth, depth + 1)})",
        FieldTypeKind.Map => $"{Helpers}.MapEqual({left}, {right}, static (x{depth}, y{depth}) => {Equal(type.Element!, ns, "x" + depth, "y" + depth, depth + 1)})",
        _ => $"{Types.Generic}.EqualityComparer<{Types.Of(type, ns)}>.Default.Equals({left}, {right})",
    };

    private static string Hash(FieldType type, string ns, string value, int depth) => type.Kind switch
    {
        FieldTypeKind.Nullable when type.NeedsContentEquality => Hash(type.Element!, ns, value, depth),
        FieldTypeKind.Bytes => $"{Helpers}.BytesHash({value})",
        FieldTypeKind.List => $"{Helpers}.ListHash({value}, static x{depth} => {Hash(type.Element!, ns, "x" + depth, depth + 1)})",
        FieldTypeKind.Map => $"{Helpers}.MapHash({value}, static x{depth} => {Hash(type.Element!, ns, "x" + depth, depth + 1)})",
        _ => $"{Types.Generic}.EqualityComparer<{Types.Of(type, ns)}>.Default.GetHashCode({value}!)",
    };
}
