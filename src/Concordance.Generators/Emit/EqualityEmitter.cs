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
        w.Line("ReferenceEquals(this, other) || other is not null");
        foreach (var field in fields)
        {
            w.Line("&& " + Equal(field.Type, ns, field.PropertyName, "other." + field.PropertyName, 0));
        }
        w.Outdent();
        w.Line("    ;");
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
        w.Line();
        Helpers(w);
    }

    private static string Equal(FieldType type, string ns, string left, string right, int depth) => type.Kind switch
    {
        FieldTypeKind.Nullable when type.NeedsContentEquality => Equal(type.Element!, ns, left, right, depth),
        FieldTypeKind.Bytes => $"BytesEqual({left}, {right})",
        FieldTypeKind.List => $"ListEqual({left}, {right}, static (x{depth}, y{depth}) => {Equal(type.Element!, ns, "x" + depth, "y" + depth, depth + 1)})",
        FieldTypeKind.Map => $"MapEqual({left}, {right}, static (x{depth}, y{depth}) => {Equal(type.Element!, ns, "x" + depth, "y" + depth, depth + 1)})",
        _ => $"{Types.Generic}.EqualityComparer<{Types.Of(type, ns)}>.Default.Equals({left}, {right})",
    };

    private static string Hash(FieldType type, string ns, string value, int depth) => type.Kind switch
    {
        FieldTypeKind.Nullable when type.NeedsContentEquality => Hash(type.Element!, ns, value, depth),
        FieldTypeKind.Bytes => $"BytesHash({value})",
        FieldTypeKind.List => $"ListHash({value}, static x{depth} => {Hash(type.Element!, ns, "x" + depth, depth + 1)})",
        FieldTypeKind.Map => $"MapHash({value}, static x{depth} => {Hash(type.Element!, ns, "x" + depth, depth + 1)})",
        _ => $"{Types.Generic}.EqualityComparer<{Types.Of(type, ns)}>.Default.GetHashCode({value}!)",
    };

    private static void Helpers(SourceWriter w)
    {
        const string list = "global::System.Collections.Generic.IReadOnlyList<T>";
        const string map = "global::System.Collections.Generic.IReadOnlyDictionary<string, T>";
        w.Line("private static bool BytesEqual(byte[]? left, byte[]? right) =>");
        w.Line("    ReferenceEquals(left, right) || left is not null && right is not null && global::System.MemoryExtensions.SequenceEqual<byte>(left, right);");
        w.Line();
        w.Open("private static int BytesHash(byte[]? value)");
        w.Line("if (value is null) return 0;");
        w.Line("var hash = new global::System.HashCode();");
        w.Line("hash.AddBytes(value);");
        w.Line("return hash.ToHashCode();");
        w.Close();
        w.Line();
        w.Open($"private static bool ListEqual<T>({list}? left, {list}? right, global::System.Func<T, T, bool> equal)");
        w.Line("if (ReferenceEquals(left, right)) return true;");
        w.Line("if (left is null || right is null || left.Count != right.Count) return false;");
        w.Line("for (var i = 0; i < left.Count; i++) if (!equal(left[i], right[i])) return false;");
        w.Line("return true;");
        w.Close();
        w.Line();
        w.Open($"private static int ListHash<T>({list}? value, global::System.Func<T, int> hashOf)");
        w.Line("if (value is null) return 0;");
        w.Line("var hash = new global::System.HashCode();");
        w.Line("foreach (var item in value) hash.Add(hashOf(item));");
        w.Line("return hash.ToHashCode();");
        w.Close();
        w.Line();
        w.Open($"private static bool MapEqual<T>({map}? left, {map}? right, global::System.Func<T, T, bool> equal)");
        w.Line("if (ReferenceEquals(left, right)) return true;");
        w.Line("if (left is null || right is null || left.Count != right.Count) return false;");
        w.Line("foreach (var pair in left) if (!right.TryGetValue(pair.Key, out var other) || !equal(pair.Value, other)) return false;");
        w.Line("return true;");
        w.Close();
        w.Line();
        w.Open($"private static int MapHash<T>({map}? value, global::System.Func<T, int> hashOf)");
        w.Line("if (value is null) return 0;");
        w.Line("var hash = 0;");
        w.Line("foreach (var pair in value) hash ^= global::System.HashCode.Combine(global::System.StringComparer.Ordinal.GetHashCode(pair.Key), hashOf(pair.Value));");
        w.Line("return hash;");
        w.Close();
    }
}
