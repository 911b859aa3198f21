using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers.Purity;

/// <summary>
/// Class-hierarchy analysis of the compilation's own types: for a virtual, abstract or interface
/// method, every method declared in this compilation that a call to it can run. Built once per
/// compilation, on first use, in one pass over the source types that records only which types
/// derive from which classes and implement which interfaces; the overrides and implementations of
/// a method are looked up in those types' members when a call to it is first met, so the members
/// of types no call can reach are never asked for. A query walks only the overrides below the
/// called method, so deep hierarchies and cycles through calls stay linear.
/// </summary>
internal sealed class DispatchIndex
{
    // Source types by what they derive from (every ancestor, other assemblies' included) and by the
    // interfaces they implement, each list in one fixed order (a traversal of the namespaces), so
    // that the targets of a call, and with them the chains in messages, come in the same order every time.
    private readonly Dictionary<ITypeSymbol, List<INamedTypeSymbol>> _descendants;
    private readonly Dictionary<ITypeSymbol, List<INamedTypeSymbol>> _implementers;
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _overrides = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _implementations = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(IMethodSymbol Method, ITypeSymbol? Receiver), ImmutableArray<IMethodSymbol>> _targets = new(TargetKeyComparer.Instance);

    private DispatchIndex(Dictionary<ITypeSymbol, List<INamedTypeSymbol>> descendants, Dictionary<ITypeSymbol, List<INamedTypeSymbol>> implementers)
    {
        _descendants = descendants;
        _implementers = implementers;
    }

    /// <summary>Indexes which source types of <paramref name="assembly"/> derive from which classes and implement which interfaces.</summary>
    public static DispatchIndex Build(IAssemblySymbol assembly, CancellationToken cancellationToken)
    {
        var descendants = new Dictionary<ITypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        var implementers = new Dictionary<ITypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var container = pending.Pop();
            foreach (var type in container.GetTypeMembers())
            {
                pending.Push(type);
                for (var ancestor = type.BaseType; ancestor is not null; ancestor = ancestor.BaseType)
                {
                    Add(descendants, ancestor.OriginalDefinition, type);
                }

                if (type.TypeKind is TypeKind.Class or TypeKind.Struct or TypeKind.Interface)
                {
                    foreach (var @interface in type.AllInterfaces)
                    {
                        Add(implementers, @interface.OriginalDefinition, type);
                    }
                }
            }

            if (container is INamespaceSymbol ns)
            {
                foreach (var inner in ns.GetNamespaceMembers())
                {
                    pending.Push(inner);
                }
            }
        }

        return new DispatchIndex(descendants, implementers);
    }

    /// <summary>
    /// The methods declared in this compilation that a virtual call of <paramref name="method"/> on a
    /// receiver of static type <paramref name="receiver"/> (null: unknown) can run, the called method
    /// itself included. Metadata methods are left out: the banned list answers for them.
    /// </summary>
    public ImmutableArray<IMethodSymbol> TargetsOf(IMethodSymbol method, ITypeSymbol? receiver)
    {
        var definition = method.OriginalDefinition;
        var key = (definition, receiver?.OriginalDefinition);
        return _targets.TryGetValue(key, out var known) ? known : _targets.GetOrAdd(key, Compute(definition, key.Item2));
    }

    private ImmutableArray<IMethodSymbol> Compute(IMethodSymbol definition, ITypeSymbol? receiver)
    {
        var result = ImmutableArray.CreateBuilder<IMethodSymbol>();
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<(IMethodSymbol Method, bool BelowReceiver)>();
        var receiverClass = receiver is INamedTypeSymbol { TypeKind: TypeKind.Class } named ? named : null;

        // The receiver's base classes, once: an override declared in one of them is the inherited version.
        var above = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        for (var type = receiverClass; type is not null; type = type.BaseType)
        {
            above.Add(type.OriginalDefinition);
        }

        pending.Push((definition, receiverClass is null));
        foreach (var implementation in ImplementationsOf(definition))
        {
            pending.Push((implementation, receiverClass is null));
        }

        while (pending.Count > 0)
        {
            var (candidate, below) = pending.Pop();
            if (!seen.Add(candidate))
            {
                continue;
            }

            // Overrides of an override below the receiver are below it too; one declared in an
            // unrelated class (a sibling of the receiver), and everything below it, cannot run.
            var declaring = candidate.ContainingType.OriginalDefinition;
            if (!below && !above.Contains(declaring) && declaring.TypeKind != TypeKind.Interface)
            {
                if (!DerivesFrom(declaring, receiverClass!))
                {
                    continue;
                }

                below = true;
            }

            result.Add(candidate);
            foreach (var @override in OverridesOf(candidate))
            {
                pending.Push((@override, below));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The source methods that override <paramref name="method"/> (a definition): directly, or through
    /// other assemblies' classes (StringWriter between TextWriter and a source subclass), so that a call
    /// on the outer type still finds the source override. Overrides of a source override are found from it.
    /// </summary>
    private ImmutableArray<IMethodSymbol> OverridesOf(IMethodSymbol method)
    {
        if (_overrides.TryGetValue(method, out var known))
        {
            return known;
        }

        var found = ImmutableArray<IMethodSymbol>.Empty;
        if ((method.IsVirtual || method.IsAbstract || method.IsOverride) && _descendants.TryGetValue(method.ContainingType, out var types))
        {
            var builder = ImmutableArray.CreateBuilder<IMethodSymbol>();
            foreach (var type in types)
            {
                foreach (var member in type.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol { IsOverride: true, OverriddenMethod: { } overridden } candidate && Overrides(candidate, overridden, method) &&
                        !builder.Contains(candidate.OriginalDefinition, SymbolEqualityComparer.Default))
                    {
                        builder.Add(candidate.OriginalDefinition);
                    }
                }
            }

            found = builder.ToImmutable();
        }

        return _overrides.GetOrAdd(method, found);
    }

    // The method a source override is indexed under: the one it overrides, and past that each one
    // above it as long as they are declared in other assemblies.
    private static bool Overrides(IMethodSymbol candidate, IMethodSymbol overridden, IMethodSymbol method)
    {
        if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method))
        {
            return true;
        }

        for (var above = overridden; !SymbolEqualityComparer.Default.Equals(above.ContainingAssembly, candidate.ContainingAssembly) && above.OverriddenMethod is { } next; above = next)
        {
            if (SymbolEqualityComparer.Default.Equals(next.OriginalDefinition, method))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The methods (source or not) that source types run for the interface method <paramref name="method"/> (a definition), other than itself.</summary>
    private ImmutableArray<IMethodSymbol> ImplementationsOf(IMethodSymbol method)
    {
        if (_implementations.TryGetValue(method, out var known))
        {
            return known;
        }

        var found = ImmutableArray<IMethodSymbol>.Empty;
        if (method.ContainingType.TypeKind == TypeKind.Interface && (method.IsAbstract || method.IsVirtual) &&
            _implementers.TryGetValue(method.ContainingType, out var types))
        {
            var builder = ImmutableArray.CreateBuilder<IMethodSymbol>();
            foreach (var type in types)
            {
                foreach (var @interface in type.AllInterfaces)
                {
                    if (!SymbolEqualityComparer.Default.Equals(@interface.OriginalDefinition, method.ContainingType))
                    {
                        continue;
                    }

                    foreach (var member in @interface.GetMembers(method.Name))
                    {
                        if (member is IMethodSymbol interfaceMethod && SymbolEqualityComparer.Default.Equals(interfaceMethod.OriginalDefinition, method) &&
                            type.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation &&
                            !SymbolEqualityComparer.Default.Equals(implementation.OriginalDefinition, method) &&
                            !builder.Contains(implementation.OriginalDefinition, SymbolEqualityComparer.Default))
                        {
                            builder.Add(implementation.OriginalDefinition);
                        }
                    }
                }
            }

            found = builder.ToImmutable();
        }

        return _implementations.GetOrAdd(method, found);
    }

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol ancestor)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, ancestor.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(Dictionary<ITypeSymbol, List<INamedTypeSymbol>> map, ITypeSymbol key, INamedTypeSymbol type)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = new List<INamedTypeSymbol>();
        }

        // A type meets the same generic interface once per construction (IHandler<A>, IHandler<B>): list it once.
        if (list.Count == 0 || !SymbolEqualityComparer.Default.Equals(list[list.Count - 1], type))
        {
            list.Add(type);
        }
    }

    private sealed class TargetKeyComparer : IEqualityComparer<(IMethodSymbol Method, ITypeSymbol? Receiver)>
    {
        public static readonly TargetKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, ITypeSymbol? Receiver) x, (IMethodSymbol Method, ITypeSymbol? Receiver) y) =>
            SymbolEqualityComparer.Default.Equals(x.Method, y.Method) && SymbolEqualityComparer.Default.Equals(x.Receiver, y.Receiver);

        public int GetHashCode((IMethodSymbol Method, ITypeSymbol? Receiver) key) =>
            (SymbolEqualityComparer.Default.GetHashCode(key.Method) * 397) ^ (key.Receiver is null ? 0 : SymbolEqualityComparer.Default.GetHashCode(key.Receiver));
    }
}
