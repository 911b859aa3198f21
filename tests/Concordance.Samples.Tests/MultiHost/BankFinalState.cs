using System.Text;
using System.Text.Json;
using Bank;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Concordance.Samples.Tests.MultiHost;

/// <summary>
/// Everything a run of the scenario leaves in the store, as plain data that two runs can be compared on: every
/// stream's events (version, type, id, correlation, data — positions and times differ between runs and are left out),
/// every ledger read model and every process instance document (their stored JSON), the dead letters and the pending
/// outbox.
/// </summary>
internal sealed record BankFinalState(
    SortedDictionary<string, List<string>> Streams,
    SortedDictionary<string, string?> Ledgers,
    SortedDictionary<string, AccountView?> LedgerViews,
    SortedDictionary<string, string?> Processes,
    List<string> DeadLetters,
    int PendingOutbox)
{
    public const string LedgerCollection = "Bank.AccountLedger";
    public const string ProjectorComponent = "projector:Bank.AccountLedger";
    public const string ProcessComponent = "process:Bank.InterbankTransfer";
    public const string GatewayComponent = "gateway:Bank.WireNetwork";

    private static readonly HashSet<string> ProjectedTypes = TypeNames(typeof(AccountCreated), typeof(FundsDeposited), typeof(FundsWithdrawn), typeof(FundsReserved), typeof(FundsReleased), typeof(FundsCommitted));
    private static readonly HashSet<string> ProcessTypes = TypeNames(typeof(WireTransferInitiated), typeof(FundsReserved), typeof(WireTransferSucceeded), typeof(WireTransferFailed), typeof(FundsCommitted), typeof(FundsReleased));
    private static readonly HashSet<string> GatewayTypes = TypeNames(typeof(FundsReserved));

    private static HashSet<string> TypeNames(params Type[] types) =>
        types.Select(t => BankSchema.MessageTypes.Single(m => m.ClrType == t).Name).ToHashSet();

    /// <summary>An independent view of the store under <paramref name="prefix"/>: the runtime's services without a host (no workers).</summary>
    public static ServiceProvider OpenStore(string natsUrl, string prefix)
    {
        var services = new ServiceCollection();
        services.AddConcordance(o => o.UseNats(natsUrl, n => n.Prefix = prefix))
            .AddMessages(BankSchema.MessageTypes)
            .AddAggregate<BankAccount>()
            .AddProjector<AccountLedger>()
            .AddProcessManager<InterbankTransfer>();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Polls until the run has settled — every wire's process instance ended, the outbox empty, and the projector,
    /// the process manager and the gateway each checkpointed past the last event it subscribes to — then reads the
    /// final state. A dead letter fails at once; not settling within <paramref name="timeout"/> fails with what is
    /// still missing.
    /// </summary>
    public static async Task<BankFinalState> WaitUntilSettledAsync(IServiceProvider services, IReadOnlyList<AccountScript> accounts, TimeSpan timeout, Func<string> diagnostics)
    {
        var store = services.GetRequiredService<IConcordanceStore>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var missing = await WhatIsMissingAsync(store, accounts);
            if (missing.Count == 0) break;
            if (missing[0].StartsWith("dead letter", StringComparison.Ordinal) || DateTime.UtcNow >= deadline)
                throw new Xunit.Sdk.XunitException($"The run did not settle within {timeout.TotalSeconds:0} s:{Environment.NewLine}  "
                    + string.Join(Environment.NewLine + "  ", missing.Take(20)) + Environment.NewLine + diagnostics());
            await Task.Delay(100);
        }
        return await ReadAsync(services, accounts);
    }

    private static async Task<List<string>> WhatIsMissingAsync(IConcordanceStore store, IReadOnlyList<AccountScript> accounts)
    {
        var missing = new List<string>();
        foreach (var letter in await store.DeadLetters.ListAsync())
            missing.Add($"dead letter: {letter.Component} parked {letter.EventType} at {letter.Position}: {letter.Error.Split('\n')[0]}");
        if (missing.Count > 0) return missing;
        foreach (var account in accounts)
        {
            var document = await store.Components.GetDocumentAsync(ProcessComponent, account.WireTransferId);
            if (document is null) missing.Add($"process {account.WireTransferId}: no instance yet");
            else
            {
                using var json = JsonDocument.Parse(document.Data);
                if (!json.RootElement.GetProperty("ended").GetBoolean()) missing.Add($"process {account.WireTransferId}: still running ({Encoding.UTF8.GetString(document.Data.Span)})");
            }
        }
        if ((await store.Outbox.GetPendingAsync(100)).Count is var pending and > 0) missing.Add($"outbox: {pending} message(s) pending");
        var log = await ReadLogAsync(store);
        foreach (var (component, types) in new[] { (ProjectorComponent, ProjectedTypes), (ProcessComponent, ProcessTypes), (GatewayComponent, GatewayTypes) })
        {
            var last = log.Where(e => types.Contains(e.Type)).Select(e => e.Position).DefaultIfEmpty(0).Max();
            var checkpoint = await store.Components.GetCheckpointAsync(component);
            if (checkpoint < last) missing.Add($"{component}: checkpoint {checkpoint}, its last event is at {last}");
        }
        return missing;
    }

    public static async Task<List<StoredEvent>> ReadLogAsync(IConcordanceStore store)
    {
        var log = new List<StoredEvent>();
        var after = 0L;
        while (true)
        {
            var page = await store.Events.ReadAllAsync(after, 500);
            if (page.Count == 0) return log;
            log.AddRange(page);
            after = page[^1].Position;
        }
    }

    private static async Task<BankFinalState> ReadAsync(IServiceProvider services, IReadOnlyList<AccountScript> accounts)
    {
        var store = services.GetRequiredService<IConcordanceStore>();
        var readModels = services.GetRequiredService<IReadModels>();
        var streams = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var e in await ReadLogAsync(store))
        {
            if (!streams.TryGetValue(e.Stream.ToString(), out var events)) streams[e.Stream.ToString()] = events = [];
            events.Add($"v{e.Version} {e.Type} id={e.Id} correlation={e.CorrelationId} {Encoding.UTF8.GetString(e.Data.Span)}");
        }
        var ledgers = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        var views = new SortedDictionary<string, AccountView?>(StringComparer.Ordinal);
        var processes = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            ledgers[account.AccountNumber] = await store.Components.GetDocumentAsync(LedgerCollection, account.AccountNumber) is { } ledger ? Encoding.UTF8.GetString(ledger.Data.Span) : null;
            views[account.AccountNumber] = await readModels.GetAsync<AccountView>("AccountLedger", account.AccountNumber);
            processes[account.WireTransferId] = await store.Components.GetDocumentAsync(ProcessComponent, account.WireTransferId) is { } process ? Encoding.UTF8.GetString(process.Data.Span) : null;
        }
        var deadLetters = (await store.DeadLetters.ListAsync()).Select(d => $"{d.Component} {d.EventType} at {d.Position}").ToList();
        return new BankFinalState(streams, ledgers, views, processes, deadLetters, (await store.Outbox.GetPendingAsync(100)).Count);
    }

    /// <summary>Every way <paramref name="actual"/> differs from <paramref name="expected"/>, one line each (empty when equal).</summary>
    public static List<string> Differences(BankFinalState expected, BankFinalState actual)
    {
        var differences = new List<string>();
        foreach (var stream in expected.Streams.Keys.Union(actual.Streams.Keys).Order(StringComparer.Ordinal))
        {
            var e = expected.Streams.GetValueOrDefault(stream) ?? [];
            var a = actual.Streams.GetValueOrDefault(stream) ?? [];
            if (e.SequenceEqual(a)) continue;
            var first = Enumerable.Range(0, Math.Max(e.Count, a.Count)).First(i => i >= e.Count || i >= a.Count || e[i] != a[i]);
            differences.Add($"stream {stream}: {e.Count} event(s) in the single-host run, {a.Count} on two hosts; event {first + 1}:{Environment.NewLine}"
                + $"    single-host: {(first < e.Count ? e[first] : "(none)")}{Environment.NewLine}    two hosts:   {(first < a.Count ? a[first] : "(none)")}");
        }
        Compare("ledger", expected.Ledgers, actual.Ledgers, (a, b) => a == b, d => d ?? "(none)", differences);
        Compare("process instance", expected.Processes, actual.Processes, (a, b) => a == b, d => d ?? "(none)", differences);
        if (!expected.DeadLetters.SequenceEqual(actual.DeadLetters))
            differences.Add($"dead letters: expected [{string.Join(", ", expected.DeadLetters)}], found [{string.Join(", ", actual.DeadLetters)}]");
        if (expected.PendingOutbox != actual.PendingOutbox)
            differences.Add($"pending outbox: expected {expected.PendingOutbox}, found {actual.PendingOutbox}");
        return differences;
    }

    private static void Compare<T>(string what, SortedDictionary<string, T> expected, SortedDictionary<string, T> actual, Func<T, T, bool> equal, Func<T, string> show, List<string> differences)
    {
        foreach (var key in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            var inExpected = expected.TryGetValue(key, out var e);
            var inActual = actual.TryGetValue(key, out var a);
            if (!inActual) differences.Add($"{what} {key}: missing; single-host run has {show(e!)}");
            else if (!inExpected) differences.Add($"{what} {key}: not in the single-host run; found {show(a!)}");
            else if (!equal(e!, a!)) differences.Add($"{what} {key}:{Environment.NewLine}    single-host: {show(e!)}{Environment.NewLine}    two hosts:   {show(a!)}");
        }
    }
}
