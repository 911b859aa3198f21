using System.Collections.Concurrent;
using System.Diagnostics;
using Bank;
using Concordance.Nats.Tests;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Concordance.Samples.Tests.MultiHost;

/// <summary>
/// Issue 6's multi-host test: two host processes and one nats-server run the bank scenario with commands sent to
/// both; one host is killed with SIGKILL mid-run; the survivor finishes; the final balances, ledgers and process
/// instances are exactly those of a single-host run of the same script.
/// </summary>
/// <remarks>
/// <para>
/// Each host is this test assembly run as a child process (<see cref="BankHostChild"/>): a real Generic Host with
/// <c>AddConcordance(o =&gt; o.UseNats(url, n =&gt; n.Prefix = prefix))</c> and every bank component, taking commands
/// on stdin and answering on stdout. The wire network is a <see cref="SimulatedWireNetwork"/> in this process, one per run.
/// </para>
/// <para>
/// The scenario (<see cref="MultiHostScript"/>): 30 accounts, six commands each, the wire last. Host A takes the even
/// accounts and host B the odd ones, on three lanes each (a lane runs whole accounts, one command outstanding at a
/// time), in rounds: every lane of both hosts sends one command per round. In round 12 A's lanes send their second
/// wire, and as soon as one of them shows in the log the test kills A with SIGKILL, the three in flight. By then A's
/// first three wires were accepted, so its process manager, outbox, gateway and projector are at work, and B is
/// mid-run too. The test then re-sends ALL of A's commands, same ids, to B, side by side with B's own remaining
/// commands: those A answered must answer their first outcome again, those in flight at the kill are either found
/// applied (and answered from the record) or applied now, and none applies twice. B alone then finishes every process
/// A left behind. Whatever A's components had committed stays; what they had not is redone by B's (checkpoints are
/// compare-and-set commits, outbox and gateway ids are deterministic, the network answers a repeated wire with its
/// first answer), so the result does not depend on where the kill lands, nor on whether every host runs every
/// component or components are leased to one host at a time.
/// </para>
/// <para>
/// The single-host run is the same child with the whole script on a fresh prefix. Both runs are read back through an
/// independent service provider once settled (every process ended, outbox empty, each component's checkpoint past
/// its last event — polled with a generous bound, never slept on) and compared as data: every stream's events (so
/// every balance and nothing applied twice), every ledger read model, every process instance, every command's
/// outcome, no dead letters. Each ledger is also checked against the balance the script implies.
/// </para>
/// </remarks>
public sealed class BankOnTwoHostsTests(NatsServerFixture server, ITestOutputHelper output) : IClassFixture<NatsServerFixture>
{
    private const int Accounts = 30;
    private const int LanesPerHost = 3;

    // Each lane of a host runs whole accounts, six commands each: round 11 (0-based) sends each lane's second wire.
    private const int KillRound = 11;
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Given_two_hosts_sharing_commands_when_one_is_killed_mid_run_then_the_survivor_ends_with_exactly_the_single_host_state()
    {
        var script = Enumerable.Range(0, Accounts).Select(MultiHostScript.Account).ToList();
        var clock = Stopwatch.StartNew();

        var (single, singleOutcomes) = await RunOnOneHostAsync(script);
        output.WriteLine($"single-host run settled after {clock.Elapsed.TotalSeconds:0.0} s");
        CheckAgainstScript(script, single, singleOutcomes);

        var (multi, multiOutcomes) = await RunOnTwoHostsKillingOneAsync(script);
        output.WriteLine($"two-host run settled after {clock.Elapsed.TotalSeconds:0.0} s");

        var differences = BankFinalState.Differences(single, multi);
        foreach (var step in script.SelectMany(a => a.Steps))
        {
            var expected = singleOutcomes[step.CommandId];
            if (!multiOutcomes.TryGetValue(step.CommandId, out var actual)) differences.Add($"command {step.CommandId}: never answered on two hosts");
            else if (actual != expected) differences.Add($"command {step.CommandId}: single-host {expected}; two hosts {actual}");
        }
        Assert.True(differences.Count == 0,
            $"The two-host run differs from the single-host run in {differences.Count} way(s):{Environment.NewLine}" + string.Join(Environment.NewLine, differences.Take(30)));
        CheckAgainstScript(script, multi, multiOutcomes);
    }

    /// <summary>The whole script through one host on a fresh prefix, on as many lanes as the two hosts have together.</summary>
    private async Task<(BankFinalState State, IReadOnlyDictionary<string, CommandOutcome> Outcomes)> RunOnOneHostAsync(IReadOnlyList<AccountScript> script)
    {
        var prefix = "mh1" + Guid.NewGuid().ToString("N")[..10];
        await using var network = SimulatedWireNetwork.Start();
        await using var host = await BankHostProcess.StartAsync("single", server.Url, prefix, network.BaseAddress);
        var outcomes = new ConcurrentDictionary<string, CommandOutcome>();
        await MultiHostScript.RoundsAsync(MultiHostScript.Lanes(script, 2 * LanesPerHost).Select(steps => new Lane(host, steps, outcomes)).ToList());
        await using var view = BankFinalState.OpenStore(server.Url, prefix);
        var state = await BankFinalState.WaitUntilSettledAsync(view, script, SettleTimeout, () => host.Log);
        await host.StopAsync();
        CheckNetwork(script, network, "single-host");
        return (state, outcomes);
    }

    /// <summary>Hosts A and B share the script; A is killed mid-run and its commands are all re-sent to B.</summary>
    private async Task<(BankFinalState State, IReadOnlyDictionary<string, CommandOutcome> Outcomes)> RunOnTwoHostsKillingOneAsync(IReadOnlyList<AccountScript> script)
    {
        var prefix = "mh2" + Guid.NewGuid().ToString("N")[..10];
        var lanesOfA = MultiHostScript.Lanes(script.Where((_, i) => i % 2 == 0).ToList(), LanesPerHost);
        var lanesOfB = MultiHostScript.Lanes(script.Where((_, i) => i % 2 == 1).ToList(), LanesPerHost);
        var commandsOfA = lanesOfA.Sum(l => l.Count);

        await using var network = SimulatedWireNetwork.Start();
        var startA = BankHostProcess.StartAsync("A", server.Url, prefix, network.BaseAddress);
        var startB = BankHostProcess.StartAsync("B", server.Url, prefix, network.BaseAddress);
        await using var hostA = await startA;
        await using var hostB = await startB;
        string Logs() => hostA.Log + Environment.NewLine + hostB.Log;

        var answeredByA = new ConcurrentDictionary<string, CommandOutcome>();
        var answeredByB = new ConcurrentDictionary<string, CommandOutcome>();
        var resentToB = new ConcurrentDictionary<string, CommandOutcome>();

        // Both hosts take their commands side by side up to the kill round.
        await MultiHostScript.RoundsAsync([
            .. lanesOfA.Select(steps => new Lane(hostA, steps, 0, KillRound, answeredByA)),
            .. lanesOfB.Select(steps => new Lane(hostB, steps, 0, KillRound, answeredByB)),
        ]);
        // The kill round: A's lanes send their second wire, B's lanes their next command. A is killed with SIGKILL as
        // soon as one of its three wires shows in the log (or is answered): one is applied, maybe not yet recorded as a
        // command or answered, and the other two are anywhere between the pipe and the log.
        await using var probe = BankFinalState.OpenStore(server.Url, prefix);
        var probeStore = probe.GetRequiredService<IConcordanceStore>();
        var inFlight = lanesOfA.Select(steps => steps[KillRound]).ToList();
        var accountStreams = inFlight.Select(step => new StreamId("Bank.BankAccount", ((WireFunds)step.Command).AccountNumber)).ToList();
        var versionsBefore = new List<long>();
        foreach (var stream in accountStreams) versionsBefore.Add(await probeStore.Events.GetStreamVersionAsync(stream));
        var roundOfB = MultiHostScript.RoundsAsync(lanesOfB.Select(steps => new Lane(hostB, steps, KillRound, KillRound + 1, answeredByB)).ToList());
        var answers = new List<Task<CommandOutcome>>();
        foreach (var step in inFlight) answers.Add(await hostA.PostAsync(step.CommandId, step.Command));
        async Task<bool> OneWireApplied()
        {
            for (var k = 0; k < accountStreams.Count; k++)
                if (await probeStore.Events.GetStreamVersionAsync(accountStreams[k]) > versionsBefore[k]) return true;
            return false;
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!answers.Any(a => a.IsCompleted) && !await OneWireApplied())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Host A applied none of its kill-round wires within 60 s.{Environment.NewLine}{hostA.Log}");
            await Task.Delay(1);
        }
        await hostA.KillAsync();
        foreach (var (step, answer) in inFlight.Zip(answers))
        {
            try
            {
                answeredByA[step.CommandId] = await answer;
            }
            catch (HostExitedException)
            {
                // Applied or not, B learns which when the command is re-sent.
            }
        }
        await roundOfB;
        Assert.InRange(answeredByA.Count, KillRound * LanesPerHost, KillRound * LanesPerHost + LanesPerHost);
        Assert.True(answeredByA.Values.Count(o => o.CommandId.EndsWith("-wire", StringComparison.Ordinal) && o.Status == "accepted") >= LanesPerHost,
            "Host A's first three wires should have been accepted before the kill, giving its components processes to run.");
        var applied = 0;
        for (var k = 0; k < accountStreams.Count; k++)
            if (await probeStore.Events.GetStreamVersionAsync(accountStreams[k]) > versionsBefore[k]) applied++;
        output.WriteLine($"host A killed (SIGKILL) after answering {answeredByA.Count} of its {commandsOfA} commands; of the {inFlight.Count} in flight, "
            + $"{answers.Count(a => a.IsCompletedSuccessfully)} answered and {applied} applied; B had answered {answeredByB.Count} of its own");

        // The survivor finishes its own commands and takes every command A was given, answered or not, under the same
        // ids, side by side.
        await MultiHostScript.RoundsAsync([
            .. lanesOfB.Select(steps => new Lane(hostB, steps, KillRound + 1, steps.Count, answeredByB)),
            .. lanesOfA.Select(steps => new Lane(hostB, steps, resentToB)),
        ]);
        foreach (var (id, first) in answeredByA)
            Assert.True(resentToB[id] == first, $"Command {id} was answered {first} by host A, then {resentToB[id]} by host B.");

        await using var view = BankFinalState.OpenStore(server.Url, prefix);
        var state = await BankFinalState.WaitUntilSettledAsync(view, script, SettleTimeout, Logs);
        await hostB.StopAsync();
        CheckNetwork(script, network, "two-host");
        var outcomes = new Dictionary<string, CommandOutcome>(answeredByB);
        foreach (var (id, outcome) in resentToB) outcomes[id] = outcome;
        return (state, outcomes);
    }

    /// <summary>What the script itself implies, independently of any run: outcomes, balances, ledgers, processes, event counts.</summary>
    private static void CheckAgainstScript(IReadOnlyList<AccountScript> script, BankFinalState state, IReadOnlyDictionary<string, CommandOutcome> outcomes)
    {
        Assert.Empty(state.DeadLetters);
        Assert.Equal(0, state.PendingOutbox);
        foreach (var account in script)
        {
            foreach (var step in account.Steps)
                Assert.True(outcomes[step.CommandId].Status == (MultiHostScript.ExpectedRejected(step) ? "rejected" : "accepted"), $"{step.CommandId}: {outcomes[step.CommandId]}");
            var view = state.LedgerViews[account.AccountNumber];
            Assert.NotNull(view);
            Assert.True(view.Balance == account.ExpectedBalance && view.Available == account.ExpectedBalance && view.Holds.Count == 0,
                $"Ledger of {account.AccountNumber}: balance {view.Balance}, available {view.Available}, {view.Holds.Count} hold(s); expected {account.ExpectedBalance}, no holds.");
            Assert.Equal(["opened", "deposit", "withdrawal", "deposit", "hold", account.WireApproved ? "wire out" : "release"], view.Lines.Select(l => l.Kind));
            Assert.Equal("{\"ended\":true,\"state\":null}", state.Processes[account.WireTransferId]);
            // Open, deposit, withdraw, deposit, wire initiated, reserved, committed or released: seven events, once each.
            Assert.Equal(7, state.Streams[$"Bank.BankAccount/{account.AccountNumber}"].Count);
            var outcome = Assert.Single(state.Streams[$"Bank.WireNetwork/{account.AccountNumber}"]);
            Assert.StartsWith(account.WireApproved ? "v1 Bank.WireTransferSucceeded" : "v1 Bank.WireTransferFailed", outcome);
        }
        Assert.Equal(2 * script.Count, state.Streams.Count);
    }

    /// <summary>The network was asked about every wire (maybe more than once: the gateway is at-least-once) and about nothing else.</summary>
    private void CheckNetwork(IReadOnlyList<AccountScript> script, SimulatedWireNetwork network, string run)
    {
        var requests = network.Requests.ToList();
        var expected = script.Select(a => $"{a.WireTransferId} {a.RoutingNumber}").ToHashSet();
        Assert.Equal(expected.Order(StringComparer.Ordinal), requests.Distinct().Order(StringComparer.Ordinal));
        output.WriteLine($"{run} run: {requests.Count} settlement request(s) for {expected.Count} wires");
    }
}
