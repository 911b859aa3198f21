using System.Text;
using Concordance.Storage;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>The event message's wire format: what the store writes is what earlier versions wrote and what it reads back.</summary>
public sealed class EventMessageTests
{
    private static readonly StreamId Stream = new("Tests.Account", "a-1");

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Messages.Length)];

    private static readonly EventMessage[] Messages =
    [
        new EventMessage(1, "cmd-1", null, [Event("cmd-1-0", "Tests.Opened", "{\"min\":0}")]),
        new EventMessage(7, "c", "insufficient funds: ünïcödé €", []),
        new EventMessage(300, null, null,
        [
            Event("e-1", "Tests.Deposited", "{}", correlation: "corr-ü", causation: "cause"),
            Event("e-2", "Tests.Withdrawn", new string('x', 200), schemaVersion: 130),
            Event("e-3", "Tests.Deposited", "", time: DateTimeOffset.MaxValue),
        ]),
        new EventMessage(long.MaxValue / 3, new string('c', 129), null, [Event("ümlaut-id", "Tests.Ä", "{\"a\":\"€\"}")]),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_a_message_when_encoded_then_the_bytes_are_those_of_the_binary_writer_layout(int index) =>
        Assert.Equal(ReferenceEncode(Messages[index]), Messages[index].Encode());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_a_message_when_encoded_and_decoded_then_every_field_comes_back(int index)
    {
        var message = Messages[index];
        var decoded = EventMessage.Decode(message.Encode(), Stream, 5);

        Assert.Equal((message.VersionAfter, message.CommandId, message.RejectionReason), (decoded.VersionAfter, decoded.CommandId, decoded.RejectionReason));
        Assert.Equal(message.Events.Count, decoded.Events.Count);
        for (var i = 0; i < message.Events.Count; i++)
        {
            var (expected, actual) = (message.Events[i], decoded.Events[i]);
            Assert.Equal((expected.Id, expected.Type, expected.SchemaVersion, expected.Time.UtcTicks, expected.Source, expected.CorrelationId, expected.CausationId),
                (actual.Id, actual.Type, actual.SchemaVersion, actual.Time.UtcTicks, actual.Source, actual.CorrelationId, actual.CausationId));
            Assert.Equal(expected.Data.ToArray(), actual.Data.ToArray());
        }
    }

    private static NewEvent Event(string id, string type, string json, int schemaVersion = 1, string? correlation = null, string? causation = null, DateTimeOffset? time = null) =>
        new(id, type, schemaVersion, Encoding.UTF8.GetBytes(json), time ?? new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero), "/tests/bank", correlation, causation);

    /// <summary>The format as first written, with <see cref="BinaryWriter"/>: messages already stored must stay readable.</summary>
    private static byte[] ReferenceEncode(EventMessage message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)1);
            writer.Write7BitEncodedInt64(message.VersionAfter);
            Optional(writer, message.CommandId);
            Optional(writer, message.RejectionReason);
            writer.Write7BitEncodedInt(message.Events.Count);
            foreach (var e in message.Events)
            {
                writer.Write(e.Id);
                writer.Write(e.Type);
                writer.Write7BitEncodedInt(e.SchemaVersion);
                writer.Write(e.Time.UtcTicks);
                writer.Write(e.Source);
                Optional(writer, e.CorrelationId);
                Optional(writer, e.CausationId);
                writer.Write7BitEncodedInt(e.Data.Length);
                writer.Write(e.Data.Span);
            }
        }
        return buffer.ToArray();

        static void Optional(BinaryWriter writer, string? value)
        {
            writer.Write(value is not null);
            if (value is not null) writer.Write(value);
        }
    }
}
