using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Concordance.Analyzers.Schema;
using Concordance.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Concordance.Analyzers.Wiring;

/// <summary>
/// Checks that every schema component has exactly one implementation, by <see cref="ComponentRule"/> (the rule
/// <c>AddGeneratedComponents()</c> registers by): a class deriving, directly or through abstract classes, from its
/// generated base, that generated code can register. None is CC2001, reported at the component in the schema file;
/// two or more is CC2002, at each class; a class deriving from the base that cannot be registered (private, generic,
/// file-local) is CC2003, at that class.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ComponentImplementationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ComponentNotImplemented, DiagnosticDescriptors.ComponentImplementedTwice, DiagnosticDescriptors.ComponentNotRegistrable);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var components = FindComponents(context.Compilation, context.Options, context.CancellationToken);
        if (components.Count == 0) return;

        var implementations = new ConcurrentDictionary<INamedTypeSymbol, ConcurrentBag<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        context.RegisterSymbolAction(symbolContext =>
        {
            if (symbolContext.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false } type) return;
            if (ComponentRule.ComponentBase(type, components.ContainsKey) is not { } @base) return;
            if (ComponentRule.WhyNotRegistrable(type) is { } reason)
            {
                symbolContext.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ComponentNotRegistrable, IdentifierLocation(type),
                    type.ToDisplayString(), @base.ToDisplayString(), reason));
                return;
            }
            implementations.GetOrAdd(@base, _ => new ConcurrentBag<INamedTypeSymbol>()).Add(type);
        }, SymbolKind.NamedType);

        context.RegisterCompilationEndAction(endContext =>
        {
            foreach (var pair in components)
            {
                var component = pair.Value;
                var found = implementations.TryGetValue(pair.Key, out var bag)
                    ? bag.Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default)
                        .OrderBy(t => t.ToDisplayString(), System.StringComparer.Ordinal).ToList()
                    : new List<INamedTypeSymbol>();
                if (found.Count == 0)
                {
                    endContext.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.ComponentNotImplemented, component.Location,
                        component.KindTitle, component.Name, component.BaseTypeName));
                }
                else if (found.Count > 1)
                {
                    ReportEachImplementation(endContext, component, found);
                }
            }
        });
    }

    private static void ReportEachImplementation(CompilationAnalysisContext context, SchemaComponent component, List<INamedTypeSymbol> found)
    {
        foreach (var type in found)
        {
            var others = found.Where(t => !SymbolEqualityComparer.Default.Equals(t, type)).ToList();
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.ComponentImplementedTwice,
                IdentifierLocation(type),
                others.Select(IdentifierLocation),
                component.KindTitle, component.Name, type.ToDisplayString(),
                string.Join(", ", others.Select(t => $"'{t.ToDisplayString()}'")),
                component.BaseTypeName));
        }
    }

    /// <summary>The class's name in its first declaration (a symbol's locations are its identifiers).</summary>
    private static Location IdentifierLocation(INamedTypeSymbol type) =>
        type.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;

    /// <summary>
    /// Every component of every schema file, keyed by its generated base class. A component whose
    /// base is not in the compilation (the generator did not run, or the schema is too broken to
    /// generate it) is left to the schema diagnostics: asking for a class deriving from a type that
    /// does not exist would not help.
    /// </summary>
    private static Dictionary<INamedTypeSymbol, SchemaComponent> FindComponents(
        Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var components = new Dictionary<INamedTypeSymbol, SchemaComponent>(SymbolEqualityComparer.Default);
        foreach (var file in options.AdditionalFiles)
        {
            if (!SchemaFiles.IsSchema(file)) continue;
            var text = file.GetText(cancellationToken);
            if (text is null) continue;
            var schema = ParsedSchemas.Get(text, file.Path);
            foreach (var component in SchemaComponent.In(schema, text))
            {
                var baseType = compilation.GetTypeByMetadataName(component.BaseTypeName);
                // First declaration wins: a duplicate is already CC0003 in the schema.
                if (baseType is not null && !components.ContainsKey(baseType)) components.Add(baseType, component);
            }
        }
        return components;
    }
}
