namespace Concordance.Benchmarks.Marten;

// The same account on Marten, written the way Marten's documentation shows: plain event records, a live
// aggregate with Create/Apply methods, and a command handler that uses FetchForWriting (optimistic
// concurrency on the stream version) and SaveChangesAsync (one PostgreSQL transaction per command).

public sealed record AccountOpened(string AccountNumber, decimal InitialBalance, decimal MinBalance, string CustomerId);

public sealed record FundsDeposited(string AccountNumber, decimal Amount, string? Note, string CustomerId);

public sealed class MartenAccount
{
    public string Id { get; set; } = "";

    public decimal Balance { get; set; }

    public decimal MinBalance { get; set; }

    public string CustomerId { get; set; } = "";

    public static MartenAccount Create(AccountOpened e) =>
        new() { Id = e.AccountNumber, Balance = e.InitialBalance, MinBalance = e.MinBalance, CustomerId = e.CustomerId };

    public void Apply(FundsDeposited e) => Balance += e.Amount;
}
