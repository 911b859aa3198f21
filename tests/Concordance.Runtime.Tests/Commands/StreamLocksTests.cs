using Concordance.Storage;
using Xunit;

namespace Concordance.Runtime.Tests.Commands;

/// <summary>The per-stream gate of the command bus: one command per stream at a time, in arrival order.</summary>
public sealed class StreamLocksTests
{
    private static readonly StreamId A = new("Tests.Account", "a"), B = new("Tests.Account", "b");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Given_a_held_stream_when_another_command_takes_it_then_it_waits_for_the_release_and_other_streams_do_not()
    {
        var locks = new StreamLocks();
        var held = await locks.AcquireAsync(A, CancellationToken.None);

        var second = locks.AcquireAsync(A, CancellationToken.None).AsTask();
        var other = locks.AcquireAsync(B, CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        held.Dispose();
        (await second.WaitAsync(Patience)).Dispose();
        (await other).Dispose();
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task Given_waiters_when_the_holder_releases_then_they_take_the_stream_one_at_a_time_in_arrival_order()
    {
        var locks = new StreamLocks();
        var order = new List<int>();
        var held = await locks.AcquireAsync(A, CancellationToken.None);
        var waiters = Enumerable.Range(1, 5).Select(async i =>
        {
            using (await locks.AcquireAsync(A, CancellationToken.None))
            {
                lock (order) order.Add(i);
                await Task.Delay(5);
                lock (order) order.Add(-i);
            }
        }).ToArray();

        held.Dispose();
        await Task.WhenAll(waiters).WaitAsync(Patience);

        Assert.Equal([1, -1, 2, -2, 3, -3, 4, -4, 5, -5], order);
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task Given_a_cancelled_waiter_when_the_holder_releases_then_the_next_waiter_gets_the_stream_and_the_cancelled_one_does_not()
    {
        var locks = new StreamLocks();
        using var cancel = new CancellationTokenSource();
        var held = await locks.AcquireAsync(A, CancellationToken.None);
        var cancelled = locks.AcquireAsync(A, cancel.Token).AsTask();
        var next = locks.AcquireAsync(A, CancellationToken.None).AsTask();

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));
        Assert.False(next.IsCompleted);
        held.Dispose();
        var taken = await next.WaitAsync(Patience);

        // The cancelled waiter holds nothing: once the next one releases, the stream is free.
        Assert.Equal(1, locks.Count);
        taken.Dispose();
        Assert.Equal(0, locks.Count);
        (await locks.AcquireAsync(A, CancellationToken.None)).Dispose();
    }
}
