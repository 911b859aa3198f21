using Bank;
using Bank.Testing;
using Xunit;

namespace Concordance.Samples.Tests;

/// <summary>The bank account's rules (issue 5), accepted and rejected paths, with exact events and reasons.</summary>
public sealed class BankAccountRulesTests
{
    private const string Account = "ABC123";
    private const string Customer = "CUSTBOB";

    private static readonly BankAccountScenario NoAccount = BankAccountScenario.For<BankAccount>();

    /// <summary>Balance 4000, minimum 100, no holds.</summary>
    private static readonly BankAccountScenario Opened = NoAccount.Given(new AccountCreated(Account, 4000m, 100m, Customer));

    /// <summary>Balance 4000, minimum 100, a hold of 2500 for WT-1 (available 1500).</summary>
    private static readonly BankAccountScenario WithHold = Opened.Given(new FundsReserved(Account, 2500m, Customer, "WT-1"));

    private static BankAccountState State(decimal balance, params (string Id, decimal Amount)[] holds) =>
        new(balance, 100m, Customer, holds.ToDictionary(h => h.Id, h => h.Amount));

    // ---------------------------------------------------------------- CreateAccount

    [Fact]
    public void Given_no_account_when_creating_it_then_AccountCreated_with_the_given_fields()
    {
        NoAccount.When(new CreateAccount(Account, 4000m, 100m, Customer))
            .ThenEvents(new AccountCreated(Account, 4000m, 100m, Customer))
            .ThenState(State(4000m));
    }

    [Fact]
    public void Given_no_account_when_creating_it_with_the_initial_balance_at_the_minimum_then_it_is_accepted()
    {
        NoAccount.When(new CreateAccount(Account, 100m, 100m, Customer)).ThenEvents(new AccountCreated(Account, 100m, 100m, Customer));
    }

    [Fact]
    public void Given_an_account_when_creating_it_again_then_rejected_because_it_exists()
    {
        Opened.When(new CreateAccount(Account, 10m, 0m, Customer)).ThenRejected("account ABC123 already exists");
    }

    [Fact]
    public void Given_no_account_when_creating_it_with_a_negative_minimum_then_rejected_with_the_number()
    {
        NoAccount.When(new CreateAccount(Account, 10m, -1m, Customer)).ThenRejected("minimum balance -1 is negative");
    }

    [Fact]
    public void Given_no_account_when_creating_it_below_its_minimum_then_rejected_with_both_numbers()
    {
        NoAccount.When(new CreateAccount(Account, 50m, 100m, Customer)).ThenRejected("initial balance 50 is below the minimum balance 100");
    }

    // ---------------------------------------------------------------- DepositFunds

    [Fact]
    public void Given_an_account_when_depositing_then_FundsDeposited_and_the_balance_grows()
    {
        Opened.When(new DepositFunds(Account, 3000m, "salary", Customer))
            .ThenEvents(new FundsDeposited(Account, 3000m, "salary", Customer))
            .ThenState(State(7000m));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Given_an_account_when_depositing_a_non_positive_amount_then_rejected(int amount)
    {
        Opened.When(new DepositFunds(Account, amount, null, Customer)).ThenRejected($"amount {amount} must be greater than zero");
    }

    [Fact]
    public void Given_no_account_when_depositing_then_rejected_because_it_does_not_exist()
    {
        NoAccount.When(new DepositFunds(Account, 10m, null, Customer)).ThenRejected("account ABC123 does not exist");
    }

    // ---------------------------------------------------------------- WithdrawFunds

    [Fact]
    public void Given_an_account_when_withdrawing_within_the_available_funds_then_FundsWithdrawn_and_the_balance_drops()
    {
        Opened.When(new WithdrawFunds(Account, 2000m, "rent", Customer))
            .ThenEvents(new FundsWithdrawn(Account, 2000m, "rent", Customer))
            .ThenState(State(2000m));
    }

    [Fact]
    public void Given_an_account_when_withdrawing_down_to_exactly_the_minimum_then_accepted()
    {
        Opened.When(new WithdrawFunds(Account, 3900m, null, Customer)).ThenEvents(new FundsWithdrawn(Account, 3900m, null, Customer));
    }

    [Fact]
    public void Given_the_story_balance_of_6000_when_withdrawing_6000_then_rejected_as_it_would_leave_0_below_100()
    {
        Opened.Given(new FundsDeposited(Account, 3000m, null, Customer), new FundsDeposited(Account, 1000m, null, Customer), new FundsWithdrawn(Account, 2000m, null, Customer))
            .When(new WithdrawFunds(Account, 6000m, null, Customer))
            .ThenRejected("cannot withdraw 6000: available 6000 would leave 0, below the minimum balance 100");
    }

    [Fact]
    public void Given_a_hold_when_withdrawing_more_than_the_available_funds_allow_then_rejected_counting_the_hold()
    {
        WithHold.When(new WithdrawFunds(Account, 1401m, null, Customer))
            .ThenRejected("cannot withdraw 1401: available 1500 would leave 99, below the minimum balance 100");
        WithHold.When(new WithdrawFunds(Account, 1400m, null, Customer)).ThenEvents(new FundsWithdrawn(Account, 1400m, null, Customer));
    }

    [Fact]
    public void Given_an_account_when_withdrawing_a_non_positive_amount_then_rejected()
    {
        Opened.When(new WithdrawFunds(Account, 0m, null, Customer)).ThenRejected("amount 0 must be greater than zero");
    }

    [Fact]
    public void Given_no_account_when_withdrawing_then_rejected_because_it_does_not_exist()
    {
        NoAccount.When(new WithdrawFunds(Account, 10m, null, Customer)).ThenRejected("account ABC123 does not exist");
    }

    // ---------------------------------------------------------------- WireFunds

    [Fact]
    public void Given_an_account_when_wiring_then_WireTransferInitiated_from_this_account_to_the_target_as_given()
    {
        Opened.When(new WireFunds(Account, 2500m, "rent", Customer, "WT-1", "021000021", "987654321"))
            .ThenEvents(new WireTransferInitiated(Account, 2500m, "rent", Customer, "WT-1", "021000021", "987654321"))
            .ThenState(State(4000m));
    }

    [Fact]
    public void Given_an_account_when_wiring_below_the_minimum_then_rejected_with_the_numbers()
    {
        Opened.When(new WireFunds(Account, 3901m, null, Customer, "WT-1", "021000021", "987654321"))
            .ThenRejected("cannot wire 3901: available 4000 would leave 99, below the minimum balance 100");
    }

    [Fact]
    public void Given_a_hold_when_wiring_more_than_the_available_funds_allow_then_rejected_counting_the_hold()
    {
        WithHold.When(new WireFunds(Account, 1500m, null, Customer, "WT-2", "021000021", "987654321"))
            .ThenRejected("cannot wire 1500: available 1500 would leave 0, below the minimum balance 100");
    }

    [Fact]
    public void Given_an_account_when_wiring_a_non_positive_amount_then_rejected()
    {
        Opened.When(new WireFunds(Account, -1m, null, Customer, "WT-1", "021000021", "987654321")).ThenRejected("amount -1 must be greater than zero");
    }

    [Fact]
    public void Given_no_account_when_wiring_then_rejected_because_it_does_not_exist()
    {
        NoAccount.When(new WireFunds(Account, 1m, null, Customer, "WT-1", "021000021", "987654321")).ThenRejected("account ABC123 does not exist");
    }

    // ---------------------------------------------------------------- ReserveFunds

    [Fact]
    public void Given_an_account_when_reserving_then_FundsReserved_and_a_hold_keyed_by_the_wire_transfer()
    {
        Opened.When(new ReserveFunds(Account, 2500m, Customer, "WT-1"))
            .ThenEvents(new FundsReserved(Account, 2500m, Customer, "WT-1"))
            .ThenState(State(4000m, ("WT-1", 2500m)));
    }

    [Fact]
    public void Given_a_hold_when_reserving_again_for_the_same_wire_transfer_then_rejected_as_a_duplicate()
    {
        WithHold.When(new ReserveFunds(Account, 10m, Customer, "WT-1")).ThenRejected("funds for wire transfer WT-1 are already reserved");
    }

    [Fact]
    public void Given_a_hold_when_reserving_for_another_wire_transfer_within_the_available_funds_then_both_holds_are_kept()
    {
        WithHold.When(new ReserveFunds(Account, 1400m, Customer, "WT-2"))
            .ThenEvents(new FundsReserved(Account, 1400m, Customer, "WT-2"))
            .ThenState(State(4000m, ("WT-1", 2500m), ("WT-2", 1400m)));
    }

    [Fact]
    public void Given_a_hold_when_reserving_below_the_minimum_then_rejected_with_the_numbers()
    {
        WithHold.When(new ReserveFunds(Account, 1450m, Customer, "WT-2"))
            .ThenRejected("cannot reserve 1450: available 1500 would leave 50, below the minimum balance 100");
    }

    [Fact]
    public void Given_an_account_when_reserving_a_non_positive_amount_then_rejected()
    {
        Opened.When(new ReserveFunds(Account, 0m, Customer, "WT-1")).ThenRejected("amount 0 must be greater than zero");
    }

    [Fact]
    public void Given_no_account_when_reserving_then_rejected_because_it_does_not_exist()
    {
        NoAccount.When(new ReserveFunds(Account, 1m, Customer, "WT-1")).ThenRejected("account ABC123 does not exist");
    }

    // ---------------------------------------------------------------- ReleaseFunds

    [Fact]
    public void Given_a_hold_when_releasing_it_then_FundsReleased_the_hold_goes_and_the_balance_stays()
    {
        WithHold.When(new ReleaseFunds(Account, Customer, "WT-1"))
            .ThenEvents(new FundsReleased(Account, Customer, "WT-1"))
            .ThenState(State(4000m));
    }

    [Fact]
    public void Given_no_such_hold_when_releasing_then_rejected_naming_the_wire_transfer()
    {
        WithHold.When(new ReleaseFunds(Account, Customer, "WT-9")).ThenRejected("account ABC123 holds no funds for wire transfer WT-9");
    }

    [Fact]
    public void Given_a_released_hold_when_releasing_it_again_then_rejected()
    {
        WithHold.Given(new FundsReleased(Account, Customer, "WT-1"))
            .When(new ReleaseFunds(Account, Customer, "WT-1"))
            .ThenRejected("holds no funds for wire transfer WT-1");
    }

    [Fact]
    public void Given_no_account_when_releasing_then_rejected_because_it_does_not_exist()
    {
        NoAccount.When(new ReleaseFunds(Account, Customer, "WT-1")).ThenRejected("account ABC123 does not exist");
    }

    // ---------------------------------------------------------------- CommitFunds

    [Fact]
    public void Given_a_hold_when_committing_it_then_FundsCommitted_the_hold_goes_and_the_balance_is_debited()
    {
        WithHold.When(new CommitFunds(Account, Customer, "WT-1"))
            .ThenEvents(new FundsCommitted(Account, Customer, "WT-1"))
            .ThenState(State(1500m));
    }

    [Fact]
    public void Given_no_such_hold_when_committing_then_rejected_naming_the_wire_transfer()
    {
        Opened.When(new CommitFunds(Account, Customer, "WT-1")).ThenRejected("account ABC123 holds no funds for wire transfer WT-1");
    }

    [Fact]
    public void Given_a_committed_hold_when_committing_it_again_then_rejected_and_nothing_is_debited_twice()
    {
        WithHold.Given(new FundsCommitted(Account, Customer, "WT-1"))
            .When(new CommitFunds(Account, Customer, "WT-1"))
            .ThenRejected("holds no funds for wire transfer WT-1")
            .ThenState(State(1500m));
    }

    [Fact]
    public void Given_no_account_when_committing_then_rejected_because_it_does_not_exist()
    {
        NoAccount.When(new CommitFunds(Account, Customer, "WT-1")).ThenRejected("account ABC123 does not exist");
    }

    // ---------------------------------------------------------------- the story's account

    [Fact]
    public void Given_the_whole_story_then_the_account_ends_at_3500_with_no_holds()
    {
        Opened.Given(
                new FundsDeposited(Account, 3000m, null, Customer),
                new FundsDeposited(Account, 1000m, null, Customer),
                new FundsWithdrawn(Account, 2000m, null, Customer),
                new WireTransferInitiated(Account, 2500m, null, Customer, "WT-1", "021000021", "987654321"),
                new FundsReserved(Account, 2500m, Customer, "WT-1"),
                new FundsCommitted(Account, Customer, "WT-1"),
                new WireTransferInitiated(Account, 1000m, null, Customer, "WT-2", "000000000", "987654321"),
                new FundsReserved(Account, 1000m, Customer, "WT-2"),
                new FundsReleased(Account, Customer, "WT-2"))
            .ThenState(State(3500m));
    }
}
