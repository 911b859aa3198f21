using System.Collections.Concurrent;
using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Concordance.Runtime.Tests.Commands;

/// <summary>
/// Conflict retries under contention: four hosts (four service providers, each with its own store connections, bus,
/// stream locks and state cache) on one SQLite file, 64 senders each, every command to one aggregate. The full-size
/// run (64 × 10,000 per host) is <c>benchmarks/contention.sh</c>, which sets <c>CONCORDANCE_CONTENTION_COMMANDS_PER_SENDER</c>;
/// by default this one sends 6 commands per sender (4 × 64 × 6 = 1,536, about 6 s here) so it stays well under 30 s on
/// a loaded 2-core machine. With the retries of before (10, at once) 0.5–1.3 % of such commands gave up.
/// </summary>
public sealed class ContentionTests(ITestOutputHelper output) : IDisposable
{
    private const int Hosts = 4;
    private const int SendersPerHost = 64;

    private static readonly int CommandsPerSender =
        int.TryParse(Environment.GetEnvironmentVariable("CONCORDANCE_CONTENTION_COMMANDS_PER_SENDER"), out var scale) && scale > 0 ? scale : 6;

    /// <summary>Set by the benchmark script to measure the retries of before: 10, at once, no backoff.</summary>
    private static readonly bool ImmediateRetries = Environment.GetEnvironmentVariable("CONCORDANCE_CONTENTION_IMMEDIATE_RETRIES") == "1";

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Given_4_hosts_on_one_sqlite_file_with_64_senders_each_when_1536_commands_go_to_one_aggregate_at_default_settings_then_none_gives_up_and_each_lands_once()
    {
        var providers = Enumerable.Range(0, Hosts).Select(_ =>
        {
            var services = new ServiceCollection();
            services.AddConcordance(o =>
            {
                o.UseSqlite(_database.ConnectionString);
                if (!ImmediateRetries) return;
                o.ConflictRetryDelay = TimeSpan.Zero;
                o.MaxConflictRetries = 10;
            }).AddMessages(AccountMessages.All).AddAggregate<AccountAggregate>();
            return services.BuildServiceProvider();
        }).ToList();
        try
        {
            Assert.True((await providers[0].GetRequiredService<ICommandBus>().SendAsync(new Open("hot", 0m))).IsAccepted);
            var accepted = new ConcurrentBag<string>();
            var gaveUp = new ConcurrentBag<string>();
            var failed = new ConcurrentBag<Exception>();
            using var start = new ManualResetEventSlim();
            var senders = new List<Task>();
            for (var host = 0; host < Hosts; host++)
            {
                var bus = providers[host].GetRequiredService<ICommandBus>();
                for (var sender = 0; sender < SendersPerHost; sender++)
                {
                    var prefix = $"h{host}-s{sender}-";
                    senders.Add(Task.Run(async () =>
                    {
                        start.Wait();
                        for (var i = 0; i < CommandsPerSender; i++)
                        {
                            var id = prefix + i;
                            try
                            {
                                var result = await bus.SendAsync(new Deposit("hot", 1m), new CommandMetadata { CommandId = id });
                                if (result.IsAccepted) accepted.Add(id);
                                else failed.Add(new InvalidOperationException($"{id} was rejected: {result.RejectionReason}"));
                            }
                            catch (ConcurrencyConflictException)
                            {
                                gaveUp.Add(id);
                            }
                            catch (Exception ex)
                            {
                                failed.Add(ex);
                            }
                        }
                    }));
                }
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            start.Set();
            await Task.WhenAll(senders);
            output.WriteLine($"contention: {Hosts} hosts x {SendersPerHost} senders x {CommandsPerSender} commands{(ImmediateRetries ? " (immediate retries)" : "")}: " +
                $"{accepted.Count} accepted, {gaveUp.Count} gave up, {failed.Count} failed in {clock.Elapsed.TotalSeconds:F1} s ({accepted.Count / clock.Elapsed.TotalSeconds:F0} commands/s).");

            Assert.Empty(failed);
            Assert.Empty(gaveUp);
            Assert.Equal(Hosts * SendersPerHost * CommandsPerSender, accepted.Count);
            await using var store = SqliteStore.Open(_database.ConnectionString);
            var stream = new StreamId(AccountAggregate.AggregateName, "hot");
            var causes = new List<string>();
            await foreach (var stored in store.Events.ReadStreamAsync(stream, 2)) causes.Add(stored.CausationId!);
            Assert.Equal(accepted.Order(StringComparer.Ordinal), causes.Order(StringComparer.Ordinal));
            Assert.Equal(1 + accepted.Count, await store.Events.GetStreamVersionAsync(stream));
        }
        finally
        {
            foreach (var provider in providers) await provider.DisposeAsync();
        }
    }
}
