using System.Collections;
using System.Reflection;
using CsCheck;

namespace Concordance.Generators.Tests.RoundTrip;

/// <summary>
/// CsCheck generators of values for every generated message type, built from the record's constructor: random values
/// mixed with edge values (decimal and integer extremes, empty and long text, astral characters, empty and larger
/// collections, null in every nullable field, the earliest and latest dates and times). Text is always valid UTF-16:
/// lone surrogates are refused at write time (tested on their own).
/// </summary>
internal static class MessageValues
{
    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>Values of <paramref name="type"/> (a generated record), nested records at most <paramref name="depth"/> deep.</summary>
    public static Gen<object> For(Type type, int depth = 4) => Record(type, depth);

    private static Gen<object> Record(Type type, int depth)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var parameters = constructor.GetParameters();
        var fields = Gen.Const(Array.Empty<object?>());
        foreach (var parameter in parameters)
        {
            var field = Field(parameter.ParameterType, Nullability.Create(parameter), depth);
            fields = fields.SelectMany(values => field.Select(value => values.Append(value).ToArray()));
        }
        return fields.Select(values => constructor.Invoke(values));
    }

    private static Gen<object?> Field(Type type, NullabilityInfo nullability, int depth)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return Gen.Frequency((1, Gen.Const((object?)null)), (3, Field(underlying, nullability, depth)));
        if (!type.IsValueType && nullability.ReadState == NullabilityState.Nullable)
            return depth <= 0 ? Gen.Const((object?)null) : Gen.Frequency((1, Gen.Const((object?)null)), (3, Value(type, nullability, depth)));
        return Value(type, nullability, depth);
    }

    private static Gen<object?> Value(Type type, NullabilityInfo nullability, int depth)
    {
        if (type == typeof(string)) return Text.Select(v => (object?)v);
        if (type == typeof(bool)) return Gen.Bool.Select(v => (object?)v);
        if (type == typeof(int)) return Gen.Frequency((4, Gen.Int), (1, Gen.OneOf(int.MinValue, int.MaxValue, 0, -1))).Select(v => (object?)v);
        if (type == typeof(long)) return Gen.Frequency((4, Gen.Long), (1, Gen.OneOf(long.MinValue, long.MaxValue, 0L))).Select(v => (object?)v);
        if (type == typeof(decimal))
            return Gen.Frequency((4, Gen.Decimal), (1, Gen.OneOf(decimal.MinValue, decimal.MaxValue, 0m, 1.10m, -0.0000000000000000000000000001m, 79228162514264.337593543950335m))).Select(v => (object?)v);
        if (type == typeof(double))
            return Gen.Frequency((4, Gen.Double.Where(double.IsFinite)), (1, Gen.OneOf(double.MaxValue, double.MinValue, double.Epsilon, -0.0, 0.1))).Select(v => (object?)v);
        if (type == typeof(Guid)) return Gen.Guid.Select(v => (object?)v);
        if (type == typeof(DateTimeOffset))
            return Gen.Frequency(
                (4, Gen.Long[DateTimeOffset.MinValue.Ticks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.Ticks - TimeSpan.TicksPerDay]
                    .Select(Gen.Int[-14 * 60, 14 * 60], (ticks, minutes) => new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes)))),
                (1, Gen.OneOf(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch)))
                .Select(v => (object?)v);
        if (type == typeof(DateOnly))
            return Gen.Int[DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber].Select(d => (object?)DateOnly.FromDayNumber(d));
        if (type == typeof(TimeSpan))
            return Gen.Frequency((4, Gen.Long.Select(t => new TimeSpan(t))), (1, Gen.OneOf(TimeSpan.MinValue, TimeSpan.MaxValue, TimeSpan.Zero))).Select(v => (object?)v);
        if (type == typeof(byte[])) return Gen.Byte.Array[0, 40].Select(v => (object?)v);
        if (type.IsEnum)
        {
            var members = Enum.GetValues(type).Cast<object>().ToArray();
            return Gen.Int[0, members.Length - 1].Select(i => (object?)members[i]);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = type.GetGenericArguments()[0];
            var item = Field(element, nullability.GenericTypeArguments[0], depth - 1);
            return Gen.Frequency((5, item.Array[0, 4]), (1, item.Array[20, 40])).Select(items =>
            {
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
                foreach (var value in items) list.Add(value);
                return (object?)list;
            });
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            var element = type.GetGenericArguments()[1];
            var entry = Text.Select(Field(element, nullability.GenericTypeArguments[1], depth - 1), (key, value) => (key, value));
            return entry.Array[0, 4].Select(entries =>
            {
                var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), element), StringComparer.Ordinal)!;
                foreach (var (key, value) in entries) map[key] = value;
                return (object?)map;
            });
        }
        return Record(type, depth - 1).Select(v => (object?)v);
    }

    /// <summary>Valid UTF-16 text: ASCII, any scalar value outside the surrogate range (astral ones as pairs), and edge strings.</summary>
    private static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.Char['\u0020', '\u007e'].Array[0, 12].Select(chars => new string(chars))),
        (3, Gen.Int[0, 0x10FFFF].Where(c => c is < 0xD800 or > 0xDFFF).Array[0, 8].Select(points => string.Concat(points.Select(char.ConvertFromUtf32)))),
        (1, Gen.OneOf("", "\0", "\"\\/\b\f\n\r\t", "\uFFFD", "\uFEFF", "😀", "日本語", new string('x', 5_000))));
}
