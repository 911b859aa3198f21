using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Concordance.Analyzers.Purity;

/// <summary>How roots, chain links and impure members are named in messages.</summary>
internal static class Display
{
    private static readonly SymbolDisplayFormat s_qualified = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    private static readonly SymbolDisplayFormat s_short = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeExplicitInterface,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    private static readonly SymbolDisplayFormat s_root = s_short
        .AddMemberOptions(SymbolDisplayMemberOptions.IncludeParameters)
        .AddParameterOptions(SymbolDisplayParameterOptions.IncludeType);

    /// <summary>An impure member, fully qualified: <c>System.IO.File.WriteAllText</c>, <c>new System.Random</c>.</summary>
    public static string Member(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } constructor => "new " + constructor.ContainingType.ToDisplayString(s_qualified),
        IMethodSymbol { AssociatedSymbol: IPropertySymbol or IEventSymbol } accessor => Member(accessor.AssociatedSymbol!),
        _ => symbol.ToDisplayString(s_qualified),
    };

    /// <summary>A link of a call chain: <c>Audit.Log</c>, <c>new Writer</c>, <c>Writer static initialization</c>.</summary>
    public static string Link(ISymbol node) => node switch
    {
        INamedTypeSymbol type => type.ToDisplayString(s_short) + " static initialization",
        IMethodSymbol { MethodKind: MethodKind.Constructor } constructor => "new " + constructor.ContainingType.ToDisplayString(s_short),
        IMethodSymbol { MethodKind: MethodKind.StaticConstructor } staticConstructor => staticConstructor.ContainingType.ToDisplayString(s_short) + " static initialization",
        IMethodSymbol { MethodKind: MethodKind.PropertyGet, AssociatedSymbol: { } property } => property.ToDisplayString(s_short),
        IMethodSymbol { MethodKind: MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove } accessor => accessor.ToDisplayString(s_short),
        _ => node.ToDisplayString(s_short),
    };

    /// <summary>The root member a diagnostic names: <c>BankAccount.Handle(WithdrawFunds, BankAccountState)</c>.</summary>
    public static string Root(ISymbol member) => member switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } constructor =>
            "new " + constructor.ToDisplayString(s_root).Substring(constructor.ContainingType.ToDisplayString(s_short).Length + 1),
        IMethodSymbol { MethodKind: MethodKind.StaticConstructor } staticConstructor => staticConstructor.ContainingType.ToDisplayString(s_short) + " static constructor",
        IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet, AssociatedSymbol: IPropertySymbol { IsIndexer: false } } accessor => accessor.ToDisplayString(s_short),
        IMethodSymbol => member.ToDisplayString(s_root),
        IFieldSymbol or IPropertySymbol => member.ToDisplayString(s_short) + " initializer",
        _ => member.ToDisplayString(s_short),
    };

    /// <summary>" through A → B" for a chain, or nothing for a direct use.</summary>
    public static string Path(ImmutableArray<ISymbol> chain) =>
        chain.IsDefaultOrEmpty ? string.Empty : " through " + string.Join(" → ", chain.Select(Link));

    /// <summary>The static field or property holding some state, for messages.</summary>
    public static string StorageName(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation switch
        {
            IFieldReferenceOperation field => "static field " + Member(field.Field.OriginalDefinition),
            IPropertyReferenceOperation property => "static property " + Member(property.Property.OriginalDefinition),
            _ => "static state",
        };
    }
}
