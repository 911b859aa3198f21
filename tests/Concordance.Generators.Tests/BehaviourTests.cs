using System.Text;
using System.Text.Json;
using Bank;
using BankApp;
using Concordance;
using Microsoft.Extensions.DependencyInjection;
using Samples.AllTypes;
using Samples.Versions;
using SamplesApp;
using Xunit;

namespace Concordance.Generators.Tests;

/// <summary>The generated types of Schemas/*.concordance, compiled into this assembly by the generator, used directly.</summary>
public sealed class BehaviourTests
{
    private static Everything SampleEverything(string city = "Paris") => new(
        Text: "héllo \"quoted\"", Flag: true, Count: -42, Big: long.MaxValue, Money: 79228162514264337593543950335m, Ratio: 0.1 + 0.2,
        Id: Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), At: new DateTimeOffset(2024, 2, 29, 23, 59, 58, 123, TimeSpan.FromHours(5.5)).AddTicks(4567),
        Day: new DateOnly(1999, 12, 31), Span: new TimeSpan(3, 4, 5, 6, 7), Blob: [0, 1, 2, 255],
        MaybeText: null, MaybeCount: 7, MaybeBlob: null, MaybeAt: null,
        Numbers: [1, 2, 3], Names: ["a", null, "c"], Prices: new Dictionary<string, decimal> { ["x"] = 1.10m, ["y"] = -0.000001m },
        Address: new Address("Main St", city, ["home"]), MaybeAddress: null, Addresses: [new Address("A", "B", [])],
        Priority: Priority.High, MaybePriority: Priority.Low,
        Grid: [[1, 2], [], [3]], Index: new Dictionary<string, IReadOnlyList<Address>> { ["k"] = [new Address("S", "C", ["t1", "t2"])] },
        Blobs: [[9], []], MaybeNumbers: null);

    [Fact]
    public void Given_two_records_with_equal_lists_maps_and_bytes_in_different_instances_when_compared_then_they_are_equal_with_equal_hashes()
    {
        var left = SampleEverything();
        var right = SampleEverything();

        Assert.NotSame(left.Numbers, right.Numbers);
        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
    }

    [Fact]
    public void Given_records_that_differ_inside_a_nested_collection_when_compared_then_they_are_not_equal()
    {
        Assert.NotEqual(SampleEverything("Paris"), SampleEverything("Rome"));
        Assert.NotEqual(SampleEverything(), SampleEverything() with { Blob = [0, 1, 2, 254] });
        Assert.NotEqual(SampleEverything(), SampleEverything() with { Prices = new Dictionary<string, decimal> { ["x"] = 1.10m } });
        Assert.NotEqual(SampleEverything(), SampleEverything() with { Grid = [[1, 2], [3]] });
    }

    [Fact]
    public void Given_a_record_with_every_field_type_when_serialized_and_read_back_then_it_is_equal()
    {
        var original = SampleEverything() with { MaybeText = "t", MaybeBlob = [5], MaybeAt = DateTimeOffset.UnixEpoch, MaybeAddress = new Address("x", "y", []), MaybeNumbers = [] };

        var json = JsonSerializer.Serialize(original);
        var copy = JsonSerializer.Deserialize<Everything>(json);

        Assert.Equal(original, copy);
        Assert.Equal(original.At.Offset, copy!.At.Offset);
        Assert.Equal(original.Money, copy.Money);
    }

    [Fact]
    public void Given_a_record_when_serialized_then_names_are_camelCase_and_values_use_the_documented_formats()
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(SampleEverything()));
        var root = document.RootElement;

        Assert.Equal("High", root.GetProperty("priority").GetString());
        Assert.Equal("1999-12-31", root.GetProperty("day").GetString());
        Assert.Equal("3.04:05:06.0070000", root.GetProperty("span").GetString());
        Assert.Equal("AAEC/w==", root.GetProperty("blob").GetString());
        Assert.Equal("2024-02-29T23:59:58.1234567+05:30", root.GetProperty("at").GetString());
        Assert.Equal("79228162514264337593543950335", root.GetProperty("money").GetRawText());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("maybeText").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("names")[1].ValueKind);
        Assert.Equal("t2", root.GetProperty("index").GetProperty("k")[0].GetProperty("tags")[1].GetString());
    }

    [Fact]
    public void Given_JSON_with_unknown_properties_and_missing_nullable_ones_when_read_then_unknowns_are_skipped_and_nullables_are_null()
    {
        const string json = """{"unknown":{"deep":[1,{"x":2}]},"accountNumber":"A1","note":"n","amount":12.5,"extra":null,"customerId":"C"}""";

        var deposit = JsonSerializer.Deserialize<DepositFunds>(json);
        var withoutNote = JsonSerializer.Deserialize<DepositFunds>("""{"accountNumber":"A1","amount":1,"customerId":"C"}""");

        Assert.Equal(new DepositFunds("A1", 12.5m, "n", "C"), deposit);
        Assert.Null(withoutNote!.Note);
    }

    [Fact]
    public void Given_JSON_missing_a_required_property_when_read_then_a_JsonException_names_the_message_and_field()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DepositFunds>("""{"accountNumber":"A1","customerId":"C"}"""));

        Assert.Contains("Bank.DepositFunds", error.Message);
        Assert.Contains("amount", error.Message);
    }

    [Fact]
    public void Given_the_schema_descriptors_when_a_message_is_written_and_read_through_them_then_it_round_trips()
    {
        var type = BankSchema.MessageTypes.Single(t => t.ClrType == typeof(WireTransferInitiated));
        var message = new WireTransferInitiated("A", 10m, null, "C", "W1", "R", "T");
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) type.Write(writer, message);
        var reader = new Utf8JsonReader(buffer.ToArray());
        reader.Read();

        Assert.Equal(("Bank.WireTransferInitiated", 1, MessageKind.Event), (type.Name, type.Version, type.Kind));
        Assert.Equal(message, type.Read(ref reader));
        Assert.Null(type.Upcast);
    }

    [Fact]
    public void Given_the_Bank_aggregate_when_commands_are_decided_and_events_evolved_through_IAggregate_then_dispatch_reaches_the_typed_handlers()
    {
        IAggregate aggregate = new BankAccount();
        object? state = null;
        Decision Send(ICommand command)
        {
            var decision = aggregate.Decide(command, state);
            foreach (var @event in decision.Events) state = aggregate.Evolve(@event, state);
            return decision;
        }

        var created = Send(new CreateAccount("ABC123", 4000m, 100m, "CUSTBOB"));
        var deposited = Send(new DepositFunds("ABC123", 50m, "gift", "CUSTBOB"));
        var overdrawn = Send(new WithdrawFunds("ABC123", 5000m, null, "CUSTBOB"));
        Send(new ReserveFunds("ABC123", 1000m, "CUSTBOB", "W1"));
        Send(new CommitFunds("ABC123", "CUSTBOB", "W1"));

        Assert.Equal([new AccountCreated("ABC123", 4000m, 100m, "CUSTBOB")], created.Events);
        Assert.IsType<FundsDeposited>(Assert.Single(deposited.Events));
        Assert.True(overdrawn.IsRejected);
        Assert.Equal("Insufficient funds.", overdrawn.RejectionReason);
        Assert.Equal(new BankAccountState(3050m, 100m, "CUSTBOB", new Dictionary<string, decimal>()), state);
        Assert.Equal("Bank.BankAccount", aggregate.Name);
        Assert.Equal(typeof(BankAccountState), aggregate.StateType);
        Assert.Equal(7, aggregate.CommandTypes.Count);
        Assert.Contains(typeof(WireTransferInitiated), aggregate.EventTypes);
    }

    [Fact]
    public void Given_a_command_or_event_of_another_aggregate_when_dispatched_then_it_is_an_ArgumentException()
    {
        IAggregate aggregate = new BankAccount();

        Assert.Throws<ArgumentException>(() => aggregate.Decide(new Samples.Stateless.Ping(1), null));
        Assert.Throws<ArgumentException>(() => aggregate.Evolve(new Samples.Stateless.Pinged(1), null));
        Assert.Null(aggregate.KeyOf(new Samples.Stateless.Ping(1)));
    }

    [Fact]
    public void Given_a_handler_that_emits_several_events_when_decided_then_all_are_returned_in_order()
    {
        IAggregate pinger = new Pinger();

        var even = pinger.Decide(new Samples.Stateless.Ping(2), null);
        var odd = pinger.Decide(new Samples.Stateless.Ping(3), null);

        Assert.Equal([new Samples.Stateless.Pinged(2), new Samples.Stateless.Ponged(2)], even.Events);
        Assert.Equal([new Samples.Stateless.Ponged(3)], odd.Events);
    }

    [Fact]
    public void Given_keys_of_several_types_when_KeyOf_is_asked_then_it_returns_the_key_field_as_invariant_text()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        Assert.Equal("ABC123", ((IAggregate)new BankAccount()).KeyOf(new DepositFunds("ABC123", 1m, null, "C")));
        Assert.Equal("-12", ((IAggregate)new Pinger()).KeyOf(new Samples.Stateless.Ping(-12)));
        Assert.Equal(id.ToString(), ((IAggregate)new Vault()).KeyOf(new Store(id, SampleEverything())));
    }

    [Fact]
    public void Given_aggregate_state_when_written_and_read_through_IAggregate_then_it_round_trips()
    {
        IAggregate aggregate = new BankAccount();
        var state = new BankAccountState(10m, 1m, "C", new Dictionary<string, decimal> { ["W1"] = 2.5m });
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) aggregate.WriteState(writer, state);
        var reader = new Utf8JsonReader(buffer.ToArray());
        reader.Read();

        Assert.Equal(state, aggregate.ReadState(ref reader));
        Assert.Equal("""{"balance":10,"minBalance":1,"customerId":"C","reservedFunds":{"W1":2.5}}""", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void Given_the_transfer_process_when_its_events_arrive_then_steps_keys_states_and_commands_follow_the_schema()
    {
        IProcessManager process = new InterbankTransfer();
        var initiated = new WireTransferInitiated("A", 10m, null, "C", "W1", "R", "T");

        var started = process.Handle(initiated, null);
        var failed = process.Handle(new WireTransferFailed("W1", "no"), started.State);
        var released = process.Handle(new FundsReleased("A", "C", "W1"), failed.State);

        Assert.Equal(ProcessStep.Start, process.StepOf(initiated));
        Assert.Equal(ProcessStep.Advance, process.StepOf(new WireTransferFailed("W1", null)));
        Assert.Equal(ProcessStep.End, process.StepOf(new FundsReleased("A", "C", "W1")));
        Assert.Equal(ProcessStep.None, process.StepOf(new FundsDeposited("A", 1m, null, "C")));
        Assert.Equal("W1", process.KeyOf(initiated));
        Assert.Equal([new ReserveFunds("A", 10m, "C", "W1")], started.Commands);
        Assert.Equal(new InterbankTransferState("A", "C", 10m, TransferStatus.Failed), failed.State);
        Assert.Equal([new ReleaseFunds("A", "C", "W1")], failed.Commands);
        Assert.True(released.IsComplete);
        Assert.Null(released.State);
        Assert.Equal([typeof(ReserveFunds), typeof(CommitFunds), typeof(ReleaseFunds)], process.CommandTypes);
    }

    [Fact]
    public async Task Given_the_ledger_projector_when_events_are_projected_then_its_handlers_write_through_the_context_and_others_are_ignored()
    {
        IProjector projector = new AccountLedger();
        var context = new MemoryProjectionContext();

        await projector.ProjectAsync(new AccountCreated("A", 100m, 0m, "C"), context);
        await projector.ProjectAsync(new FundsDeposited("A", 5m, null, "C"), context);
        await projector.ProjectAsync(new WireTransferSucceeded("W", null), context);

        Assert.Equal(new LedgerEntry("A", 105m, 2), context.Values["A"]);
        Assert.Single(context.Values);
        Assert.Equal("Bank.AccountLedger", projector.Name);
    }

    [Fact]
    public async Task Given_the_wire_gateway_when_an_event_is_dispatched_then_it_emits_its_declared_external_event()
    {
        IGateway gateway = new WireNetwork(limit: 100m);
        var context = new RecordingGatewayContext();

        await gateway.DispatchAsync(new FundsReserved("A", 500m, "C", "W9"), context, CancellationToken.None);
        await gateway.DispatchAsync(new FundsDeposited("A", 1m, null, "C"), context, CancellationToken.None);

        Assert.Equal([new WireTransferFailed("W9", "over the limit")], context.Emitted);
        Assert.Equal([typeof(WireTransferSucceeded), typeof(WireTransferFailed)], gateway.EmittedEventTypes);
        Assert.Empty(gateway.CommandTypes);
    }

    [Fact]
    public async Task Given_the_mailer_gateway_when_its_handler_is_called_with_its_typed_context_then_the_declared_event_and_command_reach_the_runtime_context()
    {
        var gateway = new Mailer();
        var context = new RecordingGatewayContext();

        await gateway.HandleAsync(new Samples.Notifications.UserSignedUp("u1", "nowhere"), new Samples.Notifications.MailerGatewayContext(context), CancellationToken.None);

        Assert.Equal([new Samples.Notifications.EmailBounced("u1", "invalid address")], context.Emitted);
        Assert.Equal([new Samples.Notifications.Notify("u1", "welcome mail bounced")], context.Sent);
        Assert.Equal([typeof(Samples.Notifications.Notify)], ((IGateway)gateway).CommandTypes);
    }

    [Fact]
    public void Given_an_old_event_version_when_upcast_through_its_descriptors_then_the_chain_reaches_the_latest_version()
    {
        var types = Samples.Versions.VersionsSchema.MessageTypes.Where(t => t.Name == "Samples.Versions.Registered").OrderBy(t => t.Version).ToList();
        IMessage message = new RegisteredV1("ada");

        foreach (var type in types.Where(t => t.Upcast is not null)) message = type.Upcast!(message);

        Assert.Equal([1, 2, 3], types.Select(t => t.Version));
        Assert.Equal([typeof(RegisteredV1), typeof(RegisteredV2), typeof(Registered)], types.Select(t => t.ClrType));
        Assert.Null(types[2].Upcast);
        Assert.Equal(new Registered("ada", null, []), message);
    }

    [Fact]
    public void Given_AddGeneratedComponents_when_the_container_is_built_then_every_implemented_component_and_every_message_is_registered()
    {
        var services = new ServiceCollection();
        services.AddConcordance().AddGeneratedComponents();
        using var provider = services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<ComponentCatalog>();

        Assert.Equal(
            ["BankApp.BankAccount", "SamplesApp.Person", "SamplesApp.Pinger", "SamplesApp.User", "SamplesApp.Vault"],
            provider.GetServices<IAggregate>().Select(a => a.GetType().FullName).Order());
        Assert.Equal(["BankApp.AccountLedger", "SamplesApp.SalesTotals"], provider.GetServices<IProjector>().Select(p => p.GetType().FullName).Order());
        Assert.Equal(["BankApp.InterbankTransfer", "SamplesApp.Fulfilment"], provider.GetServices<IProcessManager>().Select(p => p.GetType().FullName).Order());
        Assert.Equal(["BankApp.WireNetwork", "SamplesApp.Mailer"], provider.GetServices<IGateway>().Select(p => p.GetType().FullName).Order());
        Assert.Same(provider.GetRequiredService<BankAccount>(), provider.GetServices<IAggregate>().OfType<BankAccount>().Single());
        Assert.Equal(typeof(CreateAccount), catalog.Find("Bank.CreateAccount", 1)!.ClrType);
        Assert.Equal(typeof(RegisteredV2), catalog.Find("Samples.Versions.Registered", 2)!.ClrType);
        Assert.Equal(MessageKind.Record, catalog.Find(typeof(Address))!.Kind);
    }

    private sealed class MemoryProjectionContext : ProjectionContext
    {
        public Dictionary<string, object> Values { get; } = [];

        public override ValueTask<T?> GetAsync<T>(string key) where T : class => ValueTask.FromResult(Values.GetValueOrDefault(key) as T);

        public override void Set<T>(string key, T value) where T : class => Values[key] = value;

        public override void Delete(string key) => Values.Remove(key);
    }

    private sealed class RecordingGatewayContext : GatewayContext
    {
        public List<IEvent> Emitted { get; } = [];

        public List<ICommand> Sent { get; } = [];

        public override Task<CommandResult> SendAsync(ICommand command, CancellationToken cancellationToken = default)
        {
            Sent.Add(command);
            return Task.FromResult(CommandResult.Rejected("not in this test", 0));
        }

        public override Task EmitAsync(IEvent @event, CancellationToken cancellationToken = default)
        {
            Emitted.Add(@event);
            return Task.CompletedTask;
        }
    }
}
