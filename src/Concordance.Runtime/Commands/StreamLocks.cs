using Concordance.Storage;

namespace Concordance;

/// <summary>One async gate per stream, so commands to one aggregate run one at a time; entries vanish when unused.</summary>
internal sealed class StreamLocks
{
    private readonly Dictionary<StreamId, Entry> _entries = new();

    public ValueTask<Releaser> AcquireAsync(StreamId stream, CancellationToken cancellationToken)
    {
        var entry = Enter(stream);
        // Free (the usual case: one command at a time per stream): taken at once, no state machine.
        if (!cancellationToken.IsCancellationRequested && entry.Gate.Wait(0)) return new ValueTask<Releaser>(new Releaser(this, stream, entry));
        return WaitAsync(stream, entry, cancellationToken);
    }

    private Entry Enter(StreamId stream)
    {
        Entry? entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(stream, out entry))
            {
                entry = new Entry();
                _entries.Add(stream, entry);
            }
            entry.Users++;
        }
        return entry;
    }

    private async ValueTask<Releaser> WaitAsync(StreamId stream, Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(stream, entry);
            throw;
        }
        return new Releaser(this, stream, entry);
    }

    private void Leave(StreamId stream, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.Users == 0) _entries.Remove(stream);
        }
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    public readonly struct Releaser : IDisposable
    {
        private readonly StreamLocks _owner;
        private readonly StreamId _stream;
        private readonly Entry _entry;

        internal Releaser(StreamLocks owner, StreamId stream, Entry entry)
        {
            _owner = owner;
            _stream = stream;
            _entry = entry;
        }

        public void Dispose()
        {
            _entry.Gate.Release();
            _owner.Leave(_stream, _entry);
        }
    }
}
