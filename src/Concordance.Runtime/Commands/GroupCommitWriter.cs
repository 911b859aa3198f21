using System.Threading.Channels;
using Concordance.Storage;

namespace Concordance;

/// <summary>
/// Group commit: appends from concurrent commands queue here, and one loop writes everything queued so far
/// as one <see cref="IEventStore.AppendAsync"/> batch (one transaction, one fsync on SQLite). While a batch is
/// being made durable the next one fills up, so throughput grows with concurrency instead of being capped at
/// one fsync per command.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private readonly IEventStore _events;
    private readonly int _maxBatchSize;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private int _queued;

    public GroupCommitWriter(IEventStore events, int maxBatchSize)
    {
        _events = events;
        _maxBatchSize = Math.Max(1, maxBatchSize);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Appends waiting for the next batch (for tests).</summary>
    internal int Queued => Volatile.Read(ref _queued);

    public Task<AppendResult> AppendAsync(AppendRequest request)
    {
        var pending = new Pending(request, new TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            throw new ObjectDisposedException(nameof(GroupCommitWriter));
        }
        return pending.Completion.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(_maxBatchSize);
        var requests = new List<AppendRequest>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            requests.Clear();
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var pending))
            {
                Interlocked.Decrement(ref _queued);
                batch.Add(pending);
                requests.Add(pending.Request);
            }
            try
            {
                var results = await _events.AppendAsync(requests.ToArray()).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(results[i]);
            }
            catch (Exception ex)
            {
                foreach (var pending in batch) pending.Completion.TrySetException(ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed record Pending(AppendRequest Request, TaskCompletionSource<AppendResult> Completion);
}
