using System.Globalization;
using Concordance;

namespace Bank;

/// <summary>
/// A bank account: balance, a minimum balance it may never go below, and holds placed on funds
/// by wire transfers in flight. Available funds are the balance less every hold.
/// </summary>
public sealed class BankAccount : BankAccountAggregateBase
{
    /// <inheritdoc />
    public override CreateAccountDecision Handle(CreateAccount command, BankAccountState? state)
    {
        if (state is not null) return Reject($"account {command.AccountNumber} already exists");
        if (command.MinBalance < 0) return Reject($"minimum balance {Money(command.MinBalance)} is negative");
        if (command.InitialBalance < command.MinBalance)
            return Reject($"initial balance {Money(command.InitialBalance)} is below the minimum balance {Money(command.MinBalance)}");
        return new AccountCreated(command.AccountNumber, command.InitialBalance, command.MinBalance, command.CustomerId);
    }

    /// <inheritdoc />
    public override DepositFundsDecision Handle(DepositFunds command, BankAccountState? state)
    {
        if (Invalid(command.AccountNumber, command.Amount, state) is { } reason) return Reject(reason);
        return new FundsDeposited(command.AccountNumber, command.Amount, command.Note, command.CustomerId);
    }

    /// <inheritdoc />
    public override WithdrawFundsDecision Handle(WithdrawFunds command, BankAccountState? state)
    {
        if ((Invalid(command.AccountNumber, command.Amount, state) ?? Uncovered("withdraw", command.Amount, state!)) is { } reason) return Reject(reason);
        return new FundsWithdrawn(command.AccountNumber, command.Amount, command.Note, command.CustomerId);
    }

    /// <inheritdoc />
    public override WireFundsDecision Handle(WireFunds command, BankAccountState? state)
    {
        if ((Invalid(command.AccountNumber, command.Amount, state) ?? Uncovered("wire", command.Amount, state!)) is { } reason) return Reject(reason);
        return new WireTransferInitiated(command.AccountNumber, command.Amount, command.Note, command.CustomerId,
            command.WireTransferId, command.TargetRoutingNumber, command.TargetAccountNumber);
    }

    /// <inheritdoc />
    public override ReserveFundsDecision Handle(ReserveFunds command, BankAccountState? state)
    {
        if ((Invalid(command.AccountNumber, command.Amount, state) ?? Uncovered("reserve", command.Amount, state!)) is { } reason) return Reject(reason);
        if (state!.ReservedFunds.ContainsKey(command.WireTransferId))
            return Reject($"funds for wire transfer {command.WireTransferId} are already reserved");
        return new FundsReserved(command.AccountNumber, command.Amount, command.CustomerId, command.WireTransferId);
    }

    /// <inheritdoc />
    public override ReleaseFundsDecision Handle(ReleaseFunds command, BankAccountState? state)
    {
        if (NoHold(command.AccountNumber, command.WireTransferId, state) is { } reason) return Reject(reason);
        return new FundsReleased(command.AccountNumber, command.CustomerId, command.WireTransferId);
    }

    /// <inheritdoc />
    public override CommitFundsDecision Handle(CommitFunds command, BankAccountState? state)
    {
        if (NoHold(command.AccountNumber, command.WireTransferId, state) is { } reason) return Reject(reason);
        return new FundsCommitted(command.AccountNumber, command.CustomerId, command.WireTransferId);
    }

    /// <inheritdoc />
    public override BankAccountState? Apply(AccountCreated @event, BankAccountState? state) =>
        new(@event.InitialBalance, @event.MinBalance, @event.CustomerId, new Dictionary<string, decimal>());

    /// <inheritdoc />
    public override BankAccountState? Apply(FundsDeposited @event, BankAccountState? state) =>
        state! with { Balance = state.Balance + @event.Amount };

    /// <inheritdoc />
    public override BankAccountState? Apply(FundsWithdrawn @event, BankAccountState? state) =>
        state! with { Balance = state.Balance - @event.Amount };

    /// <inheritdoc />
    public override BankAccountState? Apply(WireTransferInitiated @event, BankAccountState? state) => state;

    /// <inheritdoc />
    public override BankAccountState? Apply(FundsReserved @event, BankAccountState? state) =>
        state! with { ReservedFunds = new Dictionary<string, decimal>(state.ReservedFunds) { [@event.WireTransferId] = @event.Amount } };

    /// <inheritdoc />
    public override BankAccountState? Apply(FundsReleased @event, BankAccountState? state) =>
        state! with { ReservedFunds = Without(state.ReservedFunds, @event.WireTransferId) };

    /// <inheritdoc />
    public override BankAccountState? Apply(FundsCommitted @event, BankAccountState? state) =>
        state! with
        {
            Balance = state.Balance - state.ReservedFunds[@event.WireTransferId],
            ReservedFunds = Without(state.ReservedFunds, @event.WireTransferId),
        };

    /// <summary>The balance less every hold.</summary>
    public static decimal Available(BankAccountState state) => state.Balance - state.ReservedFunds.Values.Sum();

    private static string? Invalid(string accountNumber, decimal amount, BankAccountState? state) =>
        state is null ? $"account {accountNumber} does not exist"
        : amount <= 0 ? $"amount {Money(amount)} must be greater than zero"
        : null;

    private static string? Uncovered(string action, decimal amount, BankAccountState state)
    {
        var available = Available(state);
        return available - amount < state.MinBalance
            ? $"cannot {action} {Money(amount)}: available {Money(available)} would leave {Money(available - amount)}, below the minimum balance {Money(state.MinBalance)}"
            : null;
    }

    private static string? NoHold(string accountNumber, string wireTransferId, BankAccountState? state) =>
        state is null ? $"account {accountNumber} does not exist"
        : !state.ReservedFunds.ContainsKey(wireTransferId) ? $"account {accountNumber} holds no funds for wire transfer {wireTransferId}"
        : null;

    private static Dictionary<string, decimal> Without(IReadOnlyDictionary<string, decimal> holds, string wireTransferId)
    {
        var copy = new Dictionary<string, decimal>(holds);
        copy.Remove(wireTransferId);
        return copy;
    }

    private static string Money(decimal amount) => amount.ToString("0.##", CultureInfo.InvariantCulture);
}
