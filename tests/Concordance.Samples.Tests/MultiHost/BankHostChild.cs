using System.Globalization;
using System.Text;
using Bank;
using Concordance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Concordance.Samples.Tests.MultiHost;

/// <summary>
/// The test assembly's entry point. The multi-host test runs this assembly as a child process
/// (<c>dotnet exec Concordance.Samples.Tests.dll host NATS_URL PREFIX WIRE_URL</c>): a bank host. Without
/// arguments it returns at once (test runners never call it with any).
/// </summary>
public static class TestEntryPoint
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["host", var natsUrl, var prefix, var wireNetwork]) return 0;
        return await BankHostChild.RunAsync(natsUrl, prefix, new Uri(wireNetwork));
    }
}

/// <summary>
/// One bank host: a real Generic Host with the runtime on NATS JetStream (prefix <c>PREFIX</c>) and every bank
/// component — the BankAccount aggregate, the AccountLedger projector, the InterbankTransfer process manager and the
/// WireNetwork gateway calling the simulated wire network at <c>WIRE_URL</c> — as the sample's story wires them.
/// </summary>
/// <remarks>
/// <para>Protocol, one line each way per command (tab-separated, UTF-8):</para>
/// <list type="bullet">
/// <item>stdout <c>ready</c> once the host has started;</item>
/// <item>stdin <c>{command id}\t{message type name}\t{schema version}\t{command JSON}</c>: sent through
/// <see cref="ICommandBus"/> with that command id; lines are handled concurrently (the parent never has two
/// commands of one account outstanding);</item>
/// <item>stdout <c>{command id}\taccepted\t{version}\t{event types}</c>, <c>{command id}\trejected\t{version}\t{reason}</c>
/// or <c>{command id}\tfailed\t0\t{exception}</c>;</item>
/// <item>end of stdin: the host stops and the process exits 0.</item>
/// </list>
/// </remarks>
internal static class BankHostChild
{
    public static async Task<int> RunAsync(string natsUrl, string prefix, Uri wireNetwork)
    {
        using var http = new HttpClient { BaseAddress = wireNetwork, Timeout = TimeSpan.FromSeconds(30) };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // stdout is the protocol: every log line goes to stderr, which the parent keeps for its failure messages.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddConcordance(o =>
            {
                o.UseNats(natsUrl, n =>
                {
                    n.Prefix = prefix;
                    n.PollInterval = TimeSpan.FromMilliseconds(50);
                    n.ConnectionName = $"bank-host-{Environment.ProcessId}";
                });
                o.Processing.IdlePollInterval = TimeSpan.FromMilliseconds(500);
                o.Processing.OutboxPollInterval = TimeSpan.FromMilliseconds(200);
            })
            .AddMessages(BankSchema.MessageTypes)
            .AddAggregate<BankAccount>()
            .AddProjector<AccountLedger>()
            .AddProcessManager<InterbankTransfer>()
            .AddGateway<WireNetwork>();
        builder.Services.AddSingleton(new WireNetworkClient(http));
        builder.Services.AddSingleton<WireInstructions>();

        using var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        var serializer = host.Services.GetRequiredService<MessageSerializer>();
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        var writeLock = new object();
        void Reply(string line)
        {
            lock (writeLock) stdout.WriteLine(line);
        }

        Reply("ready");
        var handling = new List<Task>();
        using var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        while (await stdin.ReadLineAsync() is { } line)
        {
            if (line.Length == 0) continue;
            handling.Add(Task.Run(() => HandleAsync(line)));
        }
        await Task.WhenAll(handling);
        await host.StopAsync();
        return 0;

        async Task HandleAsync(string line)
        {
            var fields = line.Split('\t', 4);
            var commandId = fields[0];
            try
            {
                if (fields.Length != 4) throw new FormatException($"Not a command line: '{line}'.");
                var command = (ICommand)serializer.Deserialize(fields[1], int.Parse(fields[2], CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(fields[3]));
                var result = await bus.SendAsync(command, new CommandMetadata { CommandId = commandId });
                var version = result.Version.ToString(CultureInfo.InvariantCulture);
                Reply(result.IsAccepted
                    ? $"{commandId}\taccepted\t{version}\t{string.Join(",", result.Events.Select(e => e.GetType().Name))}"
                    : $"{commandId}\trejected\t{version}\t{OneLine(result.RejectionReason!)}");
            }
            catch (Exception ex)
            {
                Reply($"{commandId}\tfailed\t0\t{OneLine(ex.ToString())}");
            }
        }
    }

    private static string OneLine(string text) => text.Replace('\t', ' ').Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' ');
}
