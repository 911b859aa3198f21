using System.Collections.Concurrent;
using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using Xunit;
using Xunit.Abstractions;

namespace Concordance.Nats.Tests;

/// <summary>Three nats-server nodes with JetStream clustered on loopback, every stream and bucket on all three; one node dies under load.</summary>
public sealed class NatsClusterTests(ITestOutputHelper output)
{
    private const int Accounts = 100, Senders = 8, DepositsPerSender = 50;

    [Fact]
    public async Task Given_a_three_node_R3_cluster_when_the_events_stream_leader_is_killed_under_command_load_then_every_accepted_command_is_in_the_log_exactly_once_with_contiguous_versions()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var cluster = await NatsCluster.StartAsync(3, TimeSpan.FromSeconds(60));
        var options = new NatsStoreOptions { Url = cluster.Url, Prefix = "cluster", Replicas = 3, PollInterval = TimeSpan.FromMilliseconds(50) };
        var errors = new ConcurrentDictionary<string, int>();
        var accepted = new ConcurrentDictionary<string, (string Account, decimal Amount)>();
        var deposits = Senders * DepositsPerSender;
        string killed;

        await using (var store = await UntilDoneAsync(() => NatsStore.ConnectAsync(options, deadline.Token), errors, deadline.Token))
        await using (var bus = Buses.Create(store))
        {
            async Task Send(ICommand command, string commandId, string account, decimal amount)
            {
                var result = await UntilDoneAsync(async () =>
                {
                    // A bounded wait per attempt: an append stuck on a dead node is retried (same id) instead of awaited.
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    attempt.CancelAfter(TimeSpan.FromSeconds(10));
                    return await bus.SendAsync(command, new CommandMetadata { CommandId = commandId }, attempt.Token);
                }, errors, deadline.Token);
                Assert.True(result.IsAccepted, $"{commandId}: {result}");
                accepted[commandId] = (account, amount);
            }

            await Task.WhenAll(Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
            {
                for (var a = s; a < Accounts; a += Senders) await Send(new Open($"acc-{a}", 0m), $"open-{a}", $"acc-{a}", 0m);
            })));

            using var loadDone = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            var killer = Task.Run(async () =>
            {
                // Mid-load: once a third of the deposits are in, the node leading the events stream dies.
                while (accepted.Count < Accounts + deposits / 3) await Task.Delay(10, loadDone.Token);
                var leader = await UntilDoneAsync(() => cluster.StreamLeaderAsync(options.Prefix + "_EVENTS", loadDone.Token), errors, loadDone.Token);
                var victim = leader ?? cluster.NodeNames[0];
                await cluster.KillAsync(victim);
                return victim;
            });
            try
            {
                await Task.WhenAll(Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
                {
                    var random = new Random(s);
                    for (var i = 0; i < DepositsPerSender; i++)
                    {
                        var account = $"acc-{random.Next(Accounts)}";
                        var amount = 1 + (i % 7);
                        await Send(new Deposit(account, amount), $"dep-{s}-{i}", account, amount);
                    }
                })));
                killed = await killer;
            }
            finally
            {
                await loadDone.CancelAsync();
            }
        }
        output.WriteLine($"killed {killed}; retried errors: {string.Join(", ", errors.Select(e => $"{e.Key} × {e.Value}"))}");

        // Read back through a new connection to the surviving nodes.
        await using var reader = await UntilDoneAsync(() => NatsStore.ConnectAsync(options, deadline.Token), errors, deadline.Token);
        var log = new List<StoredEvent>();
        for (long after = 0; ;)
        {
            var page = await UntilDoneAsync(() => reader.ReadAllAsync(after, 256, cancellationToken: deadline.Token).AsTask(), errors, deadline.Token);
            if (page.Count == 0) break;
            log.AddRange(page);
            after = page[^1].Position;
        }

        var serializer = new MessageSerializer(Buses.Catalog());
        Assert.Equal(Accounts + deposits, accepted.Count);
        Assert.Equal(log.Count, log.Select(e => e.Id).Distinct().Count());
        Assert.Equal(accepted.Keys.Select(id => id + "-0").Order(), log.Select(e => e.Id).Order());
        Assert.All(log, e => Assert.Equal(e.Id, e.CausationId + "-0"));
        foreach (var stream in log.GroupBy(e => e.Stream))
        {
            Assert.Equal(Enumerable.Range(1, stream.Count()).Select(v => (long)v), stream.Select(e => e.Version));
            var balance = stream.Select(serializer.Deserialize).OfType<Deposited>().Sum(d => d.Amount);
            Assert.Equal(accepted.Values.Where(c => c.Account == stream.Key.Key).Sum(c => c.Amount), balance);
            var read = await UntilDoneAsync(async () =>
            {
                var events = new List<StoredEvent>();
                await foreach (var e in reader.ReadStreamAsync(stream.Key, 1, deadline.Token)) events.Add(e);
                return events;
            }, errors, deadline.Token);
            Assert.Equal(stream.Select(e => e.Id), read.Select(e => e.Id));
        }
        foreach (var commandId in accepted.Keys)
            Assert.Equal(1, (await UntilDoneAsync(() => reader.FindCommandAsync(commandId, deadline.Token).AsTask(), errors, deadline.Token))?.EventCount);
        output.WriteLine($"all retried errors: {string.Join(", ", errors.Select(e => $"{e.Key} × {e.Value}"))}");
    }

    /// <summary>Runs <paramref name="action"/> until it completes, retrying whatever a node's death throws; fails at the deadline.</summary>
    private static async Task<T> UntilDoneAsync<T>(Func<Task<T>> action, ConcurrentDictionary<string, int> errors, CancellationToken deadline)
    {
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception ex) when (ex is not ArgumentException && !deadline.IsCancellationRequested)
            {
                errors.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
                await Task.Delay(100, CancellationToken.None);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Not done within the test's deadline; errors retried so far: {string.Join(", ", errors.Select(e => $"{e.Key} × {e.Value}"))}.");
            }
        }
    }
}
