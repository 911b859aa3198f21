using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Checking;

/// <summary>
/// A conservative count of what the generated code of a schema puts in one of the compiler's bounded tables, so a
/// schema too large to compile is refused with a schema diagnostic (CC0028) instead of thousands of compiler errors.
/// </summary>
/// <remarks>
/// The user-string heap holds every distinct <c>"…"</c> literal of an assembly (UTF-16, plus a length prefix and a
/// terminal byte) and is limited to 0xFFFFFF bytes (CS8103). The generated JSON converters and dispatch tables
/// write literals naming the type and field (<c>"Shop.Order.lines must not be null."</c>); this mirrors how many per
/// type, field and nested type, with each literal counted at its name plus <see cref="LiteralText"/> characters of
/// wording, so it is an upper bound. It follows the emitters: when they write fewer or shorter literals, lower the
/// counts here (a test compares this figure with the heap of the compiled output and fails when it drifts).
/// </remarks>
internal static class GeneratedCodeSize
{
    /// <summary>The user-string heap's limit: 0xFFFFFF bytes (CS8103).</summary>
    public const long MaxUserStringBytes = 0xFFFFFF;

    /// <summary>The most characters of fixed wording a generated literal adds to the names it quotes.</summary>
    private const int LiteralText = 50;

    /// <summary>The bytes one literal of <paramref name="chars"/> characters takes: UTF-16, a length of up to 4 bytes, a terminal byte.</summary>
    private static long Literal(long chars) => 2 * chars + 5;

    /// <summary>An upper bound of the user-string bytes the generated code of <paramref name="file"/> holds.</summary>
    public static long UserStringBytes(SchemaFile file)
    {
        var ns = GeneratedTypes.NamespaceOf(file);
        long total = 0;
        var latest = new Dictionary<string, int>();
        foreach (var @event in file.Declarations.OfType<MessageSyntax>().Where(m => m.Kind == DeclarationKind.Event))
        {
            latest[@event.Name.Text] = latest.TryGetValue(@event.Name.Text, out var v) && v > @event.EffectiveVersion ? v : @event.EffectiveVersion;
        }
        foreach (var declaration in file.Declarations)
        {
            var name = declaration.Name.Text;
            switch (declaration)
            {
                case MessageSyntax message:
                    var typeName = message.Kind == DeclarationKind.Event && message.EffectiveVersion < latest[name] ? GeneratedNames.EventVersion(name, message.EffectiveVersion) : name;
                    total += RecordShaped(ns + "." + typeName, message.Fields) + Literal(ns.Length + 1 + name.Length); // and its schema name in the message table
                    break;
                case AggregateSyntax aggregate:
                    total += RecordShaped(ns + "." + GeneratedNames.State(name), aggregate.State) + 3 * Literal(name.Length + LiteralText);
                    break;
                case ProcessSyntax process:
                    total += RecordShaped(ns + "." + GeneratedNames.State(name), process.State) + 2 * Literal(name.Length + LiteralText);
                    break;
                case ProjectorSyntax or GatewaySyntax:
                    total += Literal(name.Length);
                    break;
                case EnumSyntax:
                    total += 3 * Literal(ns.Length + 1 + name.Length + LiteralText);
                    break;
            }
        }
        return total;
    }

    /// <summary>A converter's literals: two for the object, one per required field, and those of each field's type.</summary>
    private static long RecordShaped(string display, IReadOnlyList<FieldSyntax> fields)
    {
        long total = 2 * Literal(display.Length + LiteralText);
        foreach (var field in fields)
        {
            var what = display.Length + 1 + field.Name.Text.Length;
            if (field.Type is not { Kind: TypeSyntaxKind.Nullable }) total += Literal(what + LiteralText);
            if (field.Type is not null) total += OfType(field.Type, what, depth: 0);
        }
        return total;
    }

    /// <summary>
    /// The literals reading and writing a value of <paramref name="type"/> quote, each naming the field (<paramref name="what"/>
    /// characters, two more per level of nesting): null and format checks, array and object framing, write-time checks.
    /// </summary>
    private static long OfType(TypeSyntax type, long what, int depth)
    {
        if (depth > 64) return 0;
        var arguments = type.Arguments;
        switch (type.Kind)
        {
            case TypeSyntaxKind.Nullable:
                return arguments.Count > 0 ? OfType(arguments[0], what, depth + 1) : 0;
            case TypeSyntaxKind.List:
                return 3 * Literal(what + LiteralText) + (arguments.Count > 0 ? OfType(arguments[0], what + 2, depth + 1) : 0);
            case TypeSyntaxKind.Map:
                return 4 * Literal(what + LiteralText) + (arguments.Count > 1 ? OfType(arguments[1], what + 2, depth + 1) : 0);
            default:
                var literals = type.Name?.Text switch
                {
                    "string" or "timestamp" or "date" or "duration" => 2,
                    "bool" or "int" or "long" or "decimal" or "guid" => 0,
                    _ => 1, // double, bytes, a record (and an enum, counted as one)
                };
                return literals * Literal(what + LiteralText);
        }
    }
}
