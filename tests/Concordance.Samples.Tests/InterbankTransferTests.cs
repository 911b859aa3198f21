using Bank;
using Bank.Testing;
using Xunit;

namespace Concordance.Samples.Tests;

/// <summary>The InterbankTransfer process (issue 5): reserve, then commit or release, then end.</summary>
public sealed class InterbankTransferTests
{
    private const string Account = "ABC123";
    private const string Customer = "CUSTBOB";
    private const string Wire = "WT-1";

    private static readonly WireTransferInitiated Initiated = new(Account, 2500m, "rent", Customer, Wire, "021000021", "987654321");
    private static readonly InterbankTransferScenario Transfer = InterbankTransferScenario.For<InterbankTransfer>();
    private static readonly InterbankTransferScenario Reserved = Transfer.Given(Initiated, new FundsReserved(Account, 2500m, Customer, Wire));

    [Fact]
    public void Given_a_wire_transfer_initiated_then_it_reserves_the_funds_and_is_requested()
    {
        Transfer.When(Initiated)
            .Then(new ReserveFunds(Account, 2500m, Customer, Wire))
            .ThenState(new InterbankTransferState(Account, Customer, 2500m, TransferStatus.Requested));
    }

    [Fact]
    public void Given_an_initiated_transfer_when_the_funds_are_reserved_then_it_sends_nothing_and_waits_for_the_network()
    {
        Transfer.Given(Initiated).When(new FundsReserved(Account, 2500m, Customer, Wire))
            .ThenNoCommands()
            .ThenState(new InterbankTransferState(Account, Customer, 2500m, TransferStatus.FundsReserved));
    }

    [Fact]
    public void Given_reserved_funds_when_the_wire_succeeds_then_it_commits_the_hold()
    {
        Reserved.When(new WireTransferSucceeded(Wire, "settled"))
            .Then(new CommitFunds(Account, Customer, Wire))
            .ThenState(new InterbankTransferState(Account, Customer, 2500m, TransferStatus.Completed));
    }

    [Fact]
    public void Given_reserved_funds_when_the_wire_fails_then_it_releases_the_hold()
    {
        Reserved.When(new WireTransferFailed(Wire, "routing number 000000000 declined"))
            .Then(new ReleaseFunds(Account, Customer, Wire))
            .ThenState(new InterbankTransferState(Account, Customer, 2500m, TransferStatus.Failed));
    }

    [Fact]
    public void Given_a_committed_transfer_when_the_funds_are_committed_then_the_process_ends()
    {
        Reserved.Given(new WireTransferSucceeded(Wire, null)).When(new FundsCommitted(Account, Customer, Wire))
            .ThenNoCommands()
            .ThenCompleted();
    }

    [Fact]
    public void Given_a_failed_transfer_when_the_funds_are_released_then_the_process_ends()
    {
        Reserved.Given(new WireTransferFailed(Wire, null)).When(new FundsReleased(Account, Customer, Wire))
            .ThenNoCommands()
            .ThenCompleted();
    }

    [Fact]
    public void Given_an_ended_transfer_when_the_network_answers_again_then_it_is_ignored()
    {
        Reserved.Given(new WireTransferSucceeded(Wire, null), new FundsCommitted(Account, Customer, Wire))
            .When(new WireTransferSucceeded(Wire, null))
            .ThenIgnored()
            .ThenNoCommands()
            .ThenCompleted();
    }

    [Fact]
    public void Given_no_initiated_transfer_when_the_network_answers_then_it_is_ignored()
    {
        Transfer.When(new WireTransferSucceeded(Wire, null)).ThenIgnored().ThenNoCommands();
    }

    [Fact]
    public void Given_two_transfers_then_each_runs_on_its_own_wire_transfer_id()
    {
        var second = Initiated with { WireTransferId = "WT-2", Amount = 1000m, TargetRoutingNumber = "000000000" };
        Transfer.Given(Initiated, second, new FundsReserved(Account, 2500m, Customer, Wire))
            .When(new WireTransferFailed("WT-2", null))
            .Then(new ReleaseFunds(Account, Customer, "WT-2"))
            .ThenState("WT-1", new InterbankTransferState(Account, Customer, 2500m, TransferStatus.FundsReserved))
            .ThenState("WT-2", new InterbankTransferState(Account, Customer, 1000m, TransferStatus.Failed));
    }

    [Fact]
    public void Given_the_whole_approved_transfer_then_it_sends_reserve_then_commit_and_ends()
    {
        Transfer.Given(Initiated, new FundsReserved(Account, 2500m, Customer, Wire), new WireTransferSucceeded(Wire, null), new FundsCommitted(Account, Customer, Wire))
            .Then(new ReserveFunds(Account, 2500m, Customer, Wire), new CommitFunds(Account, Customer, Wire))
            .ThenCompleted(Wire);
    }
}
