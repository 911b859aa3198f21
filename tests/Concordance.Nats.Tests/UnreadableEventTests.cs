using System.Text;
using Concordance.Runtime.Tests.Commands;
using Concordance.Runtime.Tests.Processing;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>
/// Events that cannot be read, on a real nats-server: a message on a stream's subject that does not decode (published
/// by hand), and well-formed messages whose event data does not read as its type. Hosted components park them as dead
/// letters with the bytes as stored and go on; aggregates refuse commands to their stream naming stream, version and cause.
/// </summary>
public sealed class UnreadableEventTests(NatsServerFixture server) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private const string LedgerComponent = "projector:" + Ledger.ProjectorName;
    private const string PayoutComponent = "process:" + PayoutProcess.ProcessName;
    private static readonly byte[] Garbage = [0xFF, 0x00, 0x13, 0x37, (byte)'{'];
    private readonly string _prefix = server.FreshOptions().Prefix;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => server.DeleteStreamsAsync(_prefix);

    private IHost Build(IEnumerable<MessageType>? messages = null, Action<IConcordanceBuilder>? components = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var concordance = builder.Services.AddConcordance(o =>
        {
            o.UseNats(server.Url, n =>
            {
                n.Prefix = _prefix;
                n.PollInterval = TimeSpan.FromMilliseconds(50);
            });
            o.Processing.MaxAttempts = 2;
            o.Processing.RetryDelay = TimeSpan.FromMilliseconds(1);
            o.Processing.IdlePollInterval = TimeSpan.FromMilliseconds(200);
        })
        .AddMessages(messages ?? AccountMessages.All).AddMessages(ProcessingMessages.All).AddAggregate<AccountAggregate>();
        components?.Invoke(concordance);
        return builder.Build();
    }

    private static StreamId Account(string id) => new(AccountAggregate.AggregateName, id);

    private static StreamId Payouts(string id) => new("Tests.Payouts", id);

    private static IConcordanceStore Store(IHost host) => host.Services.GetRequiredService<IConcordanceStore>();

    /// <summary>Publishes <paramref name="body"/> on <paramref name="stream"/>'s subject as nobody but a broken writer would; returns its position.</summary>
    private async Task<long> PublishRawAsync(StreamId stream, byte[] body)
    {
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = server.Url });
        var subject = $"{_prefix}.ev.{SubjectToken.Encode(stream.Category)}.{SubjectToken.Encode(stream.Key)}";
        var ack = await new NatsJSContext(connection).PublishAsync(subject, body);
        ack.EnsureSuccess();
        return EventMessage.Position(ack.Seq, 0);
    }

    /// <summary>Appends one event whose data is <paramref name="json"/>, in a well-formed message; returns it as stored.</summary>
    private static async Task<StoredEvent> AppendJsonAsync(IHost host, StreamId stream, string type, string json, int schemaVersion = 1) =>
        (await Store(host).Events.AppendAsync([new AppendRequest(stream, ExpectedVersion.Any,
            [new NewEvent(Guid.NewGuid().ToString("N"), type, schemaVersion, Encoding.UTF8.GetBytes(json), Buses.Now, "/tests", null, null)])]))[0].Events[0];

    private static async Task WaitForCheckpointAsync(IHost host, string component)
    {
        var head = await Store(host).Events.GetHeadPositionAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await Store(host).Components.GetCheckpointAsync(component) < head)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{component} never reached the head at {head}.");
            await Task.Delay(50);
        }
    }

    private static string Text(ReadOnlyMemory<byte>? data) => Encoding.UTF8.GetString(data!.Value.Span);

    [Fact]
    public async Task Given_an_undecodable_message_when_reading_the_stream_and_the_log_then_it_comes_in_its_place_with_the_problem_and_its_raw_bytes_and_the_events_after_it_too()
    {
        var options = server.FreshOptions();
        options.Prefix = _prefix;
        await using var store = await NatsStore.ConnectAsync(options);
        var stream = new StreamId("Test.Account", "a");
        var before = (await store.AppendAsync([new AppendRequest(stream, 0, [NewEvent("e1"), NewEvent("e2")])]))[0].Events;
        var position = await PublishRawAsync(stream, Garbage);
        var tail = await PublishRawAsync(stream, Garbage);

        var fromStream = new List<StoredEvent>();
        await foreach (var e in store.ReadStreamAsync(stream, 2)) fromStream.Add(e);
        var fromLog = await store.ReadAllAsync(0, 10, new EventFilter(new HashSet<string> { "Test.Happened" }));

        Assert.Equal([(2L, "e2", (string?)null), (3L, "", "cannot be decoded"), (3L, "", "cannot be decoded")],
            fromStream.Select(e => (e.Version, e.Id, e.Problem is null ? null : "cannot be decoded")));
        Assert.Equal([before[0].Position, before[1].Position, position, tail], fromLog.Select(e => e.Position));
        Assert.All(fromLog.Skip(2), e => Assert.Equal(Garbage, e.Data.ToArray()));
        Assert.All(fromLog.Skip(2), e => Assert.Contains("cannot be decoded", e.Problem));
        Assert.Equal(tail, await store.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Given_a_dead_letter_stored_before_the_event_data_was_kept_when_it_is_read_then_it_reads_without_data()
    {
        var options = server.FreshOptions();
        options.Prefix = _prefix;
        await using var store = await NatsStore.ConnectAsync(options);
        var letter = new DeadLetter("d1", "projector:Ledger", 7, new StreamId("Test.Account", "a"), "e7", "Test.Happened", "boom", 3, Buses.Now);
        // The record as the store wrote it before: without the Data and SchemaVersion properties.
        var old = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(letter, NatsJson.Default.DeadLetter))!.AsObject();
        Assert.True(old.Remove("Data") && old.Remove("SchemaVersion"));
        await using (var connection = new NatsConnection(NatsOpts.Default with { Url = server.Url }))
        {
            var bucket = await new NATS.Client.KeyValueStore.NatsKVContext(new NatsJSContext(connection)).GetStoreAsync(_prefix + "_deadletters");
            await bucket.PutAsync(SubjectToken.Encode("d1"), Encoding.UTF8.GetBytes(old.ToJsonString()));
        }

        var read = await ((IDeadLetterStore)store).GetAsync("d1");
        var listed = Assert.Single(await store.ListAsync());

        Assert.Equal(letter, read);
        Assert.Equal(letter, listed);
        Assert.Null(read!.Data);
        Assert.Equal(0, read.SchemaVersion);
    }

    private static NewEvent NewEvent(string id) => new(id, "Test.Happened", 1, Encoding.UTF8.GetBytes("{}"), Buses.Now, "/tests", null, null);

    [Fact]
    public async Task Given_an_undecodable_message_and_an_event_with_bad_json_when_the_hosted_projector_runs_then_both_are_dead_letters_with_their_raw_bytes_and_later_events_are_projected()
    {
        using var host = Build(components: c => c.AddProjector<Ledger>());
        var bus = host.Services.GetRequiredService<ICommandBus>();
        Assert.True((await bus.SendAsync(new Open("good", 0m))).IsAccepted);
        var garbage = await PublishRawAsync(Account("broken"), Garbage);
        var badJson = await AppendJsonAsync(host, Account("bad"), "Tests.Opened", """{"account":"bad","minBal""");
        Assert.True((await bus.SendAsync(new Deposit("good", 5m))).IsAccepted);

        await host.StartAsync();
        await WaitForCheckpointAsync(host, LedgerComponent);
        await host.StopAsync();

        var letters = (await host.Services.GetRequiredService<IDeadLetters>().ListAsync(LedgerComponent)).OrderBy(l => l.Position).ToList();
        Assert.Equal([garbage, badJson.Position], letters.Select(l => l.Position));
        Assert.Equal((Account("broken"), "", 0, 2), (letters[0].Stream, letters[0].EventType, letters[0].SchemaVersion, letters[0].Attempts));
        Assert.Equal(Garbage, letters[0].Data!.Value.ToArray());
        Assert.Contains("cannot be decoded", letters[0].Error);
        Assert.Equal((Account("bad"), badJson.Id, "Tests.Opened", 1), (letters[1].Stream, letters[1].EventId, letters[1].EventType, letters[1].SchemaVersion));
        Assert.Equal("""{"account":"bad","minBal""", Text(letters[1].Data));
        Assert.Contains("version 1 of stream 'Tests.Account/bad'", letters[1].Error);
        Assert.Equal(new AccountSummary("good", 5m, 2, "deposit"), await host.Services.GetRequiredService<IReadModels>().GetAsync<AccountSummary>("Ledger", "good"));
    }

    [Fact]
    public async Task Given_an_unreadable_event_too_large_to_keep_in_its_dead_letter_when_the_hosted_projector_runs_then_it_is_parked_without_its_data_and_the_log_flows()
    {
        using var host = Build(components: c => c.AddProjector<Ledger>());
        // 800 KB of truncated JSON: one message holds it, but not again as base64 inside the commit that parks it.
        var big = await AppendJsonAsync(host, Account("big"), "Tests.Opened", "{\"account\":\"" + new string('x', 800_000));
        Assert.True((await host.Services.GetRequiredService<ICommandBus>().SendAsync(new Open("after", 0m))).IsAccepted);

        await host.StartAsync();
        await WaitForCheckpointAsync(host, LedgerComponent);
        await host.StopAsync();

        var letter = Assert.Single(await host.Services.GetRequiredService<IDeadLetters>().ListAsync());
        Assert.Equal((big.Position, "Tests.Opened", 1), (letter.Position, letter.EventType, letter.SchemaVersion));
        Assert.Null(letter.Data);
        Assert.Contains("version 1 of stream 'Tests.Account/big'", letter.Error);
        Assert.Equal(new AccountSummary("after", 0m, 1, "opened"), await host.Services.GetRequiredService<IReadModels>().GetAsync<AccountSummary>("Ledger", "after"));
    }

    [Fact]
    public async Task Given_an_event_the_reader_refuses_and_an_undecodable_message_when_the_hosted_process_manager_runs_then_both_are_dead_letters_and_later_instances_go_on()
    {
        using var host = Build(components: c => c.AddProcessManager<PayoutProcess>());
        var process = host.Services.GetRequiredService<PayoutProcess>();
        await AppendJsonAsync(host, Payouts("p1"), "Tests.PayoutRequested", """{"payoutId":"p1","account":"alice","amount":25}""");
        var deep = "{\"payoutId\":\"p1\",\"extra\":" + new string('[', 100) + new string(']', 100) + "}";
        var refused = await AppendJsonAsync(host, Payouts("p1"), "Tests.PayoutApproved", deep);
        var garbage = await PublishRawAsync(Payouts("p3"), Garbage);
        await AppendJsonAsync(host, Payouts("p2"), "Tests.PayoutRequested", """{"payoutId":"p2","account":"bob","amount":1}""");
        await AppendJsonAsync(host, Payouts("p2"), "Tests.PayoutApproved", """{"payoutId":"p2"}""");

        await host.StartAsync();
        await WaitForCheckpointAsync(host, PayoutComponent);
        await host.StopAsync();

        var letters = (await host.Services.GetRequiredService<IDeadLetters>().ListAsync()).OrderBy(l => l.Position).ToList();
        Assert.Equal([(refused.Position, "Tests.PayoutApproved"), (garbage, "")], letters.Select(l => (l.Position, l.EventType)));
        Assert.All(letters, l => Assert.Equal(PayoutComponent, l.Component));
        Assert.Equal(deep, Text(letters[0].Data));
        Assert.Contains("depth", letters[0].Error);
        Assert.Equal(Garbage, letters[1].Data!.Value.ToArray());
        Assert.Contains("cannot be decoded", letters[1].Error);
        Assert.Contains(process.Handled, h => h.Event is PayoutApproved { PayoutId: "p2" });
        Assert.DoesNotContain(process.Handled, h => h.Event is PayoutApproved { PayoutId: "p1" });
    }

    [Fact]
    public async Task Given_a_dead_letter_of_an_unregistered_version_when_its_upcast_is_registered_and_it_is_retried_then_the_event_is_read_again_and_projected()
    {
        using var host = Build(AccountMessages.All.Where(t => t is not { Name: "Tests.Deposited", Version: 1 }), c => c.AddProjector<Ledger>());
        Assert.True((await host.Services.GetRequiredService<ICommandBus>().SendAsync(new Open("old", 0m))).IsAccepted);
        await AppendJsonAsync(host, Account("old"), "Tests.Deposited", """{"account":"old","amount":40}""");
        await host.StartAsync();
        await WaitForCheckpointAsync(host, LedgerComponent);
        await host.StopAsync();
        var deadLetters = host.Services.GetRequiredService<IDeadLetters>();
        var letter = Assert.Single(await deadLetters.ListAsync());
        Assert.Contains("'Tests.Deposited' version 1 is not registered", letter.Error);

        host.Services.GetRequiredService<ComponentCatalog>().Add(AccountMessages.All.Single(t => t is { Name: "Tests.Deposited", Version: 1 }));
        var retried = await deadLetters.RetryAsync(letter.Id);

        Assert.True(retried);
        Assert.Empty(await deadLetters.ListAsync());
        Assert.Equal(new AccountSummary("old", 40m, 2, "(v1)"), await host.Services.GetRequiredService<IReadModels>().GetAsync<AccountSummary>("Ledger", "old"));
    }

    [Theory]
    [InlineData(true, "cannot be decoded")]
    [InlineData(false, "Tests.Deposited v2:")]
    public async Task Given_a_stream_holding_an_unreadable_event_when_commands_are_sent_then_each_fails_naming_stream_version_and_cause_and_other_streams_work(
        bool undecodable, string cause)
    {
        using var host = Build();
        var bus = host.Services.GetRequiredService<ICommandBus>();
        Assert.True((await bus.SendAsync(new Open("alice", 0m))).IsAccepted);
        Assert.True((await bus.SendAsync(new Open("bob", 0m))).IsAccepted);
        if (undecodable) await PublishRawAsync(Account("alice"), Garbage);
        else await AppendJsonAsync(host, Account("alice"), "Tests.Deposited", """{"account":"alice","amount":"ten"}""", schemaVersion: 2);
        // A host that starts afresh (a restart) has no cached state to hide the event behind.
        using var restarted = Build();
        var restartedBus = restarted.Services.GetRequiredService<ICommandBus>();

        var first = await Assert.ThrowsAsync<CorruptEventException>(() => restartedBus.SendAsync(new Deposit("alice", 1m)));
        var second = await Assert.ThrowsAsync<CorruptEventException>(() => restartedBus.SendAsync(new Deposit("alice", 2m)));

        Assert.Equal((Account("alice"), (long?)2), (first.Stream, first.Version));
        Assert.StartsWith("The stored event at version 2 of stream 'Tests.Account/alice'", first.Message);
        Assert.Contains(cause, first.Message);
        Assert.Equal(first.Message, second.Message);
        Assert.True((await restartedBus.SendAsync(new Deposit("bob", 3m))).IsAccepted);
    }
}
