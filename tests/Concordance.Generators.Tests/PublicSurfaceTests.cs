using System.ComponentModel;
using Microsoft.CodeAnalysis;
using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

/// <summary>
/// What the generated code shows a user: every generated type marked <c>[GeneratedCode("Concordance", version)]</c>,
/// plumbing (converters, decision and outcome internals) hidden from IntelliSense, and what users type visible.
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly string GeneratorVersion = typeof(ConcordanceGenerator).Assembly.GetName().Version!.ToString();

    [Fact]
    public void Given_every_sample_schema_when_generated_then_every_generated_type_carries_GeneratedCode_with_the_generator_version()
    {
        var types = GeneratedTypes(EverySchema());

        Assert.True(types.Count > 50, $"only {types.Count} generated types found");
        var unmarked = types.Where(t => GeneratedCode(t) is not ["Concordance", var version] || (string?)version != GeneratorVersion).Select(t => t.ToDisplayString()).ToList();
        Assert.True(unmarked.Count == 0, "without [GeneratedCode(\"Concordance\", \"" + GeneratorVersion + "\")]: " + string.Join(", ", unmarked));
    }

    [Fact]
    public void Given_every_sample_schema_when_generated_then_converters_and_decision_and_outcome_internals_are_not_browsable()
    {
        var types = GeneratedTypes(EverySchema());
        var plumbing = new List<ISymbol>();
        plumbing.AddRange(types.Where(t => t.Name.EndsWith("JsonConverter", StringComparison.Ordinal)));
        foreach (var type in types.Where(t => t.Name.EndsWith("Decision", StringComparison.Ordinal) || t.Name.EndsWith("Outcome", StringComparison.Ordinal)))
        {
            plumbing.AddRange(type.GetMembers().Where(m => m.Name is "ToDecision" or "ToOutcome"));
            plumbing.AddRange(type.GetMembers("op_Implicit").OfType<IMethodSymbol>().Where(m => m.ReturnType.ContainingNamespace.ToDisplayString() == "Concordance"));
            plumbing.AddRange(type.GetTypeMembers("Event").Concat(type.GetTypeMembers("Command")));
            plumbing.AddRange(type.GetTypeMembers().SelectMany(nested => nested.GetMembers("Value")));
        }

        Assert.Contains(plumbing, s => s.Name == "ToDecision");
        Assert.Contains(plumbing, s => s.Name == "ToOutcome");
        Assert.Contains(plumbing, s => s.Name == "BankAccountStateJsonConverter");
        var browsable = plumbing.Where(s => !IsHidden(s)).Select(s => s.ToDisplayString()).ToList();
        Assert.True(browsable.Count == 0, "browsable plumbing: " + string.Join(", ", browsable));
    }

    [Fact]
    public void Given_the_Bank_schema_when_generated_then_what_users_call_is_public_and_browsable()
    {
        var types = GeneratedTypes([("/schemas/Bank.concordance", ReadSchema("Bank"))]).Where(t => t.ContainingType is null).ToDictionary(t => t.Name);

        var used = new ISymbol[]
        {
            types["CreateAccount"], types["AccountCreated"], types["TransferStatus"], types["BankAccountState"],
            types["BankAccountAggregateBase"], types["AccountLedgerProjectorBase"], types["InterbankTransferProcessManagerBase"], types["WireNetworkGatewayBase"],
            types["CreateAccountDecision"], types["CreateAccountDecision"].GetMembers("Emit").Single(), types["BankAccountAggregateBase"].GetMembers("Reject").Single(),
            types["InterbankTransferOutcome"], types["InterbankTransferOutcome"].GetMembers("Continue").Single(), types["InterbankTransferOutcome"].GetMembers("Complete").Single(),
            types["BankSchema"], types["BankSchema"].GetMembers("MessageTypes").Single(),
            types["WireNetworkGatewayContext"], types["WireNetworkGatewayContext"].GetMembers("EmitAsync")[0], types["WireNetworkGatewayContext"].GetMembers("EmitAsync")[1],
            types["WireNetworkGatewayContext"].GetMembers(".ctor").Single(),
        };

        var hidden = used.Where(s => IsHidden(s) || s.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected)).Select(s => s.ToDisplayString()).ToList();
        Assert.True(hidden.Count == 0, "hidden or not public: " + string.Join(", ", hidden));
    }

    private static IEnumerable<(string, string)> EverySchema() =>
        Directory.GetFiles(SchemasDirectory, "*.concordance").Select(p => ($"/schemas/{Path.GetFileName(p)}", File.ReadAllText(p)));

    /// <summary>Every type, nested ones too, declared in a generated file.</summary>
    private static List<INamedTypeSymbol> GeneratedTypes(IEnumerable<(string, string)> schemas)
    {
        var (_, result, output) = Run(schemas, []);
        Assert.Empty(GeneratorFailures(result));
        var generatedTrees = result.GeneratedTrees.ToHashSet();
        var types = new List<INamedTypeSymbol>();
        void Visit(INamespaceOrTypeSymbol container)
        {
            foreach (var member in container.GetMembers())
            {
                if (member is INamespaceSymbol ns) Visit(ns);
                else if (member is INamedTypeSymbol type && type.DeclaringSyntaxReferences.Any(r => generatedTrees.Contains(r.SyntaxTree)))
                {
                    types.Add(type);
                    Visit(type);
                }
            }
        }
        Visit(output.Assembly.GlobalNamespace);
        return types;
    }

    private static object?[]? GeneratedCode(ISymbol symbol) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute")
            ?.ConstructorArguments.Select(a => a.Value).ToArray();

    private static bool IsHidden(ISymbol symbol) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.ComponentModel.EditorBrowsableAttribute"
            && a.ConstructorArguments.Single().Value is int state && state == (int)EditorBrowsableState.Never);
}
