namespace Concordance.Storage;

/// <summary>
/// Wakes readers waiting for new events in this process: a store pulses it after each commit that appended events,
/// and implements <see cref="IEventStore.WaitForEventsAsync"/> with <see cref="WaitForHeadAsync"/>. For backends.
/// </summary>
public sealed class LogSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next <see cref="Pulse"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Completes every task <see cref="Next"/> has handed out so far.</summary>
    public void Pulse()
    {
        var previous = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }

    /// <summary>
    /// Completes when <paramref name="head"/> reports a position past <paramref name="afterPosition"/>: checked at once,
    /// then after every pulse and, when <paramref name="pollInterval"/> is given, at least that often (for commits made
    /// by other processes, which do not pulse this signal).
    /// </summary>
    /// <param name="head">Reads the log's head position.</param>
    /// <param name="afterPosition">The position to wait past.</param>
    /// <param name="pollInterval">How often to look without a pulse; null to wait for pulses only (a store one process owns).</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public async ValueTask WaitForHeadAsync(Func<CancellationToken, ValueTask<long>> head, long afterPosition, TimeSpan? pollInterval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(head);
        while (true)
        {
            // Taken before the look: a commit landing between the look and the wait still wakes it.
            var next = Next;
            if (await head(cancellationToken).ConfigureAwait(false) > afterPosition) return;
            if (pollInterval is { } interval)
            {
                await Task.WhenAny(next, Task.Delay(interval, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            else
            {
                await next.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
