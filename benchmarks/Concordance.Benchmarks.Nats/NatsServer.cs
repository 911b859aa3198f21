using Bench;
using Concordance.Nats;
using Concordance.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Concordance.Benchmarks.Nats;

/// <summary>The server under test and what the raw-client baselines share with the store.</summary>
public static class NatsServer
{
    public const string UrlVariable = "CONCORDANCE_NATS_URL";

    public static string Url => Environment.GetEnvironmentVariable(UrlVariable) ?? "nats://127.0.0.1:4222";

    /// <summary>A prefix no other benchmark process uses (each BenchmarkDotNet case runs in its own process).</summary>
    public static string FreshPrefix(string name) => name + Guid.NewGuid().ToString("N")[..8];

    public static Task<NatsStore> OpenStoreAsync(string prefix) => NatsStore.ConnectAsync(new NatsStoreOptions { Url = Url, Prefix = prefix });

    /// <summary>A raw connection and a stream configured like the store's events stream (file storage, R1, dedupe window).</summary>
    public static async Task<(NatsConnection Connection, NatsJSContext Js)> OpenRawAsync(string stream, string subjects)
    {
        var connection = new NatsConnection(NatsOpts.Default with { Url = Url });
        await connection.ConnectAsync();
        var js = new NatsJSContext(connection);
        await js.CreateOrUpdateStreamAsync(new StreamConfig(stream, [subjects])
        {
            Storage = StreamConfigStorage.File,
            NumReplicas = 1,
            DuplicateWindow = TimeSpan.FromMinutes(10),
            AllowDirect = true,
        });
        return (connection, js);
    }

    /// <summary>Deletes every stream whose name holds <paramref name="prefix"/>.</summary>
    public static async Task DeleteStreamsAsync(string prefix)
    {
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = Url });
        var js = new NatsJSContext(connection);
        var names = new List<string>();
        await foreach (var name in js.ListStreamNamesAsync()) if (name.Contains(prefix, StringComparison.Ordinal)) names.Add(name);
        foreach (var name in names) await js.DeleteStreamAsync(name);
    }

    /// <summary>The generated messages of the ledger schema (the runtime benchmarks' <c>Ledger.concordance</c>).</summary>
    public static readonly MessageSerializer Serializer = new(LedgerCatalog());

    /// <summary>A deposit event serialised as the store stores it: its message type and its JSON.</summary>
    public static readonly (MessageType Type, byte[] Data) DepositEvent = Serializer.Serialize(Deposit("acc-0001"));

    /// <summary>The raw baselines' payload: <see cref="DepositEvent"/>'s JSON.</summary>
    public static byte[] Payload => DepositEvent.Data;

    /// <summary>The event a deposit command decides.</summary>
    public static FundsDeposited Deposit(string account) => new(account, 1m, "deposit", "CUST0001");

    /// <summary>The command bus over <paramref name="store"/> for the ledger's account, with the runtime's defaults.</summary>
    public static CommandBus CreateBus(NatsStore store) =>
        new(store, [new Account()], Serializer, new ConcordanceOptions { Source = "/bench" }, TimeProvider.System);

    private static ComponentCatalog LedgerCatalog()
    {
        var catalog = new ComponentCatalog();
        foreach (var type in LedgerSchema.MessageTypes) catalog.Add(type);
        return catalog;
    }
}
