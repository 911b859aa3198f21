using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers.Purity;

/// <summary>
/// Which types hold values that nobody can change once built, so that reading them from static
/// state is as pure as reading a constant: strings, primitives, enums, the common BCL value
/// types, <c>System.Collections.Immutable</c> and <c>System.Collections.Frozen</c> types of
/// immutable elements (their builders excepted), and source records, classes and structs whose
/// instance fields are all readonly (init-only and get-only auto-properties included) and of
/// immutable types. Answers are cached per type; a type that refers to itself is judged by its
/// other fields.
/// </summary>
internal sealed class Immutability
{
    private static readonly string[] s_immutableSystemTypes =
    {
        "DateTimeOffset", "TimeSpan", "Guid", "DateOnly", "TimeOnly", "Half", "Int128", "UInt128", "Index", "Range", "Uri", "Version",
    };

    private readonly IAssemblySymbol _assembly;
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _cache = new(SymbolEqualityComparer.Default);

    public Immutability(Compilation compilation) => _assembly = compilation.Assembly;

    /// <summary>True when a value of <paramref name="type"/> cannot change after it is built.</summary>
    public bool IsImmutable(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        return _cache.TryGetValue(type, out var known) ? known : _cache.GetOrAdd(type, IsImmutable(type, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default)));
    }

    // Only top-level answers are cached: a nested one may rest on the assumption that a type in progress is immutable.
    private bool IsImmutable(ITypeSymbol type, HashSet<ITypeSymbol> inProgress)
    {
        if (_cache.TryGetValue(type, out var known))
        {
            return known;
        }

        if (!inProgress.Add(type))
        {
            return true; // co-inductive: a type that refers to itself is judged by its other fields
        }

        var answer = Compute(type, inProgress);
        inProgress.Remove(type);
        return answer;
    }

    /// <summary>
    /// True for the types of <c>System.Collections.Immutable</c> and <c>System.Collections.Frozen</c>
    /// (not their builders): their "mutators" (<c>Add</c>, <c>Remove</c>, …) return a new collection.
    /// </summary>
    public static bool IsPersistentCollection(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named || named.Name == "Builder")
        {
            return false;
        }

        var outermost = named;
        while (outermost.ContainingType is { } outer)
        {
            outermost = outer;
        }

        return outermost.ContainingNamespace?.ToDisplayString() is "System.Collections.Immutable" or "System.Collections.Frozen";
    }

    private bool Compute(ITypeSymbol type, HashSet<ITypeSymbol> inProgress)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_String:
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Decimal:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
            case SpecialType.System_DateTime:
                return true;
            case SpecialType.System_Nullable_T:
                return false; // handled below as a constructed type
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        if (type is not INamedTypeSymbol named)
        {
            return false; // arrays, pointers, type parameters, dynamic
        }

        var definition = named.OriginalDefinition;
        if (definition.SpecialType == SpecialType.System_Nullable_T ||
            (definition.ContainingNamespace?.ToDisplayString() == "System" && definition.Name is "ValueTuple" or "Tuple") ||
            (definition.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic" && definition.Name == "KeyValuePair"))
        {
            return named.TypeArguments.All(t => IsImmutable(t, inProgress));
        }

        if (definition.ContainingNamespace?.ToDisplayString() == "System" && definition.ContainingType is null &&
            s_immutableSystemTypes.Contains(definition.Name))
        {
            return true;
        }

        if (IsPersistentCollection(named))
        {
            return named.TypeArguments.All(t => IsImmutable(t, inProgress));
        }

        if (!SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, _assembly) ||
            named.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return false; // interfaces, delegates and other assemblies' types: nothing says they cannot change
        }

        if (named.BaseType is { SpecialType: not (SpecialType.System_Object or SpecialType.System_ValueType) } baseType && !IsImmutable(baseType, inProgress))
        {
            return false;
        }

        foreach (var member in named.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false, IsConst: false } field && (!field.IsReadOnly || !IsImmutable(field.Type, inProgress)))
            {
                return false;
            }
        }

        return true;
    }
}
