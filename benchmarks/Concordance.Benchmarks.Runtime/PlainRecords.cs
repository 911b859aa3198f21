namespace Concordance.Benchmarks.Runtime.Plain;

// The hand-written twins of the generated messages, for System.Text.Json's source generator.
public sealed record AccountOpened(string AccountNumber, decimal InitialBalance, decimal MinBalance, string CustomerId);

public sealed record FundsDeposited(string AccountNumber, decimal Amount, string? Note, string CustomerId);

public sealed record WireTransferInitiated(string AccountNumber, decimal Amount, string? Note, string CustomerId,
    string WireTransferId, string TargetRoutingNumber, string TargetAccountNumber);

public sealed record AccountState(decimal Balance, decimal MinBalance, string CustomerId, IReadOnlyDictionary<string, decimal> ReservedFunds)
{
    public bool Holds(IReadOnlyDictionary<string, decimal> expected) =>
        ReservedFunds.Count == expected.Count && expected.All(h => ReservedFunds.TryGetValue(h.Key, out var v) && v == h.Value);
}
