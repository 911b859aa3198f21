using Xunit;

namespace Concordance.Runtime.Tests.Messages;

/// <summary>The text check finds a lone surrogate wherever it stands (the word-at-a-time scan and its tail), and passes pairs.</summary>
public sealed class MessageChecksTests
{
    [Fact]
    public void Given_a_lone_surrogate_at_every_position_of_texts_up_to_20_chars_when_checked_then_it_is_refused_at_that_index()
    {
        foreach (var lone in new[] { '\uD800', '\uDBFF', '\uDC00', '\uDFFF' })
        {
            for (var length = 1; length <= 20; length++)
            {
                for (var at = 0; at < length; at++)
                {
                    var text = new string('a', at) + lone + new string('b', length - at - 1);

                    var refused = Assert.Throws<InvalidMessageException>(() => MessageChecks.Text(text, "T.f"));

                    Assert.Equal("T.f", refused.Path);
                    Assert.Contains($"U+{(int)lone:X4} at index {at}", refused.Message);
                }
            }
        }
    }

    [Fact]
    public void Given_valid_pairs_and_neighbours_of_the_surrogate_range_at_every_position_when_checked_then_the_text_passes()
    {
        for (var length = 2; length <= 20; length++)
        {
            for (var at = 0; at + 2 <= length; at++)
            {
                var text = new string('\uD7FF', at) + "\uD83D\uDE00" + new string('\uE000', length - at - 2);

                Assert.Same(text, MessageChecks.Text(text, "T.f"));
            }
        }
        Assert.Equal("", MessageChecks.Text("", "T.f"));
    }

    [Fact]
    public void Given_a_pair_in_the_wrong_order_when_checked_then_the_low_surrogate_is_refused_first()
    {
        var refused = Assert.Throws<InvalidMessageException>(() => MessageChecks.Text("ab\uDE00\uD83D", "T.f"));

        Assert.Contains("U+DE00 at index 2", refused.Message);
    }

    [Fact]
    public void Given_ids_with_line_breaks_when_checked_as_header_ids_then_they_are_refused_but_keys_may_hold_them()
    {
        Assert.Throws<InvalidMessageException>(() => MessageChecks.HeaderId("a\rb", "the command id"));
        Assert.Throws<InvalidMessageException>(() => MessageChecks.HeaderId("a\n", "the command id"));
        Assert.Equal("a\nb", MessageChecks.Identity("a\nb", "a key"));
    }
}
