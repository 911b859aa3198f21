using System.Text;
using System.Text.Json;
using Samples.AllTypes;
using Samples.Enums;
using Xunit;

namespace Concordance.Generators.Tests.RoundTrip;

/// <summary>
/// What the generated writer refuses (each value the generated reader could not read back), naming the type and the
/// field; and how the generated reader treats values it does not know: an enum's fallback member, or a JsonException
/// naming the field.
/// </summary>
public sealed class WriteTimeRefusalTests
{
    private static readonly Address Home = new("1 Main St", "Springfield", ["home"]);

    private static Everything Valid() => new(
        "text", true, 1, 2L, 3.5m, 0.25, Guid.Empty, DateTimeOffset.UnixEpoch, new DateOnly(2026, 12, 4), TimeSpan.FromHours(1), [1, 2],
        null, null, null, null, [1], ["a", null], new Dictionary<string, decimal> { ["k"] = 1m }, Home, null, [Home],
        Priority.High, null, [[1]], new Dictionary<string, IReadOnlyList<Address>> { ["k"] = [Home] }, [[3]], null);

    private static string Write(Everything value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) EverythingJsonConverter.WriteValue(writer, value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static TheoryData<string, string> Refused() => new()
    {
        { "text null", "Samples.AllTypes.Everything.text must not be null" },
        { "blob null", "Samples.AllTypes.Everything.blob must not be null" },
        { "numbers null", "Samples.AllTypes.Everything.numbers must not be null" },
        { "prices null", "Samples.AllTypes.Everything.prices must not be null" },
        { "address null", "Samples.AllTypes.Everything.address must not be null" },
        { "address city null", "Samples.AllTypes.Address.city must not be null" },
        { "addresses item null", "Samples.AllTypes.Everything.addresses[] must not be null" },
        { "ratio NaN", "Samples.AllTypes.Everything.ratio is NaN" },
        { "ratio infinite", "Samples.AllTypes.Everything.ratio is Infinity" },
        { "text lone surrogate", "Samples.AllTypes.Everything.text holds a lone surrogate (U+DC00 at index 1)" },
        { "names item lone surrogate", "Samples.AllTypes.Everything.names[] holds a lone surrogate (U+D800 at index 0)" },
        { "prices key lone surrogate", "Samples.AllTypes.Everything.prices{} key holds a lone surrogate (U+D83D at index 2)" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Given_a_value_the_reader_would_refuse_when_written_then_the_writer_refuses_it_naming_type_and_field(string change, string expected)
    {
        var value = change switch
        {
            "text null" => Valid() with { Text = null! },
            "blob null" => Valid() with { Blob = null! },
            "numbers null" => Valid() with { Numbers = null! },
            "prices null" => Valid() with { Prices = null! },
            "address null" => Valid() with { Address = null! },
            "address city null" => Valid() with { Address = Home with { City = null! } },
            "addresses item null" => Valid() with { Addresses = [Home, null!] },
            "ratio NaN" => Valid() with { Ratio = double.NaN },
            "ratio infinite" => Valid() with { Ratio = double.PositiveInfinity },
            "text lone surrogate" => Valid() with { Text = "a" + '\uDC00' },
            "names item lone surrogate" => Valid() with { Names = ["ok", '\uD800' + "b"] },
            "prices key lone surrogate" => Valid() with { Prices = new Dictionary<string, decimal> { ["ab" + '\uD83D'] = 1m } },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        var refused = Assert.Throws<InvalidMessageException>(() => Write(value));

        Assert.StartsWith(expected, refused.Message);
        Assert.EndsWith("nothing was stored.", refused.Message);
    }

    [Fact]
    public void Given_valid_values_with_surrogate_pairs_when_written_then_they_are_kept()
    {
        var json = Write(Valid() with { Text = "😀", Names = ["日本", null] });

        Assert.Contains("\"text\":\"\\uD83D\\uDE00\"", json);
    }

    [Fact]
    public void Given_an_enum_value_this_build_does_not_know_when_its_enum_has_a_fallback_then_it_reads_as_the_fallback()
    {
        var reader = new Utf8JsonReader("""{"color":"Red","shade":null,"finish":"Glossy"}"""u8);
        reader.Read();

        var paint = PaintJsonConverter.ReadValue(ref reader);

        Assert.Equal(Shade.Unknown, paint.Finish);
    }

    [Fact]
    public void Given_an_enum_value_this_build_does_not_know_when_its_enum_has_no_fallback_then_reading_fails_with_a_JsonException()
    {
        var error = Assert.Throws<JsonException>(() =>
        {
            var reader = new Utf8JsonReader("""{"color":"Purple","shade":null,"finish":"Dark"}"""u8);
            reader.Read();
            PaintJsonConverter.ReadValue(ref reader);
        });

        Assert.Equal("Unknown Samples.Enums.Color value 'Purple' (the enum declares no fallback member).", error.Message);
    }

    [Theory]
    [InlineData("day", "2026-13-01", "Samples.AllTypes.Everything.day is not a date (yyyy-MM-dd).")]
    [InlineData("span", "one hour", "Samples.AllTypes.Everything.span is not a duration ([-][d.]hh:mm:ss[.fffffff]).")]
    [InlineData("at", "yesterday", "Samples.AllTypes.Everything.at is not a timestamp (ISO 8601, round-trip format).")]
    public void Given_a_stored_text_that_does_not_parse_as_its_field_type_when_read_then_a_JsonException_names_the_field(string field, string text, string expected)
    {
        var json = Write(Valid()).Replace(field switch
        {
            "day" => "\"day\":\"2026-12-04\"",
            "span" => "\"span\":\"01:00:00\"",
            _ => "\"at\":\"1970-01-01T00:00:00.0000000\\u002B00:00\"",
        }, $"\"{field}\":\"{text}\"");
        Assert.Contains(text, json);

        var error = Assert.Throws<JsonException>(() =>
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            EverythingJsonConverter.ReadValue(ref reader);
        });

        Assert.Equal(expected, error.Message);
    }
}
