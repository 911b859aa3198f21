using System.Collections.Concurrent;
using Bank;

namespace Concordance.Samples.Tests.MultiHost;

/// <summary>One command of the script, with the fixed id it is always sent under.</summary>
internal sealed record ScriptStep(string CommandId, ICommand Command);

/// <summary>One account's commands, in the order they must be sent, and what its ledger must end with.</summary>
internal sealed record AccountScript(
    string AccountNumber,
    string WireTransferId,
    string RoutingNumber,
    bool WireApproved,
    decimal ExpectedBalance,
    IReadOnlyList<ScriptStep> Steps);

/// <summary>
/// The bank scenario of the multi-host test. Deterministic whatever the interleaving across accounts: each account's
/// commands are sent one after the other (the next once the previous is answered), and the wire transfer is the
/// account's last command, so the InterbankTransfer process's ReserveFunds / CommitFunds / ReleaseFunds never race a
/// driver command on the same account. Within an account everything is therefore ordered, and accounts share nothing.
/// </summary>
internal static class MultiHostScript
{
    public const decimal MinBalance = 100m;
    public const string ApprovedRouting = "021000021";

    /// <summary>
    /// Per account: open, deposit, withdraw, a withdrawal of everything available (rejected by the minimum-balance
    /// rule), a small deposit, then a wire (every third one to the routing number the network declines).
    /// </summary>
    public static AccountScript Account(int i)
    {
        var account = $"MH{i:D3}";
        var customer = $"CUST{i:D3}";
        var wire = $"WIRE-{account}";
        var initial = 1000m + 10m * i;
        var deposit = 500m + i;
        const decimal withdrawal = 200m;
        var everything = initial + deposit - withdrawal; // leaves 0, below the minimum balance: rejected
        var smallDeposit = 50m + i % 7;
        var wireAmount = 300m + 5m * i;
        var approved = i % 3 != 1;
        var routing = approved ? ApprovedRouting : SimulatedWireNetwork.DeclinedRoutingNumber;
        var expected = initial + deposit - withdrawal + smallDeposit - (approved ? wireAmount : 0m);
        string Id(int n, string what) => $"multihost/{account}/{n}-{what}";
        ScriptStep[] steps =
        [
            new(Id(1, "open"), new CreateAccount(account, initial, MinBalance, customer)),
            new(Id(2, "deposit"), new DepositFunds(account, deposit, $"salary {i}", customer)),
            new(Id(3, "withdraw"), new WithdrawFunds(account, withdrawal, null, customer)),
            new(Id(4, "withdraw-everything"), new WithdrawFunds(account, everything, "too much", customer)),
            new(Id(5, "deposit"), new DepositFunds(account, smallDeposit, null, customer)),
            new(Id(6, "wire"), new WireFunds(account, wireAmount, $"wire {i}", customer, wire, routing, $"{900000 + i}")),
        ];
        return new AccountScript(account, wire, routing, approved, expected, steps);
    }

    /// <summary>Which steps must be rejected (the withdrawal of everything); every other step must be accepted.</summary>
    public static bool ExpectedRejected(ScriptStep step) => step.CommandId.EndsWith("-withdraw-everything", StringComparison.Ordinal);

    /// <summary>
    /// Splits <paramref name="accounts"/> over <paramref name="lanes"/> lanes: lane k gets accounts k, k + lanes, …,
    /// each account's commands in order, one account after the other.
    /// </summary>
    public static List<IReadOnlyList<ScriptStep>> Lanes(IReadOnlyList<AccountScript> accounts, int lanes) =>
        Enumerable.Range(0, lanes).Select(k => (IReadOnlyList<ScriptStep>)accounts.Where((_, i) => i % lanes == k).SelectMany(a => a.Steps).ToList()).ToList();

    /// <summary>
    /// Sends lanes' commands in rounds, for a steady, interleaved pace: in round r every lane sends its step
    /// <c>From + r</c> (while below <c>Until</c>) to its host, and the next round starts once every answer of this one
    /// is in. A lane thus has one command outstanding at a time, so each account's commands apply in order; commands
    /// of different lanes (and hosts) run concurrently. Every answer is recorded in its lane's outcomes.
    /// </summary>
    public static async Task RoundsAsync(IReadOnlyList<Lane> lanes)
    {
        for (var round = 0; ; round++)
        {
            var sends = lanes.Where(l => l.From + round < l.Until).Select(l => l.SendAsync(l.From + round)).ToList();
            if (sends.Count == 0) return;
            await Task.WhenAll(sends);
        }
    }
}

/// <summary>Steps <c>From</c> to <c>Until - 1</c> of a lane's <paramref name="Steps"/>, sent to <paramref name="Host"/>, answers recorded in <paramref name="Outcomes"/>.</summary>
internal sealed record Lane(BankHostProcess Host, IReadOnlyList<ScriptStep> Steps, int From, int Until, ConcurrentDictionary<string, CommandOutcome> Outcomes)
{
    public Lane(BankHostProcess host, IReadOnlyList<ScriptStep> steps, ConcurrentDictionary<string, CommandOutcome> outcomes)
        : this(host, steps, 0, steps.Count, outcomes)
    {
    }

    /// <summary>Sends step <paramref name="index"/> and records the answer; a failed command fails the test with the host's log.</summary>
    public async Task<CommandOutcome> SendAsync(int index)
    {
        var step = Steps[index];
        var outcome = await Host.SendAsync(step.CommandId, step.Command);
        Outcomes[step.CommandId] = outcome;
        if (outcome.Status == "failed")
            throw new InvalidOperationException($"Host {Host.Name} failed command {step.CommandId}: {outcome.Detail}{Environment.NewLine}{Host.Log}");
        return outcome;
    }
}
