using System.ComponentModel;

namespace Concordance.Equality;

// Oblivious on purpose: generated code names these types with the field's own nullability (byte[] or byte[],
// IReadOnlyList<T> or IReadOnlyList<T>), and every one of them accepts null, so no annotation should mismatch.
#nullable disable

/// <summary>
/// How generated <c>Equals</c>/<c>GetHashCode</c> compare one kind of field, as static members so that a nested
/// <c>list&lt;map&lt;string, bytes&gt;&gt;</c> is one generic type, not a lambda per level: the same results as
/// <see cref="Concordance.ContentEquality"/>'s methods.
/// </summary>
/// <typeparam name="T">The field's type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IContentEquality<T>
{
    /// <summary>True when both hold equal values.</summary>
    /// <param name="left">One value.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are equal.</returns>
    static abstract bool Equal(T left, T right);

    /// <summary>A hash consistent with <see cref="Equal"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The hash.</returns>
    static abstract int Hash(T value);
}

/// <summary>Compared as the type itself compares (<see cref="EqualityComparer{T}.Default"/>): scalars, enums, records.</summary>
/// <typeparam name="T">The field's type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ByValue<T> : IContentEquality<T>
{
    /// <inheritdoc />
    public static bool Equal(T left, T right) => EqualityComparer<T>.Default.Equals(left, right);

    /// <inheritdoc />
    public static int Hash(T value) => value is null ? 0 : EqualityComparer<T>.Default.GetHashCode(value);
}

/// <summary><c>bytes</c> (nullable or not): by content.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ByBytes : IContentEquality<byte[]>
{
    /// <inheritdoc />
    public static bool Equal(byte[] left, byte[] right) => Concordance.ContentEquality.BytesEqual(left, right);

    /// <inheritdoc />
    public static int Hash(byte[] value) => Concordance.ContentEquality.BytesHash(value);
}

/// <summary><c>list&lt;T&gt;</c> (nullable or not): equal items in the same order.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <typeparam name="TItem">How items compare.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ByList<T, TItem> : IContentEquality<IReadOnlyList<T>>
    where TItem : IContentEquality<T>
{
    /// <inheritdoc />
    public static bool Equal(IReadOnlyList<T> left, IReadOnlyList<T> right)
    {
        if (ReferenceEquals(left, right)) return true;
        if (left is null || right is null || left.Count != right.Count) return false;
        for (var i = 0; i < left.Count; i++)
        {
            if (!TItem.Equal(left[i], right[i])) return false;
        }
        return true;
    }

    /// <inheritdoc />
    public static int Hash(IReadOnlyList<T> value)
    {
        if (value is null) return 0;
        var hash = new HashCode();
        for (var i = 0; i < value.Count; i++) hash.Add(TItem.Hash(value[i]));
        return hash.ToHashCode();
    }
}

/// <summary><c>map&lt;string, T&gt;</c> (nullable or not): the same keys with equal values, in any order.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <typeparam name="TValue">How values compare.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ByMap<T, TValue> : IContentEquality<IReadOnlyDictionary<string, T>>
    where TValue : IContentEquality<T>
{
    /// <inheritdoc />
    public static bool Equal(IReadOnlyDictionary<string, T> left, IReadOnlyDictionary<string, T> right)
    {
        if (ReferenceEquals(left, right)) return true;
        if (left is null || right is null || left.Count != right.Count) return false;
        foreach (var pair in left)
        {
            if (!right.TryGetValue(pair.Key, out var other) || !TValue.Equal(pair.Value, other)) return false;
        }
        return true;
    }

    /// <inheritdoc />
    public static int Hash(IReadOnlyDictionary<string, T> value)
    {
        if (value is null) return 0;
        var hash = 0;
        foreach (var pair in value) hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(pair.Key), TValue.Hash(pair.Value));
        return hash;
    }
}
