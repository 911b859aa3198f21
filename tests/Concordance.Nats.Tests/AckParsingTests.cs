using System.Text;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>Publish acknowledgements read from the store's own inbox, as nats-server 2.9 writes them.</summary>
public sealed class AckParsingTests
{
    [Fact]
    public void Given_an_acknowledgement_when_parsed_then_stream_sequence_and_duplicate_flag_are_read()
    {
        var ack = NatsStore.ParseAck(Encoding.UTF8.GetBytes("""{"stream":"BANK_EVENTS","seq":18446744073709551615,"duplicate":true,"domain":"hub"}"""));

        Assert.Equal(("BANK_EVENTS", ulong.MaxValue, true, "hub"), (ack.Stream, ack.Seq, ack.Duplicate, ack.Domain));
        Assert.Null(ack.Error);
    }

    [Fact]
    public void Given_a_refusal_when_parsed_then_the_error_and_its_codes_are_read_and_unknown_fields_skipped()
    {
        var ack = NatsStore.ParseAck(Encoding.UTF8.GetBytes(
            """{"extra":{"nested":[1,{"a":2}]},"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 5","more":[]}}"""));

        Assert.NotNull(ack.Error);
        Assert.Equal((400, 10071, "wrong last sequence: 5"), (ack.Error.Code, ack.Error.ErrCode, ack.Error.Description));
        Assert.Equal(0UL, ack.Seq);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{}")]
    [InlineData("{\"stream\":\"S\"}")]
    [InlineData("{\"seq\":4}")]
    public void Given_a_reply_that_says_neither_stored_nor_refused_when_parsed_then_it_is_refused(string json) =>
        Assert.Throws<NATS.Client.JetStream.NatsJSException>(() => NatsStore.ParseAck(Encoding.UTF8.GetBytes(json)));
}
