namespace Bench;

/// <summary>The benchmark's aggregate: the bank account's rules, written against the generated base.</summary>
public sealed class Account : AccountAggregateBase
{
    public override OpenAccountDecision Handle(OpenAccount command, AccountState? state) =>
        state is not null ? Reject("account exists")
        : command.InitialBalance < command.MinBalance ? Reject("initial balance below the minimum")
        : new AccountOpened(command.AccountNumber, command.InitialBalance, command.MinBalance, command.CustomerId);

    public override DepositFundsDecision Handle(DepositFunds command, AccountState? state) =>
        state is null ? Reject("no such account")
        : command.Amount <= 0 ? Reject("amount must be positive")
        : new FundsDeposited(command.AccountNumber, command.Amount, command.Note, command.CustomerId);

    public override WithdrawFundsDecision Handle(WithdrawFunds command, AccountState? state) =>
        state is null ? Reject("no such account")
        : Available(state) - command.Amount < state.MinBalance ? Reject("below the minimum balance")
        : new FundsWithdrawn(command.AccountNumber, command.Amount, command.Note, command.CustomerId);

    public override WireFundsDecision Handle(WireFunds command, AccountState? state) =>
        state is null ? Reject("no such account")
        : Available(state) - command.Amount < state.MinBalance ? Reject("below the minimum balance")
        : new WireTransferInitiated(command.AccountNumber, command.Amount, command.Note, command.CustomerId,
            command.WireTransferId, command.TargetRoutingNumber, command.TargetAccountNumber);

    public override ReserveFundsDecision Handle(ReserveFunds command, AccountState? state) =>
        state is null ? Reject("no such account")
        : state.ReservedFunds.ContainsKey(command.WireTransferId) ? Reject("already reserved")
        : Available(state) - command.Amount < state.MinBalance ? Reject("below the minimum balance")
        : new FundsReserved(command.AccountNumber, command.Amount, command.CustomerId, command.WireTransferId);

    public override ReleaseFundsDecision Handle(ReleaseFunds command, AccountState? state) =>
        state is null || !state.ReservedFunds.ContainsKey(command.WireTransferId) ? Reject("no such hold")
        : new FundsReleased(command.AccountNumber, command.CustomerId, command.WireTransferId);

    public override CommitFundsDecision Handle(CommitFunds command, AccountState? state) =>
        state is null || !state.ReservedFunds.ContainsKey(command.WireTransferId) ? Reject("no such hold")
        : new FundsCommitted(command.AccountNumber, command.CustomerId, command.WireTransferId);

    public override AccountState? Apply(AccountOpened @event, AccountState? state) =>
        new(@event.InitialBalance, @event.MinBalance, @event.CustomerId, new Dictionary<string, decimal>());

    public override AccountState? Apply(FundsDeposited @event, AccountState? state) => state! with { Balance = state.Balance + @event.Amount };

    public override AccountState? Apply(FundsWithdrawn @event, AccountState? state) => state! with { Balance = state.Balance - @event.Amount };

    public override AccountState? Apply(WireTransferInitiated @event, AccountState? state) => state;

    public override AccountState? Apply(FundsReserved @event, AccountState? state) =>
        state! with { ReservedFunds = new Dictionary<string, decimal>(state.ReservedFunds) { [@event.WireTransferId] = @event.Amount } };

    public override AccountState? Apply(FundsReleased @event, AccountState? state)
    {
        var holds = new Dictionary<string, decimal>(state!.ReservedFunds);
        holds.Remove(@event.WireTransferId);
        return state with { ReservedFunds = holds };
    }

    public override AccountState? Apply(FundsCommitted @event, AccountState? state)
    {
        var holds = new Dictionary<string, decimal>(state!.ReservedFunds);
        holds.Remove(@event.WireTransferId, out var amount);
        return state with { Balance = state.Balance - amount, ReservedFunds = holds };
    }

    private static decimal Available(AccountState state)
    {
        var held = 0m;
        foreach (var amount in state.ReservedFunds.Values) held += amount;
        return state.Balance - held;
    }
}
