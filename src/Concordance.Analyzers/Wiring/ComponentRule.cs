using System;
using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers.Wiring;

/// <summary>
/// The one rule for what implements a schema component, shared by the generator (which registers implementations in
/// <c>AddGeneratedComponents()</c>) and the wiring analyzer (which reports components without one): a class whose base
/// chain reaches the component's generated base, directly or through abstract intermediates, however the base is
/// named (qualified, through a <c>using</c> alias, in any namespace or partial declaration), and that generated code
/// can register: not abstract, not generic, not static, not file-local, and reachable from the assembly (public or
/// internal, as are the types it is nested in).
/// </summary>
internal static class ComponentRule
{
    /// <summary>The suffixes of the generated bases, one per component kind.</summary>
    public static readonly System.Collections.Generic.IReadOnlyList<string> BaseSuffixes = Concordance.Schema.GeneratedNames.ComponentBaseSuffixes;

    /// <summary>
    /// The first type in <paramref name="type"/>'s base chain for which <paramref name="isComponentBase"/> holds, or null.
    /// The generator passes "an unresolved type named like a generated base" (it cannot see generated bases); the
    /// analyzer passes "one of the schema components' generated bases".
    /// </summary>
    public static INamedTypeSymbol? ComponentBase(INamedTypeSymbol type, Func<INamedTypeSymbol, bool> isComponentBase)
    {
        // The bound guards a cycle, which only broken code can have.
        var depth = 0;
        for (var current = type.BaseType; current is not null && depth < 64; current = current.BaseType, depth++)
        {
            if (isComponentBase(current)) return current;
        }
        return null;
    }

    /// <summary>True when <paramref name="name"/> ends with a generated base's suffix (and has a component name before it).</summary>
    public static bool HasBaseSuffix(string name)
    {
        foreach (var suffix in BaseSuffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>Why generated code could not register <paramref name="type"/>, or null when it can.</summary>
    public static string? WhyNotRegistrable(INamedTypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Class) return "it is not a class";
        if (type.IsAbstract) return "it is abstract";
        if (type.IsStatic) return "it is static";
        if (type.IsFileLocal) return "it is file-local";
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType) return current.Equals(type, SymbolEqualityComparer.Default) ? "it is generic" : $"it is nested in the generic '{current.Name}'";
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
                return current.Equals(type, SymbolEqualityComparer.Default) ? "it is not public or internal" : $"it is nested in '{current.Name}', which is not public or internal";
        }
        return null;
    }
}
