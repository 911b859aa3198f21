using System.Reflection;
using System.Text;
using System.Text.Json;
using CsCheck;
using Xunit;

namespace Concordance.Generators.Tests.RoundTrip;

/// <summary>
/// Every message type the generator emits for the test schemas (the bank sample's among them) reads back equal to
/// what was written, for random and edge values, through the runtime's own serializer: write, read, compare, and
/// write again to the same bytes.
/// </summary>
public sealed class RoundTripPropertyTests
{
    /// <summary>Every <c>{Schema}Schema.MessageTypes</c> the generator emitted into this assembly.</summary>
    private static readonly MessageType[] All = typeof(RoundTripPropertyTests).Assembly.GetTypes()
        .Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Schema", StringComparison.Ordinal))
        .Select(t => t.GetProperty("MessageTypes", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
        .OfType<IReadOnlyList<MessageType>>()
        .SelectMany(types => types)
        .ToArray();

    public static TheoryData<string> MessageTypeNames()
    {
        var names = new TheoryData<string>();
        foreach (var type in All) names.Add(type.ToString());
        return names;
    }

    [Fact]
    public void Given_the_test_schemas_then_their_message_types_are_all_found()
    {
        // Bank (the sample's schema) alone declares 16 commands and events; AllTypes has the every-field-type record.
        Assert.Contains(All, t => t.Name == "Bank.WireTransferInitiated");
        Assert.Contains(All, t => t.Name == "Samples.AllTypes.Everything");
        Assert.Contains(All, t => t.Name == "Samples.Versions.Registered" && t.Version == 1);
        Assert.True(All.Length >= 40, $"only {All.Length} message types found");
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void Given_random_and_edge_values_of_a_message_type_when_written_and_read_back_then_they_are_equal(string name)
    {
        var type = All.Single(t => t.ToString() == name);
        var serializer = Serializer();

        MessageValues.For(type.ClrType).Sample(value =>
        {
            var message = (IMessage)value;
            var (_, data) = serializer.Serialize(message);
            var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = MessageLimits.MaxDepth });
            reader.Read();
            var read = type.Read(ref reader);

            Assert.Equal(message, read);
            Assert.Equal(Encoding.UTF8.GetString(data), Encoding.UTF8.GetString(serializer.Serialize(read).Data));
        }, iter: 300, threads: 1, print: v => v.ToString() ?? "");
    }

    private static MessageSerializer Serializer()
    {
        var catalog = new ComponentCatalog();
        foreach (var type in All) catalog.Add(type);
        return new MessageSerializer(catalog);
    }
}
