using System;
using System.Collections.Generic;
using System.Linq;

namespace Concordance.Schema.Locking;

// The shipped wire shape of a schema's events: what a .concordance.lock file holds. Plain values,
// no positions: the lock is compared by name, and its diagnostics point into the schema.

/// <summary>The shape of a type reference in a lock: the schema's own spelling, canonical.</summary>
public enum LockedTypeKind
{
    /// <summary>A built-in type, or a record or enum by name.</summary>
    Named,
    /// <summary><c>T?</c></summary>
    Nullable,
    /// <summary><c>list&lt;T&gt;</c></summary>
    List,
    /// <summary><c>map&lt;K, V&gt;</c></summary>
    Map,
}

/// <summary>A field's type as it is stored: <c>decimal</c>, <c>string?</c>, <c>list&lt;Line&gt;</c>, <c>map&lt;string, int&gt;</c>.</summary>
public sealed class LockedType : IEquatable<LockedType>
{
    private readonly string _text;

    private LockedType(LockedTypeKind kind, string? name, IReadOnlyList<LockedType> arguments)
    {
        Kind = kind;
        Name = name;
        Arguments = arguments;
        _text = kind switch
        {
            LockedTypeKind.Nullable => arguments[0] + "?",
            LockedTypeKind.List => "list<" + arguments[0] + ">",
            LockedTypeKind.Map => "map<" + arguments[0] + ", " + arguments[1] + ">",
            _ => name ?? string.Empty,
        };
    }

    /// <summary>Which shape this is.</summary>
    public LockedTypeKind Kind { get; }

    /// <summary>For <see cref="LockedTypeKind.Named"/>: the type's name; otherwise null.</summary>
    public string? Name { get; }

    /// <summary>For nullable and list: the element; for map: key then value; otherwise empty.</summary>
    public IReadOnlyList<LockedType> Arguments { get; }

    /// <summary>A built-in type, record or enum by name.</summary>
    public static LockedType Named(string name) => new(LockedTypeKind.Named, name, Array.Empty<LockedType>());

    /// <summary><c>T?</c></summary>
    public static LockedType Nullable(LockedType element) => new(LockedTypeKind.Nullable, null, new[] { element });

    /// <summary><c>list&lt;T&gt;</c></summary>
    public static LockedType List(LockedType element) => new(LockedTypeKind.List, null, new[] { element });

    /// <summary><c>map&lt;K, V&gt;</c></summary>
    public static LockedType Map(LockedType key, LockedType value) => new(LockedTypeKind.Map, null, new[] { key, value });

    /// <summary>Every name this type mentions, outermost first.</summary>
    public IEnumerable<string> NamesUsed() =>
        Kind == LockedTypeKind.Named ? new[] { Name! } : Arguments.SelectMany(a => a.NamesUsed());

    /// <summary>The schema's spelling: <c>map&lt;string, list&lt;Line?&gt;&gt;</c>.</summary>
    public override string ToString() => _text;

    /// <inheritdoc />
    public bool Equals(LockedType? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LockedType);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);
}

/// <summary>A field of a locked event or record: its JSON name (as written in the schema) and type.</summary>
/// <param name="Name">The field's name, which is its JSON property name.</param>
/// <param name="Type">The field's type.</param>
public sealed record LockedField(string Name, LockedType Type);

/// <summary>One shipped event version and its fields in schema order.</summary>
/// <param name="Name">The event's name, without namespace.</param>
/// <param name="Version">Its version (1 when the schema declares none).</param>
/// <param name="Fields">Its fields in schema order.</param>
public sealed record LockedEvent(string Name, int Version, IReadOnlyList<LockedField> Fields);

/// <summary>A record used, directly or through other records, by a locked event.</summary>
/// <param name="Name">The record's name.</param>
/// <param name="Fields">Its fields in schema order.</param>
public sealed record LockedRecord(string Name, IReadOnlyList<LockedField> Fields);

/// <summary>An enum used, directly or through records, by a locked event. Values are stored by member name.</summary>
/// <param name="Name">The enum's name.</param>
/// <param name="Members">Its members in schema order, the fallback member included.</param>
/// <param name="Fallback">The member declared <c>fallback</c>, or null.</param>
public sealed record LockedEnum(string Name, IReadOnlyList<string> Members, string? Fallback);

/// <summary>An <c>upcast Name vFrom -&gt; vTo</c> that shipped.</summary>
/// <param name="Event">The event's name.</param>
/// <param name="From">The older version.</param>
/// <param name="To">The newer version.</param>
public sealed record LockedUpcast(string Event, int From, int To);

/// <summary>
/// The content of a <c>{Schema}.concordance.lock</c> file: the wire shape of every event version a
/// schema has shipped, the records and enums those events use, and the upcasts between versions.
/// Each list is sorted (by name, then version) so the same schema always gives the same lock.
/// </summary>
/// <param name="Namespace">The schema's namespace: stored event types are qualified with it.</param>
/// <param name="Events">Every event version.</param>
/// <param name="Records">Every record the events use, transitively.</param>
/// <param name="Enums">Every enum the events use, transitively.</param>
/// <param name="Upcasts">Every upcast between event versions.</param>
public sealed record SchemaLock(
    string? Namespace,
    IReadOnlyList<LockedEvent> Events,
    IReadOnlyList<LockedRecord> Records,
    IReadOnlyList<LockedEnum> Enums,
    IReadOnlyList<LockedUpcast> Upcasts)
{
    /// <summary>The version of the lock file format this library reads and writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>The extension added to a schema's file name to name its lock: <c>Bank.concordance.lock</c>.</summary>
    public const string FileExtension = ".lock";

    /// <summary>The path of the lock of the schema at <paramref name="schemaPath"/>: the same path plus <c>.lock</c>.</summary>
    public static string PathFor(string schemaPath) => schemaPath + FileExtension;
}
