using Concordance.Storage;

namespace Concordance;

/// <summary>One async gate per stream, so commands to one aggregate run one at a time, in arrival order; entries vanish when unused.</summary>
/// <remarks>
/// One short lock over a dictionary of held streams, instead of a semaphore per stream: the usual command finds its
/// stream free, and taking and leaving it then costs two uncontended lock sections and no allocation besides the
/// dictionary entry. Waiters queue on the held stream and are handed the gate in turn.
/// </remarks>
internal sealed class StreamLocks
{
    private readonly Dictionary<StreamId, Queue<TaskCompletionSource>?> _held = new();
    private readonly Lock _lock = new();

    public ValueTask<Releaser> AcquireAsync(StreamId stream, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource waiter;
        lock (_lock)
        {
            // Free (the usual case: one command at a time per stream): taken at once, no state machine.
            if (_held.TryAdd(stream, null)) return new ValueTask<Releaser>(new Releaser(this, stream));
            var waiters = _held[stream] ??= new Queue<TaskCompletionSource>();
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Enqueue(waiter);
        }
        return WaitAsync(stream, waiter, cancellationToken);
    }

    private async ValueTask<Releaser> WaitAsync(StreamId stream, TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        // A cancelled waiter stays queued, completed, and Release skips it. If the gate was handed over before the
        // cancellation came, TrySetCanceled fails, the await succeeds and the gate is ours.
        using (cancellationToken.Register(static w => ((TaskCompletionSource)w!).TrySetCanceled(), waiter))
            await waiter.Task.ConfigureAwait(false);
        return new Releaser(this, stream);
    }

    private void Release(StreamId stream)
    {
        while (true)
        {
            TaskCompletionSource next;
            lock (_lock)
            {
                if (_held[stream] is not { Count: > 0 } waiters)
                {
                    _held.Remove(stream);
                    return;
                }
                next = waiters.Dequeue();
            }
            // Held on for the next waiter; one that was cancelled meanwhile refuses it and the one after is asked.
            if (next.TrySetResult()) return;
        }
    }

    /// <summary>Streams currently held or waited for (for tests).</summary>
    internal int Count
    {
        get
        {
            lock (_lock) return _held.Count;
        }
    }

    public readonly struct Releaser : IDisposable
    {
        private readonly StreamLocks _owner;
        private readonly StreamId _stream;

        internal Releaser(StreamLocks owner, StreamId stream)
        {
            _owner = owner;
            _stream = stream;
        }

        public void Dispose() => _owner.Release(_stream);
    }
}
