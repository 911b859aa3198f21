using System.Collections.Concurrent;
using Xunit;

namespace Concordance.Runtime.Tests.Commands;

/// <summary>The ids the bus makes: UUIDv7 text, as <c>Guid.CreateVersion7(now).ToString("N")</c> writes it, and unique.</summary>
public sealed class CommandIdsTests
{
    [Fact]
    public void Given_a_time_when_an_id_is_made_then_it_is_a_version_7_uuid_of_that_millisecond_in_32_lower_case_hex_digits()
    {
        var now = new DateTimeOffset(2026, 11, 27, 15, 4, 39, 123, TimeSpan.Zero);

        var id = CommandIds.NewVersion7(now);
        var reference = Guid.CreateVersion7(now).ToString("N");

        Assert.Matches("^[0-9a-f]{32}$", id);
        var guid = Guid.ParseExact(id, "N");
        Assert.Equal(7, guid.Version);
        // The RFC variant: the top two bits of the variant nibble are 10 (the other two are random).
        Assert.Equal(0b10, guid.Variant >> 2);
        Assert.Equal(0b10, Guid.ParseExact(reference, "N").Variant >> 2);
        // The first 48 bits are the Unix milliseconds, as in the reference.
        Assert.Equal(reference[..12], id[..12]);
        Assert.Equal(now.ToUnixTimeMilliseconds(), Convert.ToInt64(id[..12], 16));
    }

    [Fact]
    public void Given_many_threads_making_ids_in_the_same_millisecond_then_none_repeats()
    {
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        var ids = new ConcurrentBag<string>();

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 5_000; i++) ids.Add(CommandIds.NewVersion7(now));
        });

        Assert.Equal(40_000, ids.Distinct().Count());
        // Beyond one buffer's worth per thread (256 ids): the refills give fresh randomness, not the same bytes again.
        Assert.Equal(40_000, ids.Select(id => id[12..]).Distinct().Count());
    }
}
