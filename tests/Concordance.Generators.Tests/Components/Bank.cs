using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bank;
using Concordance;

namespace BankApp;

/// <summary>A bank account: opens, takes deposits and withdrawals, and reserves funds for wires.</summary>
public sealed class BankAccount : BankAccountAggregateBase
{
    /// <inheritdoc />
    public override CreateAccountDecision Handle(CreateAccount command, BankAccountState? state)
    {
        if (state is not null) return Reject($"Account {command.AccountNumber} already exists.");
        if (command.InitialBalance < command.MinBalance) return Reject("The initial balance is below the minimum balance.");
        return new AccountCreated(command.AccountNumber, command.InitialBalance, command.MinBalance, command.CustomerId);
    }

    /// <inheritdoc />
    public override DepositFundsDecision Handle(DepositFunds command, BankAccountState? state)
    {
        if (state is null) return Reject("No such account.");
        if (command.Amount <= 0) return Reject("A deposit must be positive.");
        return new FundsDeposited(command.AccountNumber, command.Amount, command.Note, command.CustomerId);
    }

    /// <inheritdoc />
    public override WithdrawFundsDecision Handle(WithdrawFunds command, BankAccountState? state)
    {
        if (state is null) return Reject("No such account.");
        if (Available(state) - command.Amount < state.MinBalance) return Reject("Insufficient funds.");
        return new FundsWithdrawn(command.AccountNumber, command.Amount, command.Note, command.CustomerId);
    }

    /// <inheritdoc />
    public override WireFundsDecision Handle(WireFunds command, BankAccountState? state)
    {
        if (state is null) return Reject("No such account.");
        return Emit(new WireTransferInitiated(command.AccountNumber, command.Amount, command.Note, command.CustomerId,
            command.WireTransferId, command.TargetRoutingNumber, command.TargetAccountNumber));
    }

    /// <inheritdoc />
    public override ReserveFundsDecision Handle(ReserveFunds command, BankAccountState? state)
    {
        if (state is null) return Reject("No such account.");
        if (Available(state) - command.Amount < state.MinBalance) return Reject("Insufficient funds.");
        return new FundsReserved(command.AccountNumber, command.Amount, command.CustomerId, command.WireTransferId);
    }

    /// <inheritdoc />
    public override ReleaseFundsDecision Handle(ReleaseFunds command, BankAccountState? state)
    {
        if (state is null || !state.ReservedFunds.ContainsKey(command.WireTransferId)) return Reject("Nothing reserved.");
        return new FundsReleased(command.AccountNumber, command.CustomerId, command.WireTransferId);
    }

    /// <inheritdoc />
    public override CommitFundsDecision Handle(CommitFunds command, BankAccountState? state)
    {
        if (state is null || !state.ReservedFunds.ContainsKey(command.WireTransferId)) return Reject("Nothing reserved.");
        return new FundsCommitted(command.AccountNumber, command.CustomerId, command.WireTransferId);
    }

    /// <inheritdoc />
    public override BankAccountState? Apply(AccountCreated @event, BankAccountState? state) =>
        new(@event.InitialBalance, @event.MinBalance, @event.CustomerId, new Dictionary<string, decimal>());

    /// <inheritdoc />
    public override BankAccountState? Apply(FundsDeposited @event, BankAccountState? state) =>
        Require(state) with { Balance = Require(state).Balance + @event.Amount };

    /// <inheritdoc />
    public override BankAccountState? Apply(FundsWithdrawn @event, BankAccountState? state) =>
        Require(state) with { Balance = Require(state).Balance - @event.Amount };

    /// <inheritdoc />
    public override BankAccountState? Apply(WireTransferInitiated @event, BankAccountState? state) => state;

    /// <inheritdoc />
    public override BankAccountState? Apply(FundsReserved @event, BankAccountState? state) =>
        Require(state) with { ReservedFunds = new Dictionary<string, decimal>(Require(state).ReservedFunds) { [@event.WireTransferId] = @event.Amount } };

    /// <inheritdoc />
    public override BankAccountState? Apply(FundsReleased @event, BankAccountState? state) =>
        Require(state) with { ReservedFunds = Without(Require(state).ReservedFunds, @event.WireTransferId) };

    /// <inheritdoc />
    public override BankAccountState? Apply(FundsCommitted @event, BankAccountState? state)
    {
        var current = Require(state);
        return current with
        {
            Balance = current.Balance - current.ReservedFunds[@event.WireTransferId],
            ReservedFunds = Without(current.ReservedFunds, @event.WireTransferId),
        };
    }

    private static decimal Available(BankAccountState state) => state.Balance - state.ReservedFunds.Values.Sum();

    private static BankAccountState Require(BankAccountState? state) =>
        state ?? throw new InvalidOperationException("The account has not been created.");

    private static Dictionary<string, decimal> Without(IReadOnlyDictionary<string, decimal> funds, string key)
    {
        var copy = new Dictionary<string, decimal>(funds);
        copy.Remove(key);
        return copy;
    }
}

/// <summary>A ledger line per account: the running balance as seen by the projector.</summary>
/// <param name="AccountNumber">The account.</param>
/// <param name="Balance">The balance after the last projected event.</param>
/// <param name="Entries">How many events touched the account.</param>
public sealed record LedgerEntry(string AccountNumber, decimal Balance, int Entries);

/// <summary>Keeps a <see cref="LedgerEntry"/> per account.</summary>
public sealed class AccountLedger : AccountLedgerProjectorBase
{
    /// <inheritdoc />
    public override ValueTask Handle(AccountCreated @event, ProjectionContext context)
    {
        context.Set(@event.AccountNumber, new LedgerEntry(@event.AccountNumber, @event.InitialBalance, 1));
        return default;
    }

    /// <inheritdoc />
    public override ValueTask Handle(FundsDeposited @event, ProjectionContext context) => Change(context, @event.AccountNumber, @event.Amount);

    /// <inheritdoc />
    public override ValueTask Handle(FundsWithdrawn @event, ProjectionContext context) => Change(context, @event.AccountNumber, -@event.Amount);

    /// <inheritdoc />
    public override ValueTask Handle(FundsReserved @event, ProjectionContext context) => Change(context, @event.AccountNumber, 0m);

    /// <inheritdoc />
    public override ValueTask Handle(FundsReleased @event, ProjectionContext context) => Change(context, @event.AccountNumber, 0m);

    /// <inheritdoc />
    public override ValueTask Handle(FundsCommitted @event, ProjectionContext context) => Change(context, @event.AccountNumber, 0m);

    private static async ValueTask Change(ProjectionContext context, string accountNumber, decimal amount)
    {
        var entry = await context.GetAsync<LedgerEntry>(accountNumber) ?? new LedgerEntry(accountNumber, 0m, 0);
        context.Set(accountNumber, entry with { Balance = entry.Balance + amount, Entries = entry.Entries + 1 });
    }
}

/// <summary>Moves money to another bank: reserve, wire, then commit or release.</summary>
public sealed class InterbankTransfer : InterbankTransferProcessManagerBase
{
    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(WireTransferInitiated @event, InterbankTransferState? state) =>
        Continue(new InterbankTransferState(@event.AccountNumber, @event.CustomerId, @event.Amount, TransferStatus.Requested),
            new ReserveFunds(@event.AccountNumber, @event.Amount, @event.CustomerId, @event.WireTransferId));

    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(FundsReserved @event, InterbankTransferState? state) =>
        Continue(Require(state) with { Status = TransferStatus.FundsReserved });

    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(WireTransferSucceeded @event, InterbankTransferState? state)
    {
        var current = Require(state);
        return Continue(current with { Status = TransferStatus.Completed },
            new CommitFunds(current.AccountNumber, current.CustomerId, @event.WireTransferId));
    }

    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(WireTransferFailed @event, InterbankTransferState? state)
    {
        var current = Require(state);
        return Continue(current with { Status = TransferStatus.Failed },
            new ReleaseFunds(current.AccountNumber, current.CustomerId, @event.WireTransferId));
    }

    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(FundsCommitted @event, InterbankTransferState? state) => Complete();

    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(FundsReleased @event, InterbankTransferState? state) => Complete();

    private static InterbankTransferState Require(InterbankTransferState? state) =>
        state ?? throw new InvalidOperationException("The transfer has not started.");
}

/// <summary>Talks to the wire network; here every wire succeeds unless the amount is over the limit.</summary>
/// <param name="limit">The largest amount the network accepts.</param>
public sealed class WireNetwork(decimal limit) : WireNetworkGatewayBase
{
    /// <summary>A network that accepts wires up to one million.</summary>
    public WireNetwork() : this(1_000_000m)
    {
    }

    /// <inheritdoc />
    public override Task HandleAsync(FundsReserved @event, WireNetworkGatewayContext context, CancellationToken cancellationToken) =>
        @event.Amount <= limit
            ? context.EmitAsync(new WireTransferSucceeded(@event.WireTransferId, null), cancellationToken)
            : context.EmitAsync(new WireTransferFailed(@event.WireTransferId, "over the limit"), cancellationToken);
}
