using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Concordance.Testing;

/// <summary>
/// How scenarios show and compare values: messages as their type name and JSON (generated types carry their
/// generated converter, so collections show their content), and JSON trees compared by meaning (numbers by
/// value, object properties in any order) to explain a difference property by property.
/// </summary>
internal static class ScenarioText
{
    private const int MaxDifferences = 12;

    /// <summary>Reflection-based options for values the test kit did not get converters for (test code is rarely trimmed).</summary>
    public static JsonSerializerOptions Options { get; } = WithReflection(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// A read-only copy of <paramref name="options"/> that falls back to reflection for types without type information,
    /// only where reflection-based JSON is enabled; in a trimmed or NativeAOT build the copy keeps the given resolver.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only where JsonSerializer.IsReflectionEnabledByDefault is true; trimmed and AOT builds set that feature switch to false and remove the branch.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only where JsonSerializer.IsReflectionEnabledByDefault is true; trimmed and AOT builds set that feature switch to false and remove the branch.")]
    public static JsonSerializerOptions WithReflection(JsonSerializerOptions options)
    {
        var copy = new JsonSerializerOptions(options);
        if (JsonSerializer.IsReflectionEnabledByDefault) copy.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
        else copy.TypeInfoResolver ??= JsonTypeInfoResolver.Combine();
        copy.MakeReadOnly();
        return copy;
    }

    /// <summary>The value as JSON, or null when it cannot be written (the caller falls back to <see cref="object.ToString"/>).</summary>
    public static string? TryJson(object? value, JsonSerializerOptions? options = null)
    {
        if (value is null) return "null";
        try
        {
            return JsonSerializer.Serialize(value, (options ?? Options).GetTypeInfo(value.GetType()));
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>One line for a message or state: <c>TypeName {json}</c>.</summary>
    public static string Describe(object? value)
    {
        if (value is null) return "(none)";
        var json = TryJson(value);
        return json is null ? value.ToString() ?? value.GetType().Name : $"{value.GetType().Name} {json}";
    }

    /// <summary>A numbered list, one item a line, or <c>(none)</c>.</summary>
    public static string List(IEnumerable<object> items)
    {
        var builder = new StringBuilder();
        var i = 0;
        foreach (var item in items)
            builder.Append(CultureInfo.InvariantCulture, $"\n  [{i++}] {Describe(item)}");
        return i == 0 ? " (none)" : builder.ToString();
    }

    /// <summary>
    /// Compares two sequences item by item with <see cref="object.Equals(object?, object?)"/>; returns null when they
    /// match, otherwise an explanation of the first difference.
    /// </summary>
    public static string? FirstDifference<T>(IReadOnlyList<T> expected, IReadOnlyList<T> actual)
        where T : class
    {
        var common = Math.Min(expected.Count, actual.Count);
        for (var i = 0; i < common; i++)
        {
            if (Equals(expected[i], actual[i])) continue;
            return $"First difference at [{i}]: {Difference(expected[i], actual[i])}";
        }
        if (expected.Count == actual.Count) return null;
        return expected.Count > actual.Count
            ? $"Missing from [{common}]: {expected.Count - common} expected item(s) did not happen."
            : $"Unexpected from [{common}]: {actual.Count - common} item(s) more than expected.";
    }

    /// <summary>Why <paramref name="expected"/> and <paramref name="actual"/> differ, in words.</summary>
    public static string Difference(object? expected, object? actual)
    {
        if (expected is null || actual is null) return $"expected {Describe(expected)}, got {Describe(actual)}";
        if (expected.GetType() != actual.GetType())
            return $"expected a {expected.GetType().Name}, got a {actual.GetType().Name}";
        var differences = JsonDifferences(TryJson(expected), TryJson(actual));
        if (differences is null) return "they differ (not comparable as JSON)";
        if (differences.Count == 0)
            return "they are equal as JSON but not by Equals (does the type compare a collection field by reference?)";
        return string.Join("; ", differences);
    }

    /// <summary>
    /// The differences between two JSON texts by meaning: numbers by value, objects by property (any order), arrays
    /// in order. Null when either is not JSON.
    /// </summary>
    public static List<string>? JsonDifferences(string? expected, string? actual)
    {
        if (expected is null || actual is null) return null;
        try
        {
            using var e = JsonDocument.Parse(expected);
            using var a = JsonDocument.Parse(actual);
            var differences = new List<string>();
            Compare(e.RootElement, a.RootElement, "$", differences);
            return differences;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Compare(JsonElement expected, JsonElement actual, string path, List<string> differences)
    {
        if (differences.Count >= MaxDifferences) return;
        if (expected.ValueKind != actual.ValueKind &&
            !(IsBoolean(expected.ValueKind) && IsBoolean(actual.ValueKind)))
        {
            differences.Add($"{path}: expected {Raw(expected)}, got {Raw(actual)}");
            return;
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in expected.EnumerateObject())
                {
                    seen.Add(property.Name);
                    if (actual.TryGetProperty(property.Name, out var other)) Compare(property.Value, other, $"{path}.{property.Name}", differences);
                    else differences.Add($"{path}.{property.Name}: expected {Raw(property.Value)}, missing");
                }
                foreach (var property in actual.EnumerateObject())
                {
                    if (!seen.Contains(property.Name)) differences.Add($"{path}.{property.Name}: not expected, got {Raw(property.Value)}");
                }
                break;
            case JsonValueKind.Array:
                var expectedItems = expected.EnumerateArray().ToArray();
                var actualItems = actual.EnumerateArray().ToArray();
                for (var i = 0; i < Math.Min(expectedItems.Length, actualItems.Length); i++)
                    Compare(expectedItems[i], actualItems[i], $"{path}[{i}]", differences);
                if (expectedItems.Length != actualItems.Length)
                    differences.Add($"{path}: expected {expectedItems.Length} item(s), got {actualItems.Length}");
                break;
            case JsonValueKind.Number:
                if (expected.TryGetDecimal(out var x) && actual.TryGetDecimal(out var y) ? x != y : expected.GetDouble() != actual.GetDouble())
                    differences.Add($"{path}: expected {Raw(expected)}, got {Raw(actual)}");
                break;
            case JsonValueKind.String:
                if (!string.Equals(expected.GetString(), actual.GetString(), StringComparison.Ordinal))
                    differences.Add($"{path}: expected {Raw(expected)}, got {Raw(actual)}");
                break;
            case JsonValueKind.True or JsonValueKind.False:
                if (expected.ValueKind != actual.ValueKind) differences.Add($"{path}: expected {Raw(expected)}, got {Raw(actual)}");
                break;
        }
    }

    private static bool IsBoolean(JsonValueKind kind) => kind is JsonValueKind.True or JsonValueKind.False;

    private static string Raw(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
