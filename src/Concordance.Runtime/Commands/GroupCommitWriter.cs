using Concordance.Storage;

namespace Concordance;

/// <summary>
/// Group commit: appends from concurrent commands queue here, and one writer at a time writes everything queued so
/// far as one <see cref="IEventStore.AppendAsync"/> batch (one transaction, one fsync on SQLite). While a batch is being
/// made durable the next one fills up, so throughput grows with concurrency instead of being capped at one fsync per
/// command.
/// </summary>
/// <remarks>
/// Leader and followers, as databases do it: a command that finds no writer at work becomes the writer itself and
/// writes its own append as a batch of one on its own thread, so a lone sender pays no hand-over between threads (on a
/// busy machine a wake-up costs as much as the fsync) and no queue entry. Commands arriving meanwhile queue as
/// followers. Once the leader's append is written it returns to its caller at once; if followers are waiting, a new
/// writer is started on the thread pool for them, which writes everything queued in batches until the queue is empty,
/// so no caller waits for batches after its own.
/// </remarks>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private readonly IEventStore _events;
    private readonly int _maxBatchSize;
    private readonly Lock _gate = new();
    private readonly Queue<Pending> _waiting = new();
    private bool _writing;
    private bool _disposed;
    private TaskCompletionSource? _idle;

    public GroupCommitWriter(IEventStore events, int maxBatchSize)
    {
        _events = events;
        _maxBatchSize = Math.Max(1, maxBatchSize);
    }

    /// <summary>Appends waiting for the next batch (for tests).</summary>
    internal int Queued
    {
        get
        {
            lock (_gate) return _waiting.Count;
        }
    }

    public Task<AppendResult> AppendAsync(AppendRequest request)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writing)
            {
                var pending = new Pending(request, new TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously));
                _waiting.Enqueue(pending);
                return pending.Completion.Task;
            }
            _writing = true;
        }
        // No writer was at work, so nobody waits (a writer leaves only once the queue is empty): this append is the
        // whole batch, written on the caller's thread.
        return LeadAloneAsync(request);
    }

    /// <summary>Writes <paramref name="request"/> as a batch of its own; then, like <see cref="LeadAsync"/>, leaves followers that queued meanwhile a writer of their own.</summary>
    private async Task<AppendResult> LeadAloneAsync(AppendRequest request)
    {
        // Leave the caller first: a store that writes synchronously (SQLite) would otherwise finish the whole command,
        // fsync included, before the caller could start its next sender, and senders started in a loop (Task.WhenAll
        // over commands) would run one after another, one fsync each, never meeting in a batch. One hop to the pool.
        await Task.Yield();
        try
        {
            var results = await _events.AppendAsync([request]).ConfigureAwait(false);
            return results[0];
        }
        finally
        {
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    _idle?.TrySetResult();
                }
                else
                {
                    _ = Task.Run(LeadAsync);
                }
            }
        }
    }

    /// <summary>Writes batches until none waits (the followers that queued behind a lone writer).</summary>
    private async Task LeadAsync()
    {
        var batch = new List<Pending>();
        while (true)
        {
            batch.Clear();
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    _idle?.TrySetResult();
                    return;
                }
                while (batch.Count < _maxBatchSize && _waiting.TryDequeue(out var next)) batch.Add(next);
            }
            await WriteAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            var requests = new AppendRequest[batch.Count];
            for (var i = 0; i < requests.Length; i++) requests[i] = batch[i].Request;
            var results = await _events.AppendAsync(requests).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(results[i]);
        }
        catch (ArgumentException) when (batch.Count > 1)
        {
            // A request the store refuses (over its size limits) fails the batch with nothing written: each is written
            // again on its own, so only that command fails and the others land.
            foreach (var pending in batch) await WriteAloneAsync(pending).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var pending in batch) pending.Completion.TrySetException(ex);
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            pending.Completion.TrySetResult((await _events.AppendAsync([pending.Request]).ConfigureAwait(false))[0]);
        }
        catch (Exception ex)
        {
            pending.Completion.TrySetException(ex);
        }
    }

    /// <summary>Refuses new appends and waits for the ones queued to be written.</summary>
    public async ValueTask DisposeAsync()
    {
        Task idle;
        lock (_gate)
        {
            _disposed = true;
            if (!_writing) return;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }
        await idle.ConfigureAwait(false);
    }

    private sealed record Pending(AppendRequest Request, TaskCompletionSource<AppendResult> Completion);
}
