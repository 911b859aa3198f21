using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Concordance.Analyzers.Purity;

/// <summary>
/// Walks the operations of one body (lambdas and local functions included) and records its
/// impure uses and the walkable nodes it reaches: source methods, accessors, constructors,
/// operators, method groups and the static initialization of the types it touches.
/// </summary>
internal sealed class BodyScanner
{
    private static readonly HashSet<string> s_collectionMutators = new()
    {
        "Add", "AddRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveWhere", "Clear", "Insert",
        "InsertRange", "Push", "Pop", "Enqueue", "Dequeue", "TryAdd", "TryRemove", "TryUpdate", "AddOrUpdate",
        "GetOrAdd", "TryDequeue", "TryPop", "TryTake", "Sort", "Reverse", "UnionWith", "IntersectWith",
        "ExceptWith", "SymmetricExceptWith", "AddFirst", "AddLast", "RemoveFirst", "RemoveLast", "Set",
    };

    private readonly PurityAnalysis _analysis;
    private readonly INamedTypeSymbol _ownType;
    private readonly INamedTypeSymbol? _initializing;
    private readonly List<Finding> _findings = new();
    private readonly List<Edge> _edges = new();
    private readonly HashSet<ISymbol> _typeInits = new(SymbolEqualityComparer.Default);

    /// <param name="analysis">The compilation's analysis (matcher, walkability).</param>
    /// <param name="ownType">The type whose body this is; its own static initialization is not an edge.</param>
    /// <param name="initializing">The type whose static state this body initializes (static constructor or initializer), if any.</param>
    public BodyScanner(PurityAnalysis analysis, INamedTypeSymbol ownType, INamedTypeSymbol? initializing)
    {
        _analysis = analysis;
        _ownType = ownType;
        _initializing = initializing;
    }

    public BodyFacts ToFacts() => _findings.Count == 0 && _edges.Count == 0
        ? BodyFacts.Empty
        : new BodyFacts(_findings.ToImmutableArray(), _edges.ToImmutableArray());

    public void Scan(IOperation? body)
    {
        if (body is null)
        {
            return;
        }

        foreach (var operation in body.DescendantsAndSelf())
        {
            Visit(operation);
        }
    }

    /// <summary>Records a use of <paramref name="method"/> that has no operation of its own (an implicit base constructor call).</summary>
    public void UseImplicitCall(IMethodSymbol method, Location site) => UseMethod(method, site, instance: null);

    private void Visit(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                UseMethod(invocation.TargetMethod, invocation.Syntax.GetLocation(), invocation.Instance, invocation.IsVirtual);
                if (IsStaticStorage(invocation.Instance) && IsCollectionMutator(invocation.TargetMethod) && !IsUnchangeable(invocation.Instance!.Type))
                {
                    StaticWrite(invocation, invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name + " on static state", owner: null);
                }

                break;
            case IObjectCreationOperation creation:
                if (creation.Constructor is { } constructor)
                {
                    UseMethod(constructor, creation.Syntax.GetLocation(), instance: null);
                }
                else if (creation.Type is { } createdType && _analysis.Matcher.MatchType(createdType) is { } banned)
                {
                    Report(banned, "new " + Display.Member(createdType), operation);
                }

                break;
            case IMethodReferenceOperation reference:
                UseMethod(reference.Method, reference.Syntax.GetLocation(), reference.Instance, reference.IsVirtual);
                break;
            case IPropertyReferenceOperation property:
                UseProperty(property);
                break;
            case IFieldReferenceOperation field:
                UseField(field);
                break;
            case IEventReferenceOperation @event:
                if (_analysis.Matcher.MatchMember(@event.Event) is { } bannedEvent)
                {
                    Report(bannedEvent, Display.Member(@event.Event), operation);
                }

                break;
            case IArrayElementReferenceOperation element when IsStaticStorage(element.ArrayReference) && IsWrite(element):
                StaticWrite(element, "an element of " + Display.StorageName(element.ArrayReference), owner: null);
                break;
            case IBinaryOperation { OperatorMethod: { } binary }:
                UseMethod(binary, operation.Syntax.GetLocation(), instance: null);
                break;
            case IUnaryOperation { OperatorMethod: { } unary }:
                UseMethod(unary, operation.Syntax.GetLocation(), instance: null);
                break;
            case IIncrementOrDecrementOperation { OperatorMethod: { } increment }:
                UseMethod(increment, operation.Syntax.GetLocation(), instance: null);
                break;
            case ICompoundAssignmentOperation { OperatorMethod: { } compound }:
                UseMethod(compound, operation.Syntax.GetLocation(), instance: null);
                break;
            case IConversionOperation { OperatorMethod: { } conversion }:
                UseMethod(conversion, operation.Syntax.GetLocation(), instance: null);
                break;
            case IAwaitOperation await:
                CheckAwaited(await.Operation, await.Operation);
                break;
            case IForEachLoopOperation { IsAsynchronous: true } loop:
                CheckAwaited(loop.Collection, loop.Collection);
                break;
        }
    }

    private void UseMethod(IMethodSymbol method, Location site, IOperation? instance, bool virtualCall = true)
    {
        if (method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction)
        {
            return; // their bodies are part of this body's operations
        }

        var definition = Normalize(method);
        if (_analysis.Matcher.MatchMember(definition) is { } banned)
        {
            if (!IsBannedUse(instance, banned.Category))
            {
                _findings.Add(new Finding(banned.Category, Display.Member(definition), site, banned.Message));
            }

            return;
        }

        if (definition.IsStatic || definition.MethodKind == MethodKind.Constructor)
        {
            UseType(definition.ContainingType, site);
        }

        foreach (var target in TargetsOf(definition, instance, virtualCall))
        {
            if (_analysis.IsWalkable(target))
            {
                _edges.Add(new Edge(target, site));
            }
        }
    }

    /// <summary>
    /// The methods a call can run: the method itself for a non-virtual call; the override the
    /// receiver's exact type selects when it is known (a new object, a sealed class, a struct);
    /// otherwise every override and implementation in the compilation the receiver's static type
    /// admits (class-hierarchy analysis).
    /// </summary>
    private IEnumerable<IMethodSymbol> TargetsOf(IMethodSymbol definition, IOperation? instance, bool virtualCall)
    {
        var isInterfaceMember = definition.ContainingType.TypeKind == TypeKind.Interface;
        if (!virtualCall || !(definition.IsVirtual || definition.IsAbstract || definition.IsOverride || isInterfaceMember) ||
            instance?.Syntax is BaseExpressionSyntax)
        {
            return new[] { definition };
        }

        var receiver = instance is null ? null : Unwrap(instance);
        if (receiver is IObjectCreationOperation || receiver?.Type is { IsValueType: true } or INamedTypeSymbol { IsSealed: true })
        {
            return new[] { ResolveVirtual(definition, instance) };
        }

        var receiverType = receiver?.Type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Interface } named ? named : null;
        return _analysis.Dispatch.TargetsOf(definition, receiverType).Select(Normalize);
    }

    private void UseProperty(IPropertyReferenceOperation reference)
    {
        var property = reference.Property.OriginalDefinition;
        var writes = IsWrite(reference);
        var reads = !writes || reference.Parent is ICompoundAssignmentOperation or IIncrementOrDecrementOperation or ICoalesceAssignmentOperation;
        if (_analysis.Matcher.MatchMember(property) is { } banned)
        {
            if (!IsBannedUse(reference.Instance, banned.Category))
            {
                Report(banned, Display.Member(property), reference);
            }

            return;
        }

        if (writes && property.IsStatic)
        {
            StaticWrite(reference, "static property " + Display.Member(property), property.ContainingType);
        }
        else if (reads && _analysis.IsMutableStaticStorage(property))
        {
            StaticWrite(reference, "a read of mutable static property " + Display.Member(property), property.ContainingType);
        }
        else if (writes && property.IsIndexer && IsStaticStorage(reference.Instance))
        {
            StaticWrite(reference, "an element of " + Display.StorageName(reference.Instance!), owner: null);
        }
        else if (writes && IsStaticStorage(reference.Instance))
        {
            StaticWrite(reference, Display.Member(property) + " of " + Display.StorageName(reference.Instance!), owner: null);
        }

        var site = reference.Syntax.GetLocation();
        if (reads && property.GetMethod is { } getter)
        {
            UseMethod(getter, site, reference.Instance);
        }

        if (writes && property.SetMethod is { } setter)
        {
            UseMethod(setter, site, reference.Instance);
        }
    }

    private void UseField(IFieldReferenceOperation reference)
    {
        var field = reference.Field.OriginalDefinition;
        if (field.IsConst)
        {
            return;
        }

        if (_analysis.Matcher.MatchMember(field) is { } banned)
        {
            if (!IsBannedUse(reference.Instance, banned.Category))
            {
                Report(banned, Display.Member(field), reference);
            }

            return;
        }

        if (field.IsStatic)
        {
            UseType(field.ContainingType, reference.Syntax.GetLocation());
            if (IsWrite(reference))
            {
                StaticWrite(reference, "static field " + Display.Member(field), field.ContainingType);
            }
            else if (!field.IsReadOnly)
            {
                // Another message, instance or thread can change it between two reads.
                StaticWrite(reference, "a read of mutable static field " + Display.Member(field), field.ContainingType);
            }
        }
        else if (IsStaticStorage(reference.Instance) && IsWrite(reference))
        {
            StaticWrite(reference, Display.Member(field) + " of " + Display.StorageName(reference.Instance!), owner: null);
        }
    }

    private void UseType(INamedTypeSymbol type, Location site)
    {
        var definition = type.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(definition, _ownType) || !_typeInits.Add(definition))
        {
            return;
        }

        if (_analysis.HasWalkableStaticInitialization(definition))
        {
            _edges.Add(new Edge(definition, site));
        }
    }

    private void CheckAwaited(IOperation awaited, IOperation at)
    {
        var inner = Unwrap(awaited);
        if (inner is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
        {
            inner = Unwrap(configured);
        }

        switch (inner)
        {
            case IInvocationOperation invocation:
                var target = Normalize(invocation.TargetMethod);
                if (TargetsOf(target, invocation.Instance, invocation.IsVirtual).Any(_analysis.IsWalkable) ||
                    _analysis.Matcher.MatchMember(target) is not null ||
                    _analysis.IsRuntimeContext(target.ContainingType) ||
                    (_analysis.Known.IsTaskType(target.ContainingType) && target.IsStatic && target.Name.StartsWith("From", System.StringComparison.Ordinal)))
                {
                    return; // walked, already reported, the runtime's own context, or an already-completed task
                }

                Add(ImpurityCategory.Concurrency, "an await of " + Display.Member(target), at);
                return;
            case IPropertyReferenceOperation { Property.Name: "CompletedTask" } completed when _analysis.Known.IsTaskType(completed.Property.ContainingType):
            case IPropertyReferenceOperation { Property.GetMethod: { } getter } property when TargetsOf(getter.OriginalDefinition, property.Instance, virtualCall: true).Any(_analysis.IsWalkable):
            case IDefaultValueOperation:
            case IObjectCreationOperation creation when _analysis.Known.IsTaskType(creation.Type):
                return;
            default:
                Add(ImpurityCategory.Concurrency, "an await of " + (inner.Type is { } type ? "a " + Display.Member(type) + " value" : "a task"), at);
                return;
        }
    }

    private void StaticWrite(IOperation at, string what, INamedTypeSymbol? owner)
    {
        if (_initializing is not null && (owner is null || SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, _initializing)))
        {
            return; // a static constructor or initializer setting up its own type's statics
        }

        Add(ImpurityCategory.StaticState, what, at);
    }

    private void Report(BanEntry banned, string member, IOperation at) =>
        _findings.Add(new Finding(banned.Category, member, at.Syntax.GetLocation(), banned.Message));

    private void Add(ImpurityCategory category, string member, IOperation at) =>
        _findings.Add(new Finding(category, member, at.Syntax.GetLocation(), string.Empty));

    /// <summary>
    /// True when <paramref name="receiver"/> is itself a banned use of <paramref name="category"/>:
    /// <c>new FileInfo(p).Length</c> is one use of the file system, reported once at the creation.
    /// </summary>
    private bool IsBannedUse(IOperation? receiver, ImpurityCategory category)
    {
        ISymbol? used = receiver is null ? null : Unwrap(receiver) switch
        {
            IObjectCreationOperation creation => creation.Constructor,
            IInvocationOperation invocation => Normalize(invocation.TargetMethod),
            IPropertyReferenceOperation property => property.Property,
            IFieldReferenceOperation field => field.Field,
            _ => null,
        };
        return used is not null && _analysis.Matcher.MatchMember(used)?.Category == category;
    }

    private static IMethodSymbol Normalize(IMethodSymbol method)
    {
        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        return definition.PartialImplementationPart ?? definition;
    }

    /// <summary>The override that runs when the receiver's type is known: the most derived implementation visible from it.</summary>
    private static IMethodSymbol ResolveVirtual(IMethodSymbol method, IOperation? instance)
    {
        var isInterfaceMember = method.ContainingType.TypeKind == TypeKind.Interface;
        if (instance is null || !(method.IsVirtual || method.IsAbstract || method.IsOverride || isInterfaceMember))
        {
            return method;
        }

        if (Unwrap(instance).Type is not INamedTypeSymbol receiver || receiver.TypeKind == TypeKind.Interface)
        {
            return method;
        }

        if (isInterfaceMember)
        {
            return receiver.FindImplementationForInterfaceMember(method) is IMethodSymbol implementation
                ? Normalize(implementation)
                : method;
        }

        for (var type = receiver; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(method.Name))
            {
                if (member is IMethodSymbol candidate && Overrides(candidate, method))
                {
                    return Normalize(candidate);
                }
            }
        }

        return method;
    }

    private static bool Overrides(IMethodSymbol candidate, IMethodSymbol method)
    {
        for (var current = candidate; current is not null; current = current.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, method.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>True when <paramref name="operation"/> denotes state held in a static field or property.</summary>
    private static bool IsStaticStorage(IOperation? operation) => operation is not null && Unwrap(operation) switch
    {
        IFieldReferenceOperation { Field: { IsStatic: true, IsConst: false } } => true,
        IPropertyReferenceOperation { Property.IsStatic: true } => true,
        _ => false,
    };

    /// <summary>True for values whose "mutators" return a new value instead of changing this one.</summary>
    private bool IsUnchangeable(ITypeSymbol? type) =>
        Immutability.IsPersistentCollection(type) || _analysis.Immutability.IsImmutable(type);

    private static bool IsCollectionMutator(IMethodSymbol method) =>
        !method.IsStatic && s_collectionMutators.Contains(method.Name) &&
        method.ContainingNamespace?.ToDisplayString() is { } ns && ns.StartsWith("System.Collections", System.StringComparison.Ordinal);

    private static bool IsWrite(IOperation operation)
    {
        var current = operation;
        var parent = operation.Parent;
        while (parent is ITupleOperation)
        {
            current = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IAssignmentOperation assignment => assignment.Target == current,
            IIncrementOrDecrementOperation => true,
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
            _ => false,
        };
    }
}
