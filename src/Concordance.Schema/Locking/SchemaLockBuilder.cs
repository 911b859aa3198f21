using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Locking;

/// <summary>Takes the lock of a schema as it stands: its events, the records and enums they use, its upcasts.</summary>
public static class SchemaLockBuilder
{
    /// <summary>
    /// The lock of <paramref name="file"/>. Never throws: a declaration or field the parser could
    /// not recover (missing name or type) is left out; of two declarations with one name (or event
    /// name and version) the first counts, as in the generated code.
    /// </summary>
    /// <param name="file">A file from <see cref="SchemaParser.Parse"/>.</param>
    public static SchemaLock Build(SchemaFile file)
    {
        var declarations = SchemaDeclarations.Of(file);
        var events = declarations.Events.Values
            .Select(e => new LockedEvent(e.Name.Text, e.EffectiveVersion, Fields(e.Fields)))
            .OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.Version)
            .ToList();

        // The records and enums the events reach, through fields of records too.
        var records = new SortedDictionary<string, LockedRecord>(StringComparer.Ordinal);
        var enums = new SortedDictionary<string, LockedEnum>(StringComparer.Ordinal);
        var pending = new Queue<string>(events.SelectMany(e => e.Fields).SelectMany(f => f.Type.NamesUsed()));
        while (pending.Count > 0)
        {
            var name = pending.Dequeue();
            if (records.ContainsKey(name) || enums.ContainsKey(name)) continue;
            if (declarations.Records.TryGetValue(name, out var record))
            {
                var locked = new LockedRecord(name, Fields(record.Fields));
                records.Add(name, locked);
                foreach (var used in locked.Fields.SelectMany(f => f.Type.NamesUsed())) pending.Enqueue(used);
            }
            else if (declarations.Enums.TryGetValue(name, out var @enum))
            {
                var members = @enum.Members.Where(m => m.Name is { IsMissing: false }).Select(m => m.Name.Text).Distinct(StringComparer.Ordinal).ToList();
                enums.Add(name, new LockedEnum(name, members, @enum.Fallback is { Name.IsMissing: false } fallback ? fallback.Name.Text : null));
            }
        }

        var upcasts = declarations.Upcasts
            .Where(u => declarations.HasEvent(u.Event))
            .Distinct()
            .OrderBy(u => u.Event, StringComparer.Ordinal).ThenBy(u => u.From).ThenBy(u => u.To)
            .ToList();
        return new SchemaLock(file.Namespace is { IsMissing: false } ns ? ns.Text : null, events, records.Values.ToList(), enums.Values.ToList(), upcasts);
    }

    /// <summary>The fields of a declaration that have both a name and a type, first of each name.</summary>
    internal static IReadOnlyList<LockedField> Fields(IReadOnlyList<FieldSyntax>? fields)
    {
        var result = new List<LockedField>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields ?? Array.Empty<FieldSyntax>())
        {
            if (field?.Name is null || field.Name.IsMissing || ToLocked(field.Type) is not { } type) continue;
            if (seen.Add(field.Name.Text)) result.Add(new LockedField(field.Name.Text, type));
        }
        return result;
    }

    /// <summary>The lock's form of a type as written; null when part of it is missing.</summary>
    internal static LockedType? ToLocked(TypeSyntax? type)
    {
        if (type is null) return null;
        switch (type.Kind)
        {
            case TypeSyntaxKind.Named:
                return type.Name is { IsMissing: false } name ? LockedType.Named(name.Text) : null;
            case TypeSyntaxKind.Nullable when type.Arguments.Count == 1 && ToLocked(type.Arguments[0]) is { } element:
                return LockedType.Nullable(element);
            case TypeSyntaxKind.List when type.Arguments.Count == 1 && ToLocked(type.Arguments[0]) is { } element:
                return LockedType.List(element);
            case TypeSyntaxKind.Map when type.Arguments.Count == 2
                && ToLocked(type.Arguments[0]) is { } key && ToLocked(type.Arguments[1]) is { } value:
                return LockedType.Map(key, value);
            default:
                return null;
        }
    }
}

/// <summary>The declarations of a schema that a lock is about, first of each name.</summary>
internal sealed class SchemaDeclarations
{
    private SchemaDeclarations() { }

    /// <summary>Events by name and effective version.</summary>
    public Dictionary<(string Name, int Version), MessageSyntax> Events { get; } = new();

    /// <summary>Records by name.</summary>
    public Dictionary<string, MessageSyntax> Records { get; } = new(StringComparer.Ordinal);

    /// <summary>Enums by name.</summary>
    public Dictionary<string, EnumSyntax> Enums { get; } = new(StringComparer.Ordinal);

    /// <summary>Every complete upcast, as the lock spells it, with its declaration.</summary>
    public List<LockedUpcast> Upcasts { get; } = new();

    /// <summary>True when any version of the event <paramref name="name"/> is declared.</summary>
    public bool HasEvent(string name) => Events.Keys.Any(k => k.Name == name);

    /// <summary>The declarations of <paramref name="file"/>.</summary>
    public static SchemaDeclarations Of(SchemaFile file)
    {
        var result = new SchemaDeclarations();
        foreach (var declaration in file.Declarations)
        {
            if (declaration?.Name is null || declaration.Name.IsMissing) continue;
            var name = declaration.Name.Text;
            switch (declaration)
            {
                case MessageSyntax { Kind: DeclarationKind.Event } @event when !result.Events.ContainsKey((name, @event.EffectiveVersion)):
                    result.Events.Add((name, @event.EffectiveVersion), @event);
                    break;
                case MessageSyntax { Kind: DeclarationKind.Record } record when !result.Records.ContainsKey(name):
                    result.Records.Add(name, record);
                    break;
                case EnumSyntax @enum when !result.Enums.ContainsKey(name):
                    result.Enums.Add(name, @enum);
                    break;
                case UpcastSyntax { From: int from, To: int to }:
                    result.Upcasts.Add(new LockedUpcast(name, from, to));
                    break;
            }
        }
        return result;
    }
}
