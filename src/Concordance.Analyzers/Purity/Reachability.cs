using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers.Purity;

/// <summary>An impure use found in one body: what it is, where, and which rule reports it.</summary>
internal sealed class Finding(ImpurityCategory category, string member, Location site, string message)
{
    public ImpurityCategory Category { get; } = category;

    /// <summary>The impure member as shown to the user, e.g. <c>System.IO.File.WriteAllText</c>.</summary>
    public string Member { get; } = member;

    public Location Site { get; } = site;

    /// <summary>The banned list's message (CC1007), otherwise empty.</summary>
    public string Message { get; } = message;
}

/// <summary>A call (or other use) of a walkable node from a body, at <see cref="Site"/>.</summary>
internal readonly struct Edge(ISymbol target, Location site)
{
    /// <summary>An <see cref="IMethodSymbol"/> with a source body, or an <see cref="INamedTypeSymbol"/> meaning its static initialization.</summary>
    public ISymbol Target { get; } = target;

    public Location Site { get; } = site;
}

/// <summary>What one body does by itself: its impure uses and the walkable nodes it uses.</summary>
internal sealed class BodyFacts(ImmutableArray<Finding> findings, ImmutableArray<Edge> edges)
{
    public static readonly BodyFacts Empty = new(ImmutableArray<Finding>.Empty, ImmutableArray<Edge>.Empty);

    public ImmutableArray<Finding> Findings { get; } = findings;

    public ImmutableArray<Edge> Edges { get; } = edges;
}

/// <summary>A finding reachable from a node, with the chain of nodes from that node to the finding's body.</summary>
internal sealed class ReachedFinding(Finding finding, ImmutableArray<ISymbol> chain)
{
    public Finding Finding { get; } = finding;

    /// <summary>Starts with the node the search started from, ends with the node whose body holds the finding.</summary>
    public ImmutableArray<ISymbol> Chain { get; } = chain;
}
