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

    /// <summary>A payload the size of a serialised deposit event.</summary>
    public static readonly byte[] Payload = System.Text.Encoding.UTF8.GetBytes("""{"account":"acc-0001","amount":1,"note":"deposit"}""");
}
