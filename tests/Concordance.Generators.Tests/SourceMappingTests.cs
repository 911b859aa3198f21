using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

/// <summary>
/// Generated declarations map to the schema names that declared them (<c>#line</c>): Go to Definition on a generated
/// symbol and an error inside generated code land in the <c>.concordance</c> file; plumbing and user code are not mapped.
/// </summary>
public sealed class SourceMappingTests
{
    private const string BankPath = "/schemas/Bank.concordance";
    private const string NotificationsPath = "/schemas/Notifications.concordance";

    private static readonly string BankSchema = ReadSchema("Bank");
    private static readonly string NotificationsSchema = ReadSchema("Notifications");

    private static readonly Lazy<Compilation> Generated = new(() =>
        Run([(BankPath, BankSchema), (NotificationsPath, NotificationsSchema)], []).Output);

    /// <summary>Where <paramref name="token"/> is written inside the first <paramref name="context"/> of <paramref name="schema"/>, zero-based.</summary>
    private static (string Path, Microsoft.CodeAnalysis.Text.LinePositionSpan Span) SchemaSpan(string path, string schema, string context, string token)
    {
        var at = schema.IndexOf(context, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{context}' is not in {path}");
        var start = schema.IndexOf(token, at, StringComparison.Ordinal);
        var text = Microsoft.CodeAnalysis.Text.SourceText.From(schema);
        return (path, text.Lines.GetLinePositionSpan(new Microsoft.CodeAnalysis.Text.TextSpan(start, token.Length)));
    }

    /// <summary>Where <paramref name="location"/> lands after <c>#line</c> mapping.</summary>
    private static (string Path, Microsoft.CodeAnalysis.Text.LinePositionSpan Span) Mapped(Location location)
    {
        var mapped = location.GetMappedLineSpan();
        return (mapped.Path, mapped.Span);
    }

    private static INamedTypeSymbol Type(string metadataName) =>
        Generated.Value.GetTypeByMetadataName(metadataName) ?? throw new Xunit.Sdk.XunitException($"{metadataName} was not generated");

    private static ISymbol Handler(string type, string method, string parameterType) =>
        Type(type).GetMembers(method).OfType<IMethodSymbol>().Single(m => m.Parameters[0].Type.Name == parameterType);

    public static TheoryData<string, string, string> BankSymbols => new()
    {
        // symbol, the schema text around it, the name it maps to
        { "command CreateAccount", "command CreateAccount", "CreateAccount" },
        { "property WithdrawFunds.Amount", "command WithdrawFunds { accountNumber: string, amount", "amount" },
        { "property WireFunds.TargetAccountNumber (second line of the command)", "targetAccountNumber", "targetAccountNumber" },
        { "event AccountCreated", "event AccountCreated", "AccountCreated" },
        { "enum member TransferStatus.Completed", "Completed", "Completed" },
        { "BankAccountState", "aggregate BankAccount", "BankAccount" },
        { "BankAccountState.ReservedFunds", "reservedFunds", "reservedFunds" },
        { "BankAccountAggregateBase", "aggregate BankAccount", "BankAccount" },
        { "Handle(WithdrawFunds)", "handle WithdrawFunds", "WithdrawFunds" },
        { "Apply(FundsReserved)", "handle ReserveFunds  -> FundsReserved", "FundsReserved" },
        { "WithdrawFundsDecision", "handle WithdrawFunds", "WithdrawFunds" },
        { "AccountLedger Handle(FundsWithdrawn)", "on AccountCreated, FundsDeposited, FundsWithdrawn", "FundsWithdrawn" },
        { "InterbankTransferProcessManagerBase", "process InterbankTransfer", "InterbankTransfer" },
        { "InterbankTransfer Handle(FundsCommitted)", "end on FundsCommitted", "FundsCommitted" },
        { "InterbankTransferOutcome", "process InterbankTransfer", "InterbankTransfer" },
        { "WireNetworkGatewayContext", "gateway WireNetwork", "WireNetwork" },
        { "WireNetworkGatewayContext.EmitAsync(WireTransferFailed)", "emit WireTransferSucceeded, WireTransferFailed", "WireTransferFailed" },
        { "WireNetworkGatewayBase HandleAsync(FundsReserved)", "gateway WireNetwork {\n    on FundsReserved", "FundsReserved" },
    };

    private static ISymbol BankSymbol(string name) => name switch
    {
        "command CreateAccount" => Type("Bank.CreateAccount"),
        "property WithdrawFunds.Amount" => Type("Bank.WithdrawFunds").GetMembers("Amount").OfType<IPropertySymbol>().Single(),
        "property WireFunds.TargetAccountNumber (second line of the command)" => Type("Bank.WireFunds").GetMembers("TargetAccountNumber").OfType<IPropertySymbol>().Single(),
        "event AccountCreated" => Type("Bank.AccountCreated"),
        "enum member TransferStatus.Completed" => Type("Bank.TransferStatus").GetMembers("Completed").Single(),
        "BankAccountState" => Type("Bank.BankAccountState"),
        "BankAccountState.ReservedFunds" => Type("Bank.BankAccountState").GetMembers("ReservedFunds").OfType<IPropertySymbol>().Single(),
        "BankAccountAggregateBase" => Type("Bank.BankAccountAggregateBase"),
        "Handle(WithdrawFunds)" => Handler("Bank.BankAccountAggregateBase", "Handle", "WithdrawFunds"),
        "Apply(FundsReserved)" => Handler("Bank.BankAccountAggregateBase", "Apply", "FundsReserved"),
        "WithdrawFundsDecision" => Type("Bank.WithdrawFundsDecision"),
        "AccountLedger Handle(FundsWithdrawn)" => Handler("Bank.AccountLedgerProjectorBase", "Handle", "FundsWithdrawn"),
        "InterbankTransferProcessManagerBase" => Type("Bank.InterbankTransferProcessManagerBase"),
        "InterbankTransfer Handle(FundsCommitted)" => Handler("Bank.InterbankTransferProcessManagerBase", "Handle", "FundsCommitted"),
        "InterbankTransferOutcome" => Type("Bank.InterbankTransferOutcome"),
        "WireNetworkGatewayContext" => Type("Bank.WireNetworkGatewayContext"),
        "WireNetworkGatewayContext.EmitAsync(WireTransferFailed)" => Handler("Bank.WireNetworkGatewayContext", "EmitAsync", "WireTransferFailed"),
        "WireNetworkGatewayBase HandleAsync(FundsReserved)" => Handler("Bank.WireNetworkGatewayBase", "HandleAsync", "FundsReserved"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(BankSymbols))]
    public void Given_the_Bank_schema_when_generated_then_the_symbol_maps_to_the_schema_name_that_declared_it(string symbol, string context, string token)
    {
        var mapped = BankSymbol(symbol).Locations[0].GetMappedLineSpan();

        Assert.True(mapped.HasMappedPath, $"{symbol} is not mapped");
        Assert.Equal(SchemaSpan(BankPath, BankSchema, context, token), (mapped.Path, mapped.Span));
    }

    [Fact]
    public void Given_a_gateway_that_sends_when_generated_then_its_context_and_SendAsync_map_to_the_gateway_and_its_send_clause()
    {
        var context = Type("Samples.Notifications.MailerGatewayContext");
        var send = context.GetMembers("SendAsync").OfType<IMethodSymbol>().Single();

        Assert.Equal(SchemaSpan(NotificationsPath, NotificationsSchema, "gateway Mailer", "Mailer"), Mapped(context.Locations[0]));
        Assert.Equal(SchemaSpan(NotificationsPath, NotificationsSchema, "send Notify", "Notify"), Mapped(send.Locations[0]));
        Assert.Equal(SchemaSpan(NotificationsPath, NotificationsSchema, "command SignUp { userId", "userId"),
            Mapped(Type("Samples.Notifications.SignUp").GetMembers("UserId").Single().Locations[0]));
    }

    [Fact]
    public void Given_the_generated_plumbing_when_located_then_it_stays_in_the_generated_file()
    {
        var aggregate = Type("Bank.BankAccountAggregateBase");
        var plumbing = new ISymbol[]
        {
            aggregate.GetMembers().OfType<IMethodSymbol>().Single(m => m.Name.EndsWith(".Decide", StringComparison.Ordinal)),
            aggregate.GetMembers("Reject").Single(),
            Type("Bank.CreateAccountJsonConverter"),
        };

        Assert.All(plumbing, symbol =>
        {
            var mapped = symbol.Locations[0].GetMappedLineSpan();
            Assert.False(mapped.HasMappedPath, $"{symbol} maps to {mapped}");
            Assert.EndsWith(".g.cs", mapped.Path, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Given_user_code_that_calls_a_generated_constructor_wrongly_when_compiled_then_the_error_points_at_the_user_code()
    {
        const string user = """
            namespace Shop;
            /// <summary>Opens accounts.</summary>
            public static class Opener
            {
                /// <summary>Opens one.</summary>
                /// <returns>The command.</returns>
                public static global::Bank.CreateAccount Open() => new global::Bank.CreateAccount("A-1", 10m);
            }
            """;

        var (_, _, output) = Run([(BankPath, BankSchema)], [user]);

        var error = Assert.Single(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CS7036", error.Id);
        var mapped = error.Location.GetMappedLineSpan();
        Assert.False(mapped.HasMappedPath);
        Assert.Equal("/src/Source0.cs", mapped.Path);
        Assert.Equal(6, mapped.StartLinePosition.Line);
    }

    [Fact]
    public void Given_a_user_partial_that_redeclares_a_schema_field_when_compiled_then_the_error_in_generated_code_points_at_the_schema_field()
    {
        // The user's property replaces the positional one, so the generated parameter goes unread (CS8907): an error in
        // generated code, reported where the schema declares the field.
        const string user = """
            namespace Bank;
            public sealed partial record DepositFunds
            {
                /// <summary>A second Amount.</summary>
                public decimal Amount => 0m;
            }
            """;

        var (_, _, output) = Run([(BankPath, BankSchema)], [user]);

        var duplicate = Assert.Single(output.GetDiagnostics(), d => d.Id == "CS8907");
        Assert.Equal(SchemaSpan(BankPath, BankSchema, "command DepositFunds  { accountNumber: string, amount", "amount"), Mapped(duplicate.Location));
    }

    [Fact]
    public void Given_a_build_without_PathMap_when_generated_then_line_directives_name_the_schema_by_its_full_path()
    {
        var (_, result, _) = Run([("/home/ann/shop/Shop.concordance", "namespace Shop;\ncommand OpenCart { cartId: string }\n")], []);

        var open = GeneratorHarness.Generated(result).Single(f => f.HintName.EndsWith(".OpenCart.g.cs", StringComparison.Ordinal)).Text;
        Assert.Contains("#line (2,9)-(2,16) 30 \"/home/ann/shop/Shop.concordance\"", open, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_schema_name_past_the_columns_a_line_directive_takes_when_compiled_then_it_stays_unmapped_and_the_rest_maps()
    {
        var schema = "namespace Wide;\ncommand Wide { first: int," + new string(' ', 70_000) + "late: int }\n";

        var (_, result, output) = Run([("/schemas/Wide.concordance", schema)], []);

        Assert.Empty(GeneratorFailures(result));
        var problems = Problems(output);
        Assert.True(problems.Count == 0, Describe(problems));
        var wide = output.GetTypeByMetadataName("Wide.Wide")!;
        Assert.Equal("/schemas/Wide.concordance", wide.GetMembers("First").Single().Locations[0].GetMappedLineSpan().Path);
        Assert.False(wide.GetMembers("Late").Single().Locations[0].GetMappedLineSpan().HasMappedPath);
    }

    [Theory]
    [InlineData("/work/a/Shop/Shop.concordance", "/root/.nuget/packages/=/_1/,/work/a/Shop/=/_/,", "/_/Shop.concordance")]
    [InlineData("/work/a/Shop/Domain/Shop.concordance", "/work/a/Shop/=/_/", "/_/Domain/Shop.concordance")]
    [InlineData(@"C:\src\Shop\Shop.concordance", @"C:\src\Shop\=/_/", "/_/Shop.concordance")]
    [InlineData("/work/a/Shop/Shop.concordance", "/elsewhere/=/_/", "/work/a/Shop/Shop.concordance")]
    [InlineData("/work/a=b/Shop.concordance", "/work/a==b/=/_/", "/_/Shop.concordance")]
    [InlineData("/work/\"quoted\"/Shop.concordance", null, null)]
    public void Given_a_schema_path_and_a_PathMap_when_mapped_then_the_line_path_is_what_the_compiler_writes_for_its_own_sources(string path, string? pathMap, string? expected)
    {
        Assert.Equal(expected, LinePath.For(path, pathMap));
    }
}
