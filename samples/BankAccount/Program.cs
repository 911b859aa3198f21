using Bank;
using Concordance;

// The account part of the bank story, decided and folded in memory by the generated dispatch.
// (The durable runtime — SQLite store, process manager, gateway and ledger — runs this same code
// once it lands; see the open runtime and sample issues.)
IAggregate account = new BankAccount();
object? state = null;

Send(new CreateAccount("ABC123", 4000m, 100m, "CUSTBOB"));
Send(new DepositFunds("ABC123", 3000m, null, "CUSTBOB"));
Send(new DepositFunds("ABC123", 1000m, null, "CUSTBOB"));
Send(new WithdrawFunds("ABC123", 2000m, null, "CUSTBOB"));
Send(new WithdrawFunds("ABC123", 6000m, null, "CUSTBOB"));
Send(new ReserveFunds("ABC123", 2500m, "CUSTBOB", "WT-1"));
Send(new CommitFunds("ABC123", "CUSTBOB", "WT-1"));
Send(new ReserveFunds("ABC123", 1000m, "CUSTBOB", "WT-2"));
Send(new ReleaseFunds("ABC123", "CUSTBOB", "WT-2"));

var final = (BankAccountState)state!;
Console.WriteLine($"balance {final.Balance}, available {BankAccount.Available(final)}");
return final.Balance == 3500m ? 0 : 1;

void Send(ICommand command)
{
    var decision = account.Decide(command, state);
    if (decision.IsRejected)
    {
        Console.WriteLine($"{command.GetType().Name,-14} rejected: {decision.RejectionReason}");
        return;
    }
    foreach (var @event in decision.Events) state = account.Evolve(@event, state);
    Console.WriteLine($"{command.GetType().Name,-14} accepted: {string.Join(", ", decision.Events.Select(e => e.GetType().Name))}");
}
