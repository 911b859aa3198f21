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
/// compilation, on first use, in one pass over the source types (each type's members and each of
/// its interfaces' members once); a query walks only the overrides below the called method, so
/// deep hierarchies and cycles through calls stay linear.
/// </summary>
internal sealed class DispatchIndex
{
    private readonly Dictionary<IMethodSymbol, List<IMethodSymbol>> _overrides;
    private readonly Dictionary<IMethodSymbol, List<IMethodSymbol>> _implementations;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, ITypeSymbol? Receiver), ImmutableArray<IMethodSymbol>> _targets = new(TargetKeyComparer.Instance);

    private DispatchIndex(Dictionary<IMethodSymbol, List<IMethodSymbol>> overrides, Dictionary<IMethodSymbol, List<IMethodSymbol>> implementations)
    {
        _overrides = overrides;
        _implementations = implementations;
    }

    /// <summary>Indexes every override and interface implementation declared in <paramref name="assembly"/>.</summary>
    public static DispatchIndex Build(IAssemblySymbol assembly, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<IMethodSymbol, List<IMethodSymbol>>(SymbolEqualityComparer.Default);
        var implementations = new Dictionary<IMethodSymbol, List<IMethodSymbol>>(SymbolEqualityComparer.Default);
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var container = pending.Pop();
            foreach (var type in container.GetTypeMembers())
            {
                pending.Push(type);
                IndexType(type, overrides, implementations);
            }

            if (container is INamespaceSymbol ns)
            {
                foreach (var inner in ns.GetNamespaceMembers())
                {
                    pending.Push(inner);
                }
            }
        }

        return new DispatchIndex(overrides, implementations);
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
        if (_implementations.TryGetValue(definition, out var implementing))
        {
            foreach (var implementation in implementing)
            {
                pending.Push((implementation, receiverClass is null));
            }
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
            if (_overrides.TryGetValue(candidate, out var overriding))
            {
                foreach (var @override in overriding)
                {
                    pending.Push((@override, below));
                }
            }
        }

        return result.ToImmutable();
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

    private static void IndexType(
        INamedTypeSymbol type,
        Dictionary<IMethodSymbol, List<IMethodSymbol>> overrides,
        Dictionary<IMethodSymbol, List<IMethodSymbol>> implementations)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol { IsOverride: true, OverriddenMethod: { } overridden } method)
            {
                Add(overrides, overridden.OriginalDefinition, method.OriginalDefinition);

                // Through other assemblies' classes (StringWriter between TextWriter and a source
                // subclass), a call on the outer type must still find the source override.
                for (var above = overridden; !SymbolEqualityComparer.Default.Equals(above.ContainingAssembly, type.ContainingAssembly) && above.OverriddenMethod is { } next; above = next)
                {
                    Add(overrides, next.OriginalDefinition, method.OriginalDefinition);
                }
            }
        }

        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface))
        {
            return;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers())
            {
                if (member is IMethodSymbol { IsAbstract: true } or IMethodSymbol { IsVirtual: true } &&
                    type.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation &&
                    !SymbolEqualityComparer.Default.Equals(implementation.OriginalDefinition, ((IMethodSymbol)member).OriginalDefinition))
                {
                    Add(implementations, ((IMethodSymbol)member).OriginalDefinition, implementation.OriginalDefinition);
                }
            }
        }
    }

    private static void Add(Dictionary<IMethodSymbol, List<IMethodSymbol>> map, IMethodSymbol key, IMethodSymbol value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = new List<IMethodSymbol>();
        }

        if (!list.Contains(value, SymbolEqualityComparer.Default))
        {
            list.Add(value);
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
