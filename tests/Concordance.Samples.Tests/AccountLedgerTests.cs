using Bank;
using Bank.Testing;
using Xunit;

namespace Concordance.Samples.Tests;

/// <summary>The AccountLedger projector (issue 5): per account, balance, available, holds and ledger lines.</summary>
public sealed class AccountLedgerTests
{
    private const string Account = "ABC123";
    private const string Customer = "CUSTBOB";

    private static readonly AccountLedgerScenario Ledger = AccountLedgerScenario.For<AccountLedger>();
    private static readonly AccountCreated Created = new(Account, 4000m, 100m, Customer);

    [Fact]
    public void Given_an_account_created_then_its_view_has_the_opening_line()
    {
        Ledger.Given(Created)
            .ThenReadModel(Account, new AccountView(Account, 4000m, 4000m, [], [new LedgerLine("opened", 4000m, 4000m)]));
    }

    [Fact]
    public void Given_deposits_and_a_withdrawal_then_each_is_a_line_with_the_balance_after()
    {
        Ledger.Given(Created, new FundsDeposited(Account, 3000m, null, Customer), new FundsDeposited(Account, 1000m, null, Customer), new FundsWithdrawn(Account, 2000m, null, Customer))
            .ThenReadModel(Account, new AccountView(Account, 6000m, 6000m, [],
            [
                new LedgerLine("opened", 4000m, 4000m),
                new LedgerLine("deposit", 3000m, 7000m),
                new LedgerLine("deposit", 1000m, 8000m),
                new LedgerLine("withdrawal", 2000m, 6000m),
            ]));
    }

    [Fact]
    public void Given_a_hold_then_the_balance_stays_the_available_funds_drop_and_the_hold_is_listed()
    {
        Ledger.Given(Created, new FundsReserved(Account, 2500m, Customer, "WT-1"))
            .ThenReadModel(Account, new AccountView(Account, 4000m, 1500m, new() { ["WT-1"] = 2500m },
                [new LedgerLine("opened", 4000m, 4000m), new LedgerLine("hold", 2500m, 4000m)]));
    }

    [Fact]
    public void Given_a_committed_hold_then_a_wire_out_line_debits_the_balance_and_the_hold_goes()
    {
        Ledger.Given(Created, new FundsReserved(Account, 2500m, Customer, "WT-1"), new FundsCommitted(Account, Customer, "WT-1"))
            .ThenReadModel(Account, new AccountView(Account, 1500m, 1500m, [],
                [new LedgerLine("opened", 4000m, 4000m), new LedgerLine("hold", 2500m, 4000m), new LedgerLine("wire out", 2500m, 1500m)]));
    }

    [Fact]
    public void Given_a_released_hold_then_a_release_line_restores_the_available_funds()
    {
        Ledger.Given(Created, new FundsReserved(Account, 1000m, Customer, "WT-2"), new FundsReleased(Account, Customer, "WT-2"))
            .ThenReadModel(Account, new AccountView(Account, 4000m, 4000m, [],
                [new LedgerLine("opened", 4000m, 4000m), new LedgerLine("hold", 1000m, 4000m), new LedgerLine("release", 1000m, 4000m)]));
    }

    [Fact]
    public void Given_two_accounts_then_each_has_its_own_view_and_an_unknown_account_has_none()
    {
        Ledger.Given(Created, new AccountCreated("XYZ789", 50m, 0m, "CUSTANN"), new FundsDeposited("XYZ789", 25m, null, "CUSTANN"))
            .ThenReadModel<AccountView>(Account, view => Assert.Equal(4000m, view.Balance))
            .ThenReadModel<AccountView>("XYZ789", view => Assert.Equal(75m, view.Balance))
            .ThenNoReadModel("NOPE");
    }

    [Fact]
    public void Given_the_whole_story_then_the_ledger_ends_at_3500_with_every_line()
    {
        Ledger.Given(
                Created,
                new FundsDeposited(Account, 3000m, null, Customer),
                new FundsDeposited(Account, 1000m, null, Customer),
                new FundsWithdrawn(Account, 2000m, null, Customer),
                // The story's WireTransferInitiated events are not the ledger's: its scenario does not take them.
                new FundsReserved(Account, 2500m, Customer, "WT-1"),
                new FundsCommitted(Account, Customer, "WT-1"),
                new FundsReserved(Account, 1000m, Customer, "WT-2"),
                new FundsReleased(Account, Customer, "WT-2"))
            .ThenReadModel(Account, new AccountView(Account, 3500m, 3500m, [],
            [
                new LedgerLine("opened", 4000m, 4000m),
                new LedgerLine("deposit", 3000m, 7000m),
                new LedgerLine("deposit", 1000m, 8000m),
                new LedgerLine("withdrawal", 2000m, 6000m),
                new LedgerLine("hold", 2500m, 6000m),
                new LedgerLine("wire out", 2500m, 3500m),
                new LedgerLine("hold", 1000m, 3500m),
                new LedgerLine("release", 1000m, 3500m),
            ]));
    }
}
