namespace Concordance;

/// <summary>Tells when projectors have caught up with the log, so a test or an application can read their read models.</summary>
public interface IProjectionProgress
{
    /// <summary>
    /// Completes once projector <paramref name="projector"/> has processed every event it subscribes to that was in the
    /// log when the call began: its stored checkpoint covers them (an event parked as a dead letter counts as processed).
    /// Returns at once when it already has. The projector is named as in <see cref="IReadModels.GetAsync{T}"/>: its
    /// schema name (<c>Bank.AccountLedger</c>) or, when unambiguous, its short name (<c>AccountLedger</c>).
    /// </summary>
    /// <remarks>
    /// Waiting does not process anything: the projector's hosted worker does, on this host or, with a store shared by
    /// several hosts, on whichever host holds its lease. Where no worker runs (no host started), it waits until
    /// <paramref name="cancellationToken"/> is cancelled; pass a token with a timeout
    /// (<c>new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token</c>). The store is polled, from every 10 ms up
    /// to every 250 ms.
    /// </remarks>
    /// <returns>The log position the projector was asked to catch up with (the head of the log when the call began).</returns>
    /// <exception cref="ArgumentException">No registered projector has that name.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    Task<long> WaitForCatchUpAsync(string projector, CancellationToken cancellationToken = default);
}

internal sealed class ProjectionProgress(ComponentRunners runners) : IProjectionProgress
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);

    public async Task<long> WaitForCatchUpAsync(string projector, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projector);
        var runner = runners.FindProjector(projector)
            ?? throw new ArgumentException($"No registered projector is named '{projector}'.", nameof(projector));
        var target = await runners.Environment.Store.Events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        var poll = FirstPoll;
        // The checkpoint that counts is the active build's, which another host may have just switched.
        while (await runner.RefreshActiveAsync(cancellationToken).ConfigureAwait(false) | !await runner.HasProcessedAsync(target, cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(poll, cancellationToken).ConfigureAwait(false);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
        }
        return target;
    }
}
