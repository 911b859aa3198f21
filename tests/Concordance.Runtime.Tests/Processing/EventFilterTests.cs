using Concordance.Runtime.Tests.Commands;
using Concordance.Storage.InMemory;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

/// <summary>What a component's reads ask the store for: its event types, its name, and the stream categories they come from.</summary>
public sealed class EventFilterTests
{
    private static ProcessingEnvironment Environment(IEnumerable<IAggregate>? aggregates, IEnumerable<IGateway>? gateways = null)
    {
        var options = new ConcordanceOptions();
        var serializer = new MessageSerializer(ProcessingMessages.Catalog());
        var store = new InMemoryStore();
        var bus = new CommandBus(store, [new AccountAggregate()], serializer, options, TimeProvider.System);
        return new ProcessingEnvironment(store, serializer, ProcessingMessages.Catalog(), options, TimeProvider.System, bus, null, aggregates, gateways);
    }

    [Fact]
    public void Given_a_component_whose_events_an_aggregate_and_a_gateway_write_then_its_filter_names_it_and_both_categories()
    {
        var environment = Environment([new AccountAggregate()], [new PayoutNetwork()]);

        var filter = environment.FilterFor("projector:Tests.Mixed", [typeof(Opened), typeof(Deposited), typeof(PayoutConfirmed)]);

        Assert.Equal("projector:Tests.Mixed", filter.Component);
        Assert.Equal(["Tests.Account", PayoutNetwork.GatewayName], filter.Categories!.Order());
        Assert.True(filter.Matches("Tests.PayoutConfirmed"));
    }

    [Fact]
    public void Given_a_component_subscribing_to_an_event_no_registered_aggregate_or_gateway_writes_then_its_categories_are_unknown()
    {
        var environment = Environment([new AccountAggregate()], [new PayoutNetwork()]);

        var filter = environment.FilterFor("process:Tests.Payout", [typeof(Opened), typeof(PayoutRequested)]);

        Assert.Equal("process:Tests.Payout", filter.Component);
        Assert.Null(filter.Categories);
    }

    [Fact]
    public void Given_an_environment_that_was_not_told_the_writers_then_categories_are_unknown()
    {
        var filter = Environment(aggregates: null).FilterFor("projector:Tests.Ledger", [typeof(Opened)]);

        Assert.Null(filter.Categories);
        Assert.Equal(new HashSet<string> { "Tests.Opened" }, filter.EventTypes);
    }
}
