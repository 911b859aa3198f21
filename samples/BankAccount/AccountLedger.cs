using Concordance;
namespace Bank;

/// <summary>One line of an account's ledger.</summary>
/// <param name="Kind">What happened: opened, deposit, withdrawal, hold, release, wire out.</param>
/// <param name="Amount">The amount moved or held.</param>
/// <param name="BalanceAfter">The balance after the line.</param>
public sealed record LedgerLine(string Kind, decimal Amount, decimal BalanceAfter);

/// <summary>The read model of one account: balance, available funds, holds and ledger lines.</summary>
public sealed record AccountView(string AccountNumber, decimal Balance, decimal Available, Dictionary<string, decimal> Holds, List<LedgerLine> Lines);

/// <summary>Keeps an <see cref="AccountView"/> per account, keyed by account number.</summary>
public sealed class AccountLedger : AccountLedgerProjectorBase
{
    /// <inheritdoc />
    public override ValueTask Handle(AccountCreated @event, ProjectionContext context)
    {
        context.Set(@event.AccountNumber, new AccountView(@event.AccountNumber, @event.InitialBalance, @event.InitialBalance, [],
            [new LedgerLine("opened", @event.InitialBalance, @event.InitialBalance)]));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask Handle(FundsDeposited @event, ProjectionContext context) =>
        Update(context, @event.AccountNumber, view => Move(view, "deposit", @event.Amount, +@event.Amount));

    /// <inheritdoc />
    public override ValueTask Handle(FundsWithdrawn @event, ProjectionContext context) =>
        Update(context, @event.AccountNumber, view => Move(view, "withdrawal", @event.Amount, -@event.Amount));

    /// <inheritdoc />
    public override ValueTask Handle(FundsReserved @event, ProjectionContext context) =>
        Update(context, @event.AccountNumber, view =>
        {
            var holds = new Dictionary<string, decimal>(view.Holds) { [@event.WireTransferId] = @event.Amount };
            return Recompute(view with { Holds = holds }, new LedgerLine("hold", @event.Amount, view.Balance));
        });

    /// <inheritdoc />
    public override ValueTask Handle(FundsReleased @event, ProjectionContext context) =>
        Update(context, @event.AccountNumber, view =>
        {
            var holds = new Dictionary<string, decimal>(view.Holds);
            holds.Remove(@event.WireTransferId, out var amount);
            return Recompute(view with { Holds = holds }, new LedgerLine("release", amount, view.Balance));
        });

    /// <inheritdoc />
    public override ValueTask Handle(FundsCommitted @event, ProjectionContext context) =>
        Update(context, @event.AccountNumber, view =>
        {
            var holds = new Dictionary<string, decimal>(view.Holds);
            holds.Remove(@event.WireTransferId, out var amount);
            return Recompute(view with { Holds = holds, Balance = view.Balance - amount }, new LedgerLine("wire out", amount, view.Balance - amount));
        });

    private static async ValueTask Update(ProjectionContext context, string accountNumber, Func<AccountView, AccountView> change)
    {
        var view = await context.GetAsync<AccountView>(accountNumber);
        if (view is not null) context.Set(accountNumber, change(view));
    }

    private static AccountView Move(AccountView view, string kind, decimal amount, decimal delta) =>
        Recompute(view with { Balance = view.Balance + delta }, new LedgerLine(kind, amount, view.Balance + delta));

    private static AccountView Recompute(AccountView view, LedgerLine line) =>
        view with { Available = view.Balance - view.Holds.Values.Sum(), Lines = [.. view.Lines, line] };
}
