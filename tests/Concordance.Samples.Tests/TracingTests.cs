using System.Diagnostics;
using Bank;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace Concordance.Samples.Tests;

/// <summary>
/// OpenTelemetry wired as docs/observability.md shows, on the bank sample over a real SQLite file: one wire transfer
/// is one trace, from <c>SendAsync</c> through the events, the process manager, the outbox, the gateway and its HTTP
/// call to the network, each span the child of the one that caused it; and the metrics are recorded.
/// </summary>
public sealed class TracingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("concordance-tracing-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Given_opentelemetry_wired_when_a_wire_transfer_runs_through_the_bank_then_one_trace_links_the_send_the_process_the_outbox_the_gateway_and_its_http_call()
    {
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        await using var network = SimulatedWireNetwork.Start();
        using var http = new HttpClient { BaseAddress = network.BaseAddress };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddConcordance(o => o.UseSqlite($"Data Source={Path.Combine(_directory, "bank.db")}"))
            .AddMessages(BankSchema.MessageTypes).AddAggregate<BankAccount>().AddProjector<AccountLedger>().AddProcessManager<InterbankTransfer>().AddGateway<WireNetwork>();
        builder.Services.AddSingleton(new WireNetworkClient(http));
        builder.Services.AddSingleton<WireInstructions>();
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(ConcordanceTelemetry.Name).AddSource("System.Net.Http").AddInMemoryExporter(spans))
            .WithMetrics(m => m.AddMeter(ConcordanceTelemetry.Name).AddInMemoryExporter(metrics));
        using var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        Assert.True((await bus.SendAsync(new CreateAccount("TR1", 4000m, 100m, "CUSTBOB"))).IsAccepted);

        Assert.True((await bus.SendAsync(new WireFunds("TR1", 2500m, null, "CUSTBOB", "WT-T1", "021000021", "987654321"), new CommandMetadata { CommandId = "trace-wire" })).IsAccepted);
        await WaitForAsync(async () => (await host.Services.GetRequiredService<IReadModels>().GetAsync<AccountView>("AccountLedger", "TR1"))?.Balance == 1500m, "the wire committed in the ledger");
        await WaitForAsync(() => Task.FromResult(Snapshot(spans).Any(s => s.DisplayName == "process:Bank.InterbankTransfer Bank.FundsCommitted")), "the process's last span");
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        await host.StopAsync();

        var root = Assert.Single(Snapshot(spans), s => s.DisplayName == "send Bank.WireFunds" && (string?)s.GetTagItem("concordance.command.id") == "trace-wire");
        var trace = Snapshot(spans).Where(s => s.TraceId == root.TraceId).ToList();
        Activity One(string name, Activity parent) =>
            Assert.Single(trace, s => s.DisplayName == name && s.ParentSpanId == parent.SpanId);

        var started = One("process:Bank.InterbankTransfer Bank.WireTransferInitiated", root);
        var reserve = One("send Bank.ReserveFunds", One("outbox Bank.ReserveFunds", started));
        One("projector:Bank.AccountLedger Bank.FundsReserved", reserve);
        One("process:Bank.InterbankTransfer Bank.FundsReserved", reserve);
        var gateway = One("gateway:Bank.WireNetwork Bank.FundsReserved", reserve);
        var call = Assert.Single(trace, s => s.Source.Name == "System.Net.Http" && s.ParentSpanId == gateway.SpanId);
        Assert.Equal("POST", call.GetTagItem("http.request.method"));
        var succeeded = One("process:Bank.InterbankTransfer Bank.WireTransferSucceeded", gateway);
        var commit = One("send Bank.CommitFunds", One("outbox Bank.CommitFunds", succeeded));
        One("projector:Bank.AccountLedger Bank.FundsCommitted", commit);
        One("process:Bank.InterbankTransfer Bank.FundsCommitted", commit);
        Assert.Equal(default, root.ParentSpanId);
        Assert.Equal(13, trace.Count);

        var names = metrics.Select(m => m.Name).ToHashSet();
        Assert.Contains(ConcordanceTelemetry.CommandDuration, names);
        Assert.Contains(ConcordanceTelemetry.EventsAppended, names);
        Assert.Contains(ConcordanceTelemetry.ProjectorLag, names);
        Assert.Contains(Points(metrics, ConcordanceTelemetry.CommandDuration), p => Tag(p, "concordance.command.type") == "Bank.WireFunds" && Tag(p, "concordance.command.outcome") == "accepted");
        Assert.Contains(Points(metrics, ConcordanceTelemetry.EventsAppended), p => Tag(p, "concordance.stream.category") == "Bank.BankAccount" && p.GetSumLong() >= 4);
        var lag = Points(metrics, ConcordanceTelemetry.ProjectorLag);
        Assert.True(lag.Any(p => Tag(p, ConcordanceTelemetry.ComponentTag) == "projector:Bank.AccountLedger"),
            "lag points: " + string.Join(", ", lag.Select(p => $"{Tag(p, ConcordanceTelemetry.ComponentTag)}={p.GetGaugeLastValueLong()}")));
    }

    private static List<Activity> Snapshot(List<Activity> spans)
    {
        lock (spans) return [.. spans];
    }

    private static List<MetricPoint> Points(List<MetricSnapshot> metrics, string name) =>
        metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints).ToList();

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key) return tag.Value?.ToString();
        }
        return null;
    }

    private static async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
