using System.ComponentModel;

namespace Concordance;

/// <summary>
/// Content comparison for the list, map and bytes fields of generated records, which the compiler
/// would otherwise compare by reference. Called by generated <c>Equals</c>/<c>GetHashCode</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ContentEquality
{
    /// <summary>True when both are null, or both hold the same bytes.</summary>
    public static bool BytesEqual(byte[]? left, byte[]? right) =>
        ReferenceEquals(left, right) || left is not null && right is not null && left.AsSpan().SequenceEqual(right);

    /// <summary>A hash of the bytes' content; 0 for null.</summary>
    public static int BytesHash(byte[]? value)
    {
        if (value is null) return 0;
        var hash = new HashCode();
        hash.AddBytes(value);
        return hash.ToHashCode();
    }

    /// <summary>True when both are null, or both hold equal items in the same order.</summary>
    public static bool ListEqual<T>(IReadOnlyList<T>? left, IReadOnlyList<T>? right, Func<T, T, bool> equal)
    {
        if (ReferenceEquals(left, right)) return true;
        if (left is null || right is null || left.Count != right.Count) return false;
        for (var i = 0; i < left.Count; i++)
        {
            if (!equal(left[i], right[i])) return false;
        }
        return true;
    }

    /// <summary>A hash of the items in order; 0 for null.</summary>
    public static int ListHash<T>(IReadOnlyList<T>? value, Func<T, int> hashOf)
    {
        if (value is null) return 0;
        var hash = new HashCode();
        foreach (var item in value) hash.Add(hashOf(item));
        return hash.ToHashCode();
    }

    /// <summary>True when both are null, or both hold the same keys with equal values.</summary>
    public static bool MapEqual<T>(IReadOnlyDictionary<string, T>? left, IReadOnlyDictionary<string, T>? right, Func<T, T, bool> equal)
    {
        if (ReferenceEquals(left, right)) return true;
        if (left is null || right is null || left.Count != right.Count) return false;
        foreach (var pair in left)
        {
            if (!right.TryGetValue(pair.Key, out var other) || !equal(pair.Value, other)) return false;
        }
        return true;
    }

    /// <summary>A hash of the entries that does not depend on their order; 0 for null.</summary>
    public static int MapHash<T>(IReadOnlyDictionary<string, T>? value, Func<T, int> hashOf)
    {
        if (value is null) return 0;
        var hash = 0;
        foreach (var pair in value) hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(pair.Key), hashOf(pair.Value));
        return hash;
    }
}

