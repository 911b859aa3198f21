using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Concordance.Analyzers.Purity;

/// <summary>
/// The purity analysis of one compilation: which types are components, what each source body
/// does (memoised per method), and what each node reaches (memoised per node, cycles safe).
/// Thread-safe: component types are analyzed concurrently and share the caches.
/// </summary>
internal sealed partial class PurityAnalysis
{
    private const int CategoryCount = (int)ImpurityCategory.BannedByList + 1;

    // The pure kinds' generated bases; gateways may do I/O.
    private static readonly string[] s_componentBaseSuffixes =
        { Concordance.Schema.GeneratedNames.AggregateBaseSuffix, Concordance.Schema.GeneratedNames.ProjectorBaseSuffix, Concordance.Schema.GeneratedNames.ProcessManagerBaseSuffix };

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _components = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, BodyFacts> _facts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _vouched = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _staticInitialization = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IPropertySymbol, bool> _mutableStatics = new(SymbolEqualityComparer.Default);
    private readonly Lazy<DispatchIndex> _dispatch;

    public PurityAnalysis(Compilation compilation, KnownSymbols known, BannedSymbolMatcher matcher)
    {
        _compilation = compilation;
        Known = known;
        Matcher = matcher;
        _dispatch = new Lazy<DispatchIndex>(() => DispatchIndex.Build(compilation.Assembly, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
        Immutability = new Immutability(compilation);
    }

    /// <summary>The compilation's class hierarchy, built on the first virtual call the analysis meets.</summary>
    public DispatchIndex Dispatch => _dispatch.Value;

    /// <summary>Which types hold values no one can change.</summary>
    public Immutability Immutability { get; }

    public KnownSymbols Known { get; }

    public BannedSymbolMatcher Matcher { get; }

    /// <summary>
    /// True for a class deriving (at any depth) from a generated <c>…AggregateBase</c>,
    /// <c>…ProjectorBase</c> or <c>…ProcessManagerBase</c> that implements the matching runtime
    /// interface. Gateways never are.
    /// </summary>
    public bool IsComponent(INamedTypeSymbol type) =>
        _components.TryGetValue(type, out var known) ? known : _components.GetOrAdd(type, ComputeIsComponent(type));

    private bool ComputeIsComponent(INamedTypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Class || Implements(type, Known.Gateway))
        {
            return false;
        }

        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            var name = baseType.Name;
            if ((name.EndsWith(s_componentBaseSuffixes[0], StringComparison.Ordinal) && Implements(baseType, Known.Aggregate)) ||
                (name.EndsWith(s_componentBaseSuffixes[1], StringComparison.Ordinal) && Implements(baseType, Known.Projector)) ||
                (name.EndsWith(s_componentBaseSuffixes[2], StringComparison.Ordinal) && Implements(baseType, Known.ProcessManager)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Analyses the code of a member as the driver hands it over: a method, accessor, constructor or operator
    /// (bound by the compiler by now, in <paramref name="model"/>), or a field or property initializer. Members
    /// of components and the upcasts of old event versions are roots: every impurity reachable from them is
    /// reported. Of any other method, the analysis only notes where its bound body is.
    /// </summary>
    public void AnalyzeCodeBlock(ISymbol member, SemanticModel model, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        if (member is IMethodSymbol method)
        {
            NoteBound(method, model);
        }

        if (member.ContainingType is not { } type)
        {
            return;
        }

        if (IsComponent(type))
        {
            AnalyzeMember(type, member, report, cancellationToken);
        }
        else if (member is IMethodSymbol { Name: "Upcast", IsPartialDefinition: false } candidate && UpcastOf(type) is { } upcast &&
            SymbolEqualityComparer.Default.Equals(candidate, upcast))
        {
            AnalyzeUpcast(upcast, report, cancellationToken);
        }
    }

    /// <summary>
    /// Reports every impurity reachable from <paramref name="member"/>, a member of <paramref name="component"/>:
    /// a method, an accessor, a constructor, or a field or property with an initializer. A partial method is
    /// analysed once, with its implementation.
    /// </summary>
    private void AnalyzeMember(INamedTypeSymbol component, ISymbol member, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        switch (member)
        {
            case IMethodSymbol { IsPartialDefinition: true }:
                return; // the attributes of a partial method's declaration; the implementation's blocks bring the body
            case IMethodSymbol method:
                var root = method.PartialDefinitionPart ?? method;
                if (root.IsImplicitlyDeclared || IsVouched(root))
                {
                    return;
                }

                var initializing = root.MethodKind == MethodKind.StaticConstructor ? component : null;
                var scanner = new BodyScanner(this, component, initializing);
                foreach (var body in BodiesOf(root, cancellationToken))
                {
                    scanner.Scan(body);
                }

                Report(root, scanner.ToFacts(), report, cancellationToken);
                break;
            case IFieldSymbol or IPropertySymbol when !IsVouched(member):
                var initializer = InitializerOf(member, cancellationToken);
                if (initializer is not null)
                {
                    var initializerScanner = new BodyScanner(this, component, member.IsStatic ? component : null);
                    initializerScanner.Scan(initializer);
                    Report(member, initializerScanner.ToFacts(), report, cancellationToken);
                }

                break;
        }
    }

    /// <summary>
    /// The <c>Upcast()</c> of an old event version (<c>{Event}V{n}</c>): a partial method the
    /// generator declares on a record implementing the runtime's event interface and the user
    /// implements. Null for any other type.
    /// </summary>
    public IMethodSymbol? UpcastOf(INamedTypeSymbol type)
    {
        if (!type.IsRecord || !Implements(type, Known.Event))
        {
            return null;
        }

        foreach (var member in type.GetMembers("Upcast"))
        {
            if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, PartialImplementationPart: { } implementation })
            {
                return implementation;
            }
        }

        return null;
    }

    /// <summary>Reports every impurity reachable from an upcast, as for a component's handler.</summary>
    private void AnalyzeUpcast(IMethodSymbol upcast, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        if (IsVouched(upcast) || (upcast.PartialDefinitionPart is { } definition && IsVouched(definition)))
        {
            return;
        }

        var scanner = new BodyScanner(this, upcast.ContainingType, initializing: null);
        foreach (var body in BodiesOf(upcast, cancellationToken))
        {
            scanner.Scan(body);
        }

        Report(upcast, scanner.ToFacts(), report, cancellationToken);
    }

    /// <summary>True when <paramref name="method"/> has a body in this compilation that the analysis may enter.</summary>
    public bool IsWalkable(IMethodSymbol? method)
    {
        if (method is null || method.IsAbstract || method.IsExtern || !IsInSource(method.ContainingType) || IsVouched(method))
        {
            return false;
        }

        // Implicit instance constructors still run field initializers and the base constructor.
        return method.MethodKind == MethodKind.Constructor || method.DeclaringSyntaxReferences.Length > 0;
    }

    /// <summary>True when <paramref name="type"/> is a source type with a static constructor or static initializers.</summary>
    public bool HasWalkableStaticInitialization(INamedTypeSymbol type)
    {
        if (_staticInitialization.TryGetValue(type, out var cached))
        {
            return cached;
        }

        var walkable = IsInSource(type) && !IsVouched(type) &&
            (type.StaticConstructors.Any(c => !c.IsImplicitlyDeclared) ||
             type.GetMembers().Any(m => m.IsStatic && m is IFieldSymbol { IsConst: false } or IPropertySymbol && HasInitializer(m)));
        return _staticInitialization.GetOrAdd(type, walkable);
    }

    /// <summary>
    /// True for a static property whose value can be replaced: an auto-property of this
    /// compilation with a setter, or another assembly's static property with an accessible setter.
    /// Properties with a body are walked instead: their getter's reads are judged on their own.
    /// </summary>
    public bool IsMutableStaticStorage(IPropertySymbol property)
    {
        if (!property.IsStatic || property.SetMethod is not { IsInitOnly: false } setter)
        {
            return false;
        }

        if (!IsInSource(property.ContainingType))
        {
            return setter.DeclaredAccessibility == Accessibility.Public;
        }

        return _mutableStatics.GetOrAdd(property, p => p.ContainingType.GetMembers().Any(m =>
            m is IFieldSymbol { IsReadOnly: false } field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, p)));
    }

    /// <summary>True for the runtime's own contexts (ProjectionContext and its subclasses), which may be awaited.</summary>
    public bool IsRuntimeContext(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, Known.ProjectionContext))
            {
                return true;
            }
        }

        return false;
    }

    private void Report(ISymbol root, BodyFacts facts, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        if (facts.Findings.IsEmpty && facts.Edges.IsEmpty)
        {
            return;
        }

        var rootName = Display.Root(root);
        var seen = new HashSet<(string, Location)>();
        foreach (var finding in facts.Findings)
        {
            var descriptor = PurityDescriptors.For(finding.Category);
            if (seen.Add((descriptor.Id, finding.Site)))
            {
                report(Diagnostic.Create(descriptor, finding.Site, rootName, finding.Member, string.Empty, finding.Message));
            }
        }

        foreach (var edge in facts.Edges)
        {
            if (edge.Target is IMethodSymbol { ContainingType: { } owner } && IsComponent(owner))
            {
                continue; // a component's own members are roots themselves and report their own findings
            }

            var reachable = CategoriesReachedFrom(edge.Target, cancellationToken);
            for (var category = 0; reachable != 0 && category < CategoryCount; category++)
            {
                var descriptor = PurityDescriptors.For((ImpurityCategory)category);
                if ((reachable & (1 << category)) == 0 || seen.Contains((descriptor.Id, edge.Site)) ||
                    ShortestChain(edge.Target, (ImpurityCategory)category, cancellationToken) is not { } reached)
                {
                    continue;
                }

                var finding = reached.Finding;
                seen.Add((descriptor.Id, edge.Site));
                report(Diagnostic.Create(descriptor, edge.Site, new[] { finding.Site }, rootName, finding.Member, Display.Path(reached.Chain), finding.Message));
            }
        }
    }

    private BodyFacts FactsOf(ISymbol node, CancellationToken cancellationToken)
    {
        if (_facts.TryGetValue(node, out var known))
        {
            return known;
        }

        BodyFacts facts;
        if (node is INamedTypeSymbol type)
        {
            var scanner = new BodyScanner(this, type, initializing: type);
            foreach (var member in type.GetMembers())
            {
                if (member.IsStatic && member is IFieldSymbol or IPropertySymbol)
                {
                    scanner.Scan(InitializerOf(member, cancellationToken));
                }
                else if (member is IMethodSymbol { MethodKind: MethodKind.StaticConstructor } staticConstructor)
                {
                    foreach (var body in BodiesOf(staticConstructor, cancellationToken))
                    {
                        scanner.Scan(body);
                    }
                }
            }

            facts = scanner.ToFacts();
        }
        else
        {
            var method = (IMethodSymbol)node;
            var scanner = new BodyScanner(this, method.ContainingType, initializing: null);
            foreach (var body in BodiesOf(method, cancellationToken))
            {
                scanner.Scan(body);
            }

            if (method.MethodKind == MethodKind.Constructor)
            {
                ScanConstructorExtras(method, scanner, cancellationToken);
            }

            facts = scanner.ToFacts();
        }

        return _facts.GetOrAdd(node, facts);
    }

    /// <summary>What a constructor runs besides its body: instance initializers and an implicit base constructor call.</summary>
    private void ScanConstructorExtras(IMethodSymbol constructor, BodyScanner scanner, CancellationToken cancellationToken)
    {
        var chainsToThis = false;
        var callsBaseExplicitly = false;
        foreach (var reference in constructor.DeclaringSyntaxReferences)
        {
            switch (reference.GetSyntax(cancellationToken))
            {
                case ConstructorDeclarationSyntax { Initializer: { } initializer }:
                    chainsToThis |= initializer.ThisOrBaseKeyword.ValueText == "this";
                    callsBaseExplicitly = true;
                    break;
                case TypeDeclarationSyntax { BaseList: { } baseList } when baseList.Types.Any(t => t is PrimaryConstructorBaseTypeSyntax):
                    callsBaseExplicitly = true;
                    break;
            }
        }

        var type = constructor.ContainingType;
        if (chainsToThis)
        {
            return;
        }

        foreach (var member in type.GetMembers())
        {
            if (!member.IsStatic && member is IFieldSymbol or IPropertySymbol)
            {
                scanner.Scan(InitializerOf(member, cancellationToken));
            }
        }

        if (!callsBaseExplicitly && type.BaseType is { } baseType)
        {
            var baseConstructor = baseType.InstanceConstructors.FirstOrDefault(c => c.Parameters.All(p => p.IsOptional || p.IsParams));
            var site = constructor.Locations.FirstOrDefault() ?? Location.None;
            if (baseConstructor is not null)
            {
                scanner.UseImplicitCall(baseConstructor, site);
            }
        }
    }

    private IEnumerable<IOperation> BodiesOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var implementation = method.PartialImplementationPart ?? method;
        foreach (var reference in implementation.DeclaringSyntaxReferences)
        {
            if (!_compilation.ContainsSyntaxTree(reference.SyntaxTree))
            {
                continue;
            }

            var syntax = reference.GetSyntax(cancellationToken);
            var model = BodyModelOf(implementation, reference.SyntaxTree);
            switch (syntax)
            {
                case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or ArrowExpressionClauseSyntax:
                    if (model.GetOperation(syntax, cancellationToken) is { } body)
                    {
                        yield return body;
                    }

                    break;
                case TypeDeclarationSyntax { BaseList: { } baseList }:
                    // A primary constructor: what runs is the base constructor call with its arguments.
                    foreach (var baseType in baseList.Types.OfType<PrimaryConstructorBaseTypeSyntax>())
                    {
                        if (model.GetOperation(baseType, cancellationToken) is { } baseCall)
                        {
                            yield return baseCall;
                        }
                        else
                        {
                            foreach (var argument in baseType.ArgumentList.Arguments)
                            {
                                if (model.GetOperation(argument.Expression, cancellationToken) is { } value)
                                {
                                    yield return value;
                                }
                            }
                        }
                    }

                    break;
            }
        }
    }

    private IOperation? InitializerOf(ISymbol member, CancellationToken cancellationToken)
    {
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            if (!_compilation.ContainsSyntaxTree(reference.SyntaxTree))
            {
                continue;
            }

            var initializer = reference.GetSyntax(cancellationToken) switch
            {
                VariableDeclaratorSyntax declarator => declarator.Initializer,
                PropertyDeclarationSyntax property => property.Initializer,
                _ => null,
            };
            if (initializer is not null)
            {
                return UnboundModelOf(reference.SyntaxTree).GetOperation(initializer, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="member"/> is declared with an initializer in this compilation (read from the syntax, nothing bound).</summary>
    private bool HasInitializer(ISymbol member)
    {
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            if (_compilation.ContainsSyntaxTree(reference.SyntaxTree) &&
                reference.GetSyntax() is VariableDeclaratorSyntax { Initializer: not null } or PropertyDeclarationSyntax { Initializer: not null })
            {
                return true;
            }
        }

        return false;
    }

    private bool IsInSource(INamedTypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _compilation.Assembly);

    /// <summary>True when the member, its property or event, or a containing type carries [AssumePure("reason")].</summary>
    private bool IsVouched(ISymbol symbol)
    {
        if (_vouched.TryGetValue(symbol, out var cached))
        {
            return cached;
        }

        var vouched = HasAssumePure(symbol) ||
            (symbol is IMethodSymbol { AssociatedSymbol: { } associated } && HasAssumePure(associated)) ||
            (symbol.ContainingType is { } containing && IsVouched(containing));
        return _vouched.GetOrAdd(symbol, vouched);
    }

    private static bool HasAssumePure(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.Name is "AssumePureAttribute" or "AssumePure")
            {
                return true;
            }
        }

        return false;
    }

    private static bool Implements(INamedTypeSymbol type, INamedTypeSymbol? @interface) =>
        @interface is not null && type.AllInterfaces.Contains(@interface, SymbolEqualityComparer.Default);
}
