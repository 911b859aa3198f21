using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Xunit;

namespace Concordance.Runtime.Tests.Commands;

/// <summary>Many parallel senders against a real SQLite file (synchronous=FULL): no lost, duplicated or invariant-breaking event.</summary>
public sealed class CommandBusReliabilityTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static readonly MessageSerializer Serializer = new(Buses.Catalog());

    private static async Task<List<StoredEvent>> ReadAll(IConcordanceStore store)
    {
        var all = new List<StoredEvent>();
        long after = 0;
        while (true)
        {
            var page = await store.Events.ReadAllAsync(after, 1000);
            if (page.Count == 0) return all;
            all.AddRange(page);
            after = page[^1].Position;
        }
    }

    /// <summary>Replays one account's events, checking the invariant (balance never below the minimum) at every step.</summary>
    private static decimal ReplayBalance(IEnumerable<StoredEvent> stream)
    {
        AccountState? state = null;
        var aggregate = new AccountAggregate();
        var version = 0L;
        foreach (var stored in stream)
        {
            Assert.Equal(++version, stored.Version);
            state = (AccountState?)aggregate.Evolve(Serializer.Deserialize(stored), state);
            Assert.True(state!.Balance >= state.MinBalance, $"{stored.Stream} fell to {state.Balance} at version {stored.Version}");
        }
        return state!.Balance;
    }

    [Fact]
    public async Task Given_64_parallel_senders_on_one_aggregate_then_every_accepted_command_is_in_the_log_once_and_the_balance_never_goes_negative()
    {
        const int senders = 64, commandsPerSender = 16;
        await using var store = SqliteStore.Open(_database.ConnectionString);
        await using var bus = Buses.Create(store);
        await bus.SendAsync(new Open("shared", 0m));
        await bus.SendAsync(new Deposit("shared", 1000m));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            var mine = new List<(string Id, ICommand Command, CommandResult Result)>();
            for (var i = 0; i < commandsPerSender; i++)
            {
                ICommand command = i % 2 == 0 ? new Withdraw("shared", 7m) : new Deposit("shared", 3m);
                var id = $"s{s}-c{i}";
                mine.Add((id, command, await bus.SendAsync(command, new CommandMetadata { CommandId = id })));
            }
            // A sender that retries after a lost reply must get the first outcome back, not a second application.
            var (firstId, firstCommand, firstResult) = mine[0];
            var repeat = await bus.SendAsync(firstCommand, new CommandMetadata { CommandId = firstId });
            Assert.Equal(firstResult.IsAccepted, repeat.IsAccepted);
            Assert.Equal(firstResult.Version, repeat.Version);
            return mine;
        })));

        var results = outcomes.SelectMany(o => o).ToList();
        var accepted = results.Where(r => r.Result.IsAccepted).ToList();
        var log = await ReadAll(store);
        Assert.Equal(2 + accepted.Count, log.Count);
        Assert.Equal(log.Count, log.Select(e => e.Id).Distinct().Count());
        Assert.Equal(accepted.Select(r => r.Result.Version).Order(), Enumerable.Range(3, accepted.Count).Select(v => (long)v));
        Assert.Equal(accepted.Select(r => r.Id + "-0").Order(), log.Skip(2).Select(e => e.CausationId + "-0").Order());
        var expected = 1000m + accepted.Sum(r => r.Command is Deposit d ? d.Amount : -((Withdraw)r.Command).Amount);
        Assert.Equal(expected, ReplayBalance(log));
        Assert.Contains(results, r => !r.Result.IsAccepted); // the workload does exhaust the balance

        await using var fresh = Buses.Create(store);
        Assert.True((await fresh.SendAsync(new Withdraw("shared", expected))).IsAccepted);
        Assert.False((await fresh.SendAsync(new Withdraw("shared", 1m))).IsAccepted);
    }

    [Fact]
    public async Task Given_64_parallel_senders_on_1000_aggregates_then_no_event_is_lost_or_duplicated_and_every_balance_matches_the_accepted_commands()
    {
        const int senders = 64, accounts = 1000, commandsPerSender = 40;
        await using var store = SqliteStore.Open(_database.ConnectionString);
        await using var bus = Buses.Create(store);
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            for (var a = s; a < accounts; a += senders)
                Assert.True((await bus.SendAsync(new Open($"acc-{a}", 0m))).IsAccepted);
        })));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            var random = new Random(s);
            var mine = new List<(string Account, ICommand Command, CommandResult Result)>();
            for (var i = 0; i < commandsPerSender; i++)
            {
                var account = $"acc-{random.Next(accounts)}";
                ICommand command = random.Next(2) == 0 ? new Deposit(account, 5m) : new Withdraw(account, 8m);
                mine.Add((account, command, await bus.SendAsync(command)));
            }
            return mine;
        })));

        var results = outcomes.SelectMany(o => o).ToList();
        var accepted = results.Where(r => r.Result.IsAccepted).ToList();
        var log = await ReadAll(store);
        Assert.Equal(accounts + accepted.Count, log.Count);
        Assert.Equal(log.Count, log.Select(e => e.Id).Distinct().Count());
        Assert.Equal(log.Select(e => e.Position).Distinct().Count(), log.Count);
        var byAccount = log.GroupBy(e => e.Stream.Key).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(accounts, byAccount.Count);
        foreach (var (account, stream) in byAccount)
        {
            var expected = accepted.Where(r => r.Account == account).Sum(r => r.Command is Deposit d ? d.Amount : -((Withdraw)r.Command).Amount);
            Assert.Equal(expected, ReplayBalance(stream));
        }
        Assert.Contains(results, r => !r.Result.IsAccepted);
    }
}
