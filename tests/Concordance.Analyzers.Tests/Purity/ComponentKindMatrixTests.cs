using Xunit;
using static Concordance.Analyzers.Tests.Purity.ReachMatrixTests;

namespace Concordance.Analyzers.Tests.Purity;

/// <summary>
/// Every impurity category in every kind of pure code the schema asks for (an aggregate's
/// decision and evolution, a projector, a process manager, an event upcast), directly and behind
/// an interface call, compiled with the bases the generator emits for the test schema.
/// </summary>
public sealed class ComponentKindMatrixTests
{
    private const string Pricing = """
        public interface IPricing { decimal Fee(decimal amount); }
        public sealed class FlatPricing : IPricing { public decimal Fee(decimal amount) => 1m; }
        public sealed class AuditedPricing : IPricing { public decimal Fee(decimal amount) { $IMPURE$ return 1m; } }
        public static class PricingCatalog { public static readonly IPricing Default = new FlatPricing(); }
        """;

    /// <summary>Kinds of pure code; <c>$BODY$</c> is where the statement under test goes, before the return.</summary>
    public static readonly (string Name, string Code, string Root)[] Kinds =
    {
        ("an aggregate's Handle", Aggregate("$BODY$"), "BankAccount.Handle(WithdrawFunds, BankAccountState)"),
        ("an aggregate's Apply", """
            public sealed class BankAccount : BankAccountAggregateBase
            {
                public override WithdrawFundsDecision Handle(WithdrawFunds command, BankAccountState? state) => new FundsWithdrawn(command.AccountNumber, command.Amount);

                public override BankAccountState? Apply(FundsWithdrawn @event, BankAccountState? state)
                {
                    $BODY$
                    return new BankAccountState((state?.Balance ?? 0m) - @event.Amount);
                }
            }
            """, "BankAccount.Apply(FundsWithdrawn, BankAccountState)"),
        ("a projector's Handle", Projector("$BODY$"), "AccountLedger.Handle(FundsWithdrawn, ProjectionContext)"),
        ("a process manager's Handle", ProcessManager("$BODY$"), "Transfer.Handle(FundsWithdrawn, TransferState)"),
        ("an event upcast", """
            namespace Bank
            {
                public sealed partial record AccountOpenedV1
                {
                    public partial AccountOpened Upcast()
                    {
                        $BODY$
                        return new AccountOpened(AccountNumber, "EUR");
                    }
                }
            }
            """, "AccountOpenedV1.Upcast()"),
    };

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var kind in Kinds)
        {
            foreach (var impurity in Impurities)
            {
                data.Add(kind.Name, impurity.Id, false);
                data.Add(kind.Name, impurity.Id, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Given_an_impurity_in_a_kind_of_pure_code_when_analyzed_then_it_is_reported_once_naming_the_root(string kindName, string id, bool behindInterface)
    {
        var kind = Kinds.Single(k => k.Name == kindName);
        var statement = Impurities.Single(i => i.Id == id).Statement;
        var marked = statement.Replace("[[", "{|" + id + ":").Replace("]]", "|}");
        var plain = statement.Replace("[[", "").Replace("]]", "");
        var source = behindInterface
            ? kind.Code.Replace("$BODY$", "IPricing pricing = PricingCatalog.Default; var fee = {|" + id + ":pricing.Fee(1m)|};") + "\n" + Pricing.Replace("$IMPURE$", plain)
            : kind.Code.Replace("$BODY$", marked);

        var diagnostic = Assert.Single(await PurityHarness.VerifyAsync(source + "\n" + SupportTypes, BannedList));

        Assert.StartsWith(kind.Root + " reaches ", diagnostic.GetMessage(), StringComparison.Ordinal);
        if (behindInterface)
        {
            Assert.True(diagnostic.GetMessage().Contains(" through AuditedPricing.Fee: ", StringComparison.Ordinal), diagnostic.GetMessage());
            Assert.Single(diagnostic.AdditionalLocations);
        }
    }

    [Fact]
    public async Task Given_an_upcast_reaching_the_clock_through_a_helper_when_analyzed_then_the_call_in_the_upcast_is_reported_with_the_chain()
    {
        var source = PurityHarness.Usings + """
            namespace Bank
            {
                public sealed partial record AccountOpenedV1
                {
                    public partial AccountOpened Upcast() => new AccountOpened(AccountNumber, Currencies.Guess());
                }
            }
            public static class Currencies { public static string Guess() => DateTime.Now.Month > 6 ? "EUR" : "USD"; }
            """;

        var diagnostic = Assert.Single(await PurityHarness.RunAsync(new[] { ("Test0.cs", source) }));

        Assert.Equal("CC1002", diagnostic.Id);
        Assert.Equal("AccountOpenedV1.Upcast() reaches System.DateTime.Now through Currencies.Guess: take the time from the command or event metadata", diagnostic.GetMessage());
        Assert.Equal("Currencies.Guess()", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public Task Given_an_upcast_vouched_for_with_AssumePure_when_analyzed_then_it_is_not_reported() =>
        PurityHarness.VerifyAsync("""
            namespace Bank
            {
                public sealed partial record AccountOpenedV1
                {
                    [AssumePure("The default currency is read once at build time.")]
                    public partial AccountOpened Upcast() => new AccountOpened(AccountNumber, Environment.GetEnvironmentVariable("CURRENCY") ?? "EUR");
                }
            }
            """);

    [Fact]
    public Task Given_a_pure_upcast_using_immutable_data_when_analyzed_then_nothing_is_reported() =>
        PurityHarness.VerifyAsync("""
            namespace Bank
            {
                public sealed partial record AccountOpenedV1
                {
                    private static readonly System.Collections.Immutable.ImmutableDictionary<string, string> s_currencies =
                        System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("NL", "EUR").Add("US", "USD");

                    public partial AccountOpened Upcast() =>
                        new AccountOpened(AccountNumber, s_currencies.TryGetValue(AccountNumber[..2], out var currency) ? currency : "EUR");
                }
            }
            """);
}
