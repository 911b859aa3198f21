using Concordance.Storage;

namespace Concordance;

/// <summary>A bounded least-recently-used cache of aggregate states, so hot aggregates are not reloaded per command.</summary>
internal sealed class HotStateCache(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<StreamId, LinkedListNode<(StreamId Stream, long Version, object? State)>> _map = new();
    private readonly LinkedList<(StreamId Stream, long Version, object? State)> _order = new();

    public int Count
    {
        get { lock (_lock) return _map.Count; }
    }

    public bool TryGet(StreamId stream, out long version, out object? state)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(stream, out var node))
            {
                if (node != _order.First)
                {
                    _order.Remove(node);
                    _order.AddFirst(node);
                }
                (_, version, state) = node.Value;
                return true;
            }
        }
        version = 0;
        state = null;
        return false;
    }

    public void Set(StreamId stream, long version, object? state)
    {
        if (capacity <= 0) return;
        lock (_lock)
        {
            if (_map.TryGetValue(stream, out var node))
            {
                // The usual case, a hot stream moving on: its node is reused.
                node.Value = (stream, version, state);
                if (node != _order.First)
                {
                    _order.Remove(node);
                    _order.AddFirst(node);
                }
                return;
            }
            _map[stream] = _order.AddFirst((stream, version, state));
            while (_map.Count > capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Stream);
            }
        }
    }

    public void Remove(StreamId stream)
    {
        lock (_lock)
        {
            if (_map.Remove(stream, out var node)) _order.Remove(node);
        }
    }
}
