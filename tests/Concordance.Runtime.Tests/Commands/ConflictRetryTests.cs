using Concordance.Storage;
using Concordance.Storage.InMemory;
using Xunit;

namespace Concordance.Runtime.Tests.Commands;

public sealed class ConflictRetryTests
{
    private static readonly StreamId Alice = new(AccountAggregate.AggregateName, "alice");

    [Theory]
    [InlineData(1, 0.5, 1)]
    [InlineData(2, 0.5, 2)]
    [InlineData(4, 0.999, 15.984)]
    [InlineData(8, 0.5, 50)]
    [InlineData(100, 1.0, 100)]
    [InlineData(3, 0.0, 0)]
    public void Given_the_default_delays_then_the_wait_before_retry_n_is_the_random_share_of_2ms_doubled_n_minus_1_times_capped_at_100ms(int retry, double random, double expectedMs) =>
        Assert.Equal(expectedMs, ConflictBackoff.Before(retry, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(100), random).TotalMilliseconds, 3);

    [Fact]
    public async Task Given_another_writer_appended_after_the_cached_state_when_the_append_conflicts_then_the_retry_reads_only_the_events_after_that_state()
    {
        var observed = new ObservedStore(new InMemoryStore());
        await using var bus = Buses.Create(observed);
        await bus.SendAsync(new Open("alice", 0m));
        await bus.SendAsync(new Deposit("alice", 10m));
        await using (var other = Buses.Create(observed)) await other.SendAsync(new Deposit("alice", 5m));
        observed.StreamReads.Clear();

        var result = await bus.SendAsync(new Withdraw("alice", 15m));

        Assert.True(result.IsAccepted);
        Assert.Equal(4, result.Version);
        Assert.Equal([(Alice, 3L)], observed.StreamReads);
    }
}
