using System.Text;
using System.Text.Json;
using Samples.AllTypes;
using Xunit;

namespace Concordance.Generators.Tests.RoundTrip;

/// <summary>
/// The JSON the generated converters write and read, pinned byte for byte to what the converters wrote before their
/// reading and writing moved into the runtime's <c>Concordance.Serialization</c> (captured from that build), so stored
/// data keeps reading; and the read errors, which name the type and the field as before.
/// </summary>
public sealed class WireFormatTests
{
    // Written by the generated EverythingJsonConverter of the previous build (one converter body per type).
    private const string SparseJson = """
{"text":"text","flag":true,"count":1,"big":2,"money":3.5,"ratio":0.25,"id":"00000000-0000-0000-0000-000000000000","at":"1970-01-01T00:00:00.0000000\u002B00:00","day":"2026-12-04","span":"01:00:00","blob":"AQI=","maybeText":null,"maybeCount":null,"maybeBlob":null,"maybeAt":null,"numbers":[1],"names":["a",null],"prices":{"k":1},"address":{"street":"1 Main St","city":"Springfield","tags":["home"]},"maybeAddress":null,"addresses":[{"street":"1 Main St","city":"Springfield","tags":["home"]}],"priority":"High","maybePriority":null,"grid":[[1]],"index":{"k":[{"street":"1 Main St","city":"Springfield","tags":["home"]}]},"blobs":["Aw=="],"maybeNumbers":null}
""";

    private const string FullJson = """
{"text":"\u0022quoted\u0022 \u003Ctag\u003E \u0026 \u00E9 \uD83D\uDE00 \n\t","flag":false,"count":-2147483648,"big":9223372036854775807,"money":-79228162514264337593543950335,"ratio":-1.5E-300,"id":"0f8fad5b-d9cb-469f-a165-70867728950e","at":"2026-12-04T19:30:15.1234567-05:00","day":"0001-01-01","span":"-3.06:00:00.0000007","blob":"","maybeText":"maybe","maybeCount":0,"maybeBlob":"AP8=","maybeAt":"9999-12-31T23:59:59.9999999\u002B00:00","numbers":[],"names":[null,"b","\u00FC"],"prices":{"a b":0.10,"\u0022k\u0022":-1},"address":{"street":"1 Main St","city":"Springfield","tags":["home"]},"maybeAddress":{"street":"1 Main St","city":"Springfield","tags":[]},"addresses":[],"priority":"Low","maybePriority":"Normal","grid":[[],[1,2,3]],"index":{},"blobs":["","CQ=="],"maybeNumbers":[7]}
""";

    private static readonly Address Home = new("1 Main St", "Springfield", ["home"]);

    private static Everything Sparse() => new(
        "text", true, 1, 2L, 3.5m, 0.25, Guid.Empty, DateTimeOffset.UnixEpoch, new DateOnly(2026, 12, 4), TimeSpan.FromHours(1), [1, 2],
        null, null, null, null, [1], ["a", null], new Dictionary<string, decimal> { ["k"] = 1m }, Home, null, [Home],
        Priority.High, null, [[1]], new Dictionary<string, IReadOnlyList<Address>> { ["k"] = [Home] }, [[3]], null);

    private static Everything Full() => new(
        "\"quoted\" <tag> & é 😀 \n\t", false, -2147483648, long.MaxValue, -79228162514264337593543950335m, -1.5e-300, Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        new DateTimeOffset(2026, 12, 4, 19, 30, 15, 123, TimeSpan.FromHours(-5)).AddTicks(4567), DateOnly.MinValue, TimeSpan.FromDays(-3.25) - TimeSpan.FromTicks(7), [],
        "maybe", 0, [0, 255], DateTimeOffset.MaxValue, [], [null, "b", "ü"], new Dictionary<string, decimal> { ["a b"] = 0.10m, ["\"k\""] = -1m }, Home, Home with { Tags = [] }, [],
        Priority.Low, Priority.Normal, [[], [1, 2, 3]], new Dictionary<string, IReadOnlyList<Address>>(), [[], [9]], [7]);

    public static TheoryData<string> Names() => ["sparse", "full"];

    [Theory]
    [MemberData(nameof(Names))]
    public void Given_a_value_when_written_then_the_bytes_are_those_the_previous_converters_wrote(string name)
    {
        var (value, json) = Case(name);

        Assert.Equal(json, Write(value));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Given_JSON_the_previous_converters_wrote_when_read_then_the_value_is_equal(string name)
    {
        var (value, json) = Case(name);

        Assert.Equal(value, Read(json));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Given_a_generated_record_when_serialized_through_JsonSerializer_then_its_JsonConverter_attribute_gives_the_same_bytes_both_ways(string name)
    {
        var (value, json) = Case(name);

        Assert.Equal(json, JsonSerializer.Serialize(value));
        Assert.Equal(value, JsonSerializer.Deserialize<Everything>(json));
    }

    [Theory]
    [InlineData("""[]""", "Expected a JSON object for Samples.AllTypes.Everything.")]
    [InlineData("""{"text":"t"}""", "Samples.AllTypes.Everything: the required property 'flag' is missing.")]
    [InlineData("""{"text":null}""", "Samples.AllTypes.Everything.text must not be null.")]
    [InlineData("""{"numbers":{}}""", "Expected a JSON array for Samples.AllTypes.Everything.numbers.")]
    [InlineData("""{"prices":[]}""", "Expected a JSON object for Samples.AllTypes.Everything.prices.")]
    [InlineData("""{"names":[null,"a",1]}""", null)]
    [InlineData("""{"grid":[[1],{}]}""", "Expected a JSON array for Samples.AllTypes.Everything.grid[].")]
    [InlineData("""{"index":{"k":{}}}""", "Expected a JSON array for Samples.AllTypes.Everything.index{}.")]
    [InlineData("""{"addresses":[1]}""", "Expected a JSON object for Samples.AllTypes.Address.")]
    [InlineData("""{"address":{"street":"s","tags":[]}}""", "Samples.AllTypes.Address: the required property 'city' is missing.")]
    [InlineData("""{"priority":1}""", "Expected a string for Samples.AllTypes.Priority.")]
    [InlineData("""{"maybeAt":"later"}""", "Samples.AllTypes.Everything.maybeAt is not a timestamp (ISO 8601, round-trip format).")]
    public void Given_JSON_the_reader_cannot_read_when_read_then_the_error_names_the_type_and_the_field(string json, string? expected)
    {
        var error = Record.Exception(() => Read(json));

        if (expected is null)
        {
            // A number where text is expected: the reader's own error, as before.
            Assert.IsType<InvalidOperationException>(error);
        }
        else
        {
            Assert.Equal(expected, Assert.IsType<JsonException>(error).Message);
        }
    }

    [Fact]
    public void Given_an_enum_value_no_member_declares_when_written_then_the_writer_refuses_it_naming_the_enum()
    {
        var error = Assert.Throws<JsonException>(() => Write(Sparse() with { Priority = (Priority)7 }));

        Assert.Equal("Undefined Samples.AllTypes.Priority value 7.", error.Message);
    }

    [Fact]
    public void Given_properties_in_another_order_and_unknown_ones_when_read_then_the_value_is_the_same()
    {
        var reordered = "{\"unknown\":{\"a\":[1,{}]}," + SparseJson[(SparseJson.IndexOf(",\"maybeNumbers\"", StringComparison.Ordinal) + 1)..^1] + "," + SparseJson[1..SparseJson.IndexOf(",\"maybeNumbers\"", StringComparison.Ordinal)] + "}";

        Assert.Equal(Sparse(), Read(reordered));
    }

    private static (Everything Value, string Json) Case(string name) => name == "sparse" ? (Sparse(), SparseJson) : (Full(), FullJson);

    private static string Write(Everything value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) EverythingJsonConverter.WriteValue(writer, value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Everything Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return EverythingJsonConverter.ReadValue(ref reader);
    }
}
