using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers.Purity;

/// <summary>
/// What the call graph reaches. Which rules a node reaches is computed once per node for the
/// whole graph behind it, with Tarjan's strongly connected components (every node of a cycle
/// reaches the same rules), so cycles and wide dispatch stay linear in nodes plus edges. The
/// chain shown in a message is found only for what is reported, breadth-first (shortest), and
/// only through nodes that reach the rule.
/// </summary>
internal sealed partial class PurityAnalysis
{
    private readonly ConcurrentDictionary<ISymbol, int> _reached = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(ISymbol Node, ImpurityCategory Category), ReachedFinding?> _chains = new(ChainKeyComparer.Instance);

    /// <summary>The rules reachable from <paramref name="start"/>, as a bit set indexed by <see cref="ImpurityCategory"/>.</summary>
    private int CategoriesReachedFrom(ISymbol start, CancellationToken cancellationToken)
    {
        if (_reached.TryGetValue(start, out var known))
        {
            return known;
        }

        var index = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        var low = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        var partial = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        var onStack = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var component = new Stack<ISymbol>();
        var work = new Stack<(ISymbol Node, int Next)>();

        void Open(ISymbol node)
        {
            index[node] = low[node] = index.Count;
            component.Push(node);
            onStack.Add(node);
            var direct = 0;
            foreach (var finding in FactsOf(node, cancellationToken).Findings)
            {
                direct |= 1 << (int)finding.Category;
            }

            partial[node] = direct;
            work.Push((node, 0));
        }

        Open(start);
        while (work.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (node, next) = work.Pop();
            var edges = FactsOf(node, cancellationToken).Edges;
            if (next < edges.Length)
            {
                work.Push((node, next + 1));
                var target = edges[next].Target;
                if (_reached.TryGetValue(target, out var done))
                {
                    partial[node] |= done;
                }
                else if (!index.ContainsKey(target))
                {
                    Open(target);
                }
                else if (onStack.Contains(target))
                {
                    low[node] = Math.Min(low[node], index[target]);
                }

                continue;
            }

            if (low[node] == index[node])
            {
                // A whole strongly connected component: every member reaches what any member reaches.
                var members = new List<ISymbol>();
                var combined = 0;
                ISymbol member;
                do
                {
                    member = component.Pop();
                    onStack.Remove(member);
                    members.Add(member);
                    combined |= partial[member];
                }
                while (!SymbolEqualityComparer.Default.Equals(member, node));

                foreach (var finished in members)
                {
                    _reached.TryAdd(finished, combined);
                }
            }

            if (work.Count > 0)
            {
                var parent = work.Peek().Node;
                low[parent] = Math.Min(low[parent], low[node]);
                partial[parent] |= _reached.TryGetValue(node, out var finishedMask) ? finishedMask : partial[node];
            }
        }

        return _reached[start];
    }

    /// <summary>
    /// The nearest finding of <paramref name="category"/> behind <paramref name="start"/> and the
    /// chain of nodes to it (starting with <paramref name="start"/>), or null when none is reachable.
    /// </summary>
    private ReachedFinding? ShortestChain(ISymbol start, ImpurityCategory category, CancellationToken cancellationToken)
    {
        var key = (start, category);
        if (_chains.TryGetValue(key, out var known))
        {
            return known;
        }

        var bit = 1 << (int)category;
        ReachedFinding? result = null;
        if ((CategoriesReachedFrom(start, cancellationToken) & bit) != 0)
        {
            var parents = new Dictionary<ISymbol, ISymbol?>(SymbolEqualityComparer.Default) { [start] = null };
            var queue = new Queue<ISymbol>();
            queue.Enqueue(start);
            while (queue.Count > 0 && result is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var node = queue.Dequeue();
                var facts = FactsOf(node, cancellationToken);
                foreach (var finding in facts.Findings)
                {
                    if (finding.Category == category)
                    {
                        result = new ReachedFinding(finding, PathTo(node, parents));
                        break;
                    }
                }

                foreach (var edge in facts.Edges)
                {
                    if (result is null && !parents.ContainsKey(edge.Target) && (CategoriesReachedFrom(edge.Target, cancellationToken) & bit) != 0)
                    {
                        parents[edge.Target] = node;
                        queue.Enqueue(edge.Target);
                    }
                }
            }
        }

        return _chains.GetOrAdd(key, result);
    }

    private static ImmutableArray<ISymbol> PathTo(ISymbol node, Dictionary<ISymbol, ISymbol?> parents)
    {
        var path = new List<ISymbol>();
        for (ISymbol? current = node; current is not null; current = parents[current])
        {
            path.Add(current);
        }

        path.Reverse();
        return path.ToImmutableArray();
    }

    private sealed class ChainKeyComparer : IEqualityComparer<(ISymbol Node, ImpurityCategory Category)>
    {
        public static readonly ChainKeyComparer Instance = new();

        public bool Equals((ISymbol Node, ImpurityCategory Category) x, (ISymbol Node, ImpurityCategory Category) y) =>
            x.Category == y.Category && SymbolEqualityComparer.Default.Equals(x.Node, y.Node);

        public int GetHashCode((ISymbol Node, ImpurityCategory Category) key) =>
            (SymbolEqualityComparer.Default.GetHashCode(key.Node) * 31) + (int)key.Category;
    }
}
