using Concordance.Testing;
using Xunit;

namespace Concordance.Runtime.Tests.Testing;

public sealed class AggregateScenarioTests
{
    private static readonly AggregateScenario<OrderAggregate> PlacedOrder =
        AggregateScenario.For(new OrderAggregate()).Given(new OrderPlaced("o-1", 10m));

    [Fact]
    public void Given_no_history_when_an_accepted_command_then_ThenEvents_passes_with_the_emitted_event()
    {
        var outcome = AggregateScenario.For<OrderAggregate>()
            .When(new PlaceOrder("o-1", 10m))
            .ThenEvents(new OrderPlaced("o-1", 10m))
            .ThenState(new OrderState(10m, false, 1));

        Assert.False(outcome.IsRejected);
        Assert.Null(outcome.StateBefore);
    }

    [Fact]
    public void Given_a_different_event_is_emitted_then_ThenEvents_fails_showing_expected_and_actual_and_the_differing_field()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            AggregateScenario.For(new OrderAggregate()).When(new PlaceOrder("o-1", 12m)).ThenEvents(new OrderPlaced("o-1", 10m)));

        Assert.Contains("Tests.Order: given 0 event(s), when PlaceOrder {\"orderId\":\"o-1\",\"amount\":12}", failure.Message);
        Assert.Contains("Expected events:\n  [0] OrderPlaced {\"orderId\":\"o-1\",\"amount\":10}", failure.Message);
        Assert.Contains("Actual events:\n  [0] OrderPlaced {\"orderId\":\"o-1\",\"amount\":12}", failure.Message);
        Assert.Contains("First difference at [0]: $.amount: expected 10, got 12", failure.Message);
    }

    [Fact]
    public void Given_two_events_in_another_order_then_ThenEvents_fails_at_the_first_position_that_differs()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            PlacedOrder.When(new SplitOrder("o-1")).ThenEvents(new OrderShipped("o-1"), new OrderPaid("o-1", 10m)));

        Assert.Contains("[0] OrderPaid", failure.Message.Split("Actual events:")[1]);
        Assert.Contains("First difference at [0]: expected a OrderShipped, got a OrderPaid", failure.Message);
    }

    [Fact]
    public void Given_the_events_emitted_in_order_then_ThenEvents_passes()
    {
        PlacedOrder.When(new SplitOrder("o-1")).ThenEvents(new OrderPaid("o-1", 10m), new OrderShipped("o-1")).ThenState(new OrderState(10m, true, 3));
    }

    [Fact]
    public void Given_fewer_events_than_expected_then_ThenEvents_fails_naming_the_missing_position()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            PlacedOrder.When(new PayOrder("o-1", 10m)).ThenEvents(new OrderPaid("o-1", 10m), new OrderShipped("o-1")));

        Assert.Contains("Missing from [1]: 1 expected item(s) did not happen.", failure.Message);
    }

    [Fact]
    public void Given_more_events_than_expected_then_ThenEvents_fails_naming_the_unexpected_position()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            PlacedOrder.When(new SplitOrder("o-1")).ThenEvents(new OrderPaid("o-1", 10m)));

        Assert.Contains("Unexpected from [1]: 1 item(s) more than expected.", failure.Message);
    }

    [Fact]
    public void Given_an_accepted_command_with_no_events_then_ThenNoEvents_passes_and_ThenEvents_with_one_fails()
    {
        var paid = PlacedOrder.Given(new OrderPaid("o-1", 10m));
        paid.When(new CancelOrder("o-1")).ThenNoEvents();

        var failure = Assert.Throws<ScenarioFailedException>(() => paid.When(new CancelOrder("o-1")).ThenEvents(new OrderCancelled("o-1")));
        Assert.Contains("Actual events: (none)", failure.Message);
    }

    [Fact]
    public void Given_a_rejected_command_then_ThenRejected_passes_with_a_part_of_the_reason()
    {
        var outcome = PlacedOrder.When(new PayOrder("o-1", 9m)).ThenRejected("does not match the amount 10");

        Assert.True(outcome.IsRejected);
        Assert.Equal("payment 9 does not match the amount 10", outcome.RejectionReason);
        Assert.Empty(outcome.Events);
        Assert.Equal(outcome.StateBefore, outcome.State);
    }

    [Fact]
    public void Given_a_rejected_command_then_ThenRejected_without_a_reason_passes()
    {
        PlacedOrder.When(new PlaceOrder("o-1", 10m)).ThenRejected();
    }

    [Fact]
    public void Given_a_rejected_command_then_ThenEvents_fails_quoting_the_reason()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() => PlacedOrder.When(new PlaceOrder("o-1", 10m)).ThenEvents(new OrderPlaced("o-1", 10m)));

        Assert.Contains("Expected events:\n  [0] OrderPlaced", failure.Message);
        Assert.Contains("but it was rejected: \"order o-1 already exists\"", failure.Message);
    }

    [Fact]
    public void Given_an_accepted_command_then_ThenRejected_fails_listing_the_events()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() => PlacedOrder.When(new PayOrder("o-1", 10m)).ThenRejected("not paid"));

        Assert.Contains("Expected a rejection with a reason containing \"not paid\"", failure.Message);
        Assert.Contains("but it was accepted with events:\n  [0] OrderPaid {\"orderId\":\"o-1\",\"amount\":10}", failure.Message);
    }

    [Fact]
    public void Given_a_rejection_for_another_reason_then_ThenRejected_fails_quoting_the_actual_reason()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() => PlacedOrder.When(new ShipOrder("o-1")).ThenRejected("out of stock"));

        Assert.Contains("but the reason was: \"order o-1 is not paid\"", failure.Message);
    }

    [Fact]
    public void Given_a_history_then_ThenState_on_the_scenario_checks_the_folded_state()
    {
        PlacedOrder.Given(new OrderPaid("o-1", 10m)).ThenState(new OrderState(10m, true, 2));

        var failure = Assert.Throws<ScenarioFailedException>(() => PlacedOrder.ThenState(new OrderState(10m, true, 1)));
        Assert.Contains("The state after the given events differs.", failure.Message);
        Assert.Contains("$.paid: expected true, got false", failure.Message);
    }

    [Fact]
    public void Given_a_state_after_the_command_then_ThenState_with_an_assertion_receives_the_typed_state()
    {
        OrderState? seen = null;
        PlacedOrder.When(new PayOrder("o-1", 10m)).ThenState<OrderState>(s => seen = s);

        Assert.Equal(new OrderState(10m, true, 2), seen);
    }

    [Fact]
    public void Given_a_state_of_another_type_then_ThenState_with_an_assertion_fails()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() => PlacedOrder.When(new PayOrder("o-1", 10m)).ThenState<FulfilmentState>(_ => { }));

        Assert.Contains("Expected a FulfilmentState state after PayOrder, but the state is OrderState", failure.Message);
    }

    [Fact]
    public void Given_a_state_type_comparing_its_list_by_reference_then_ThenState_fails_with_a_hint()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            AggregateScenario.For(new HistoryAggregate()).When(new PlaceOrder("o-1", 1m)).ThenState(new NaiveOrderState(["o-1"])));

        Assert.Contains("equal as JSON but not by Equals", failure.Message);
    }

    [Fact]
    public void Given_a_command_the_aggregate_does_not_handle_then_When_fails_listing_the_commands_it_handles()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() => PlacedOrder.When(new NotAnOrderCommand("o-1")));

        Assert.Contains("Tests.Order does not handle NotAnOrderCommand; it handles PlaceOrder, PayOrder, ShipOrder", failure.Message);
    }

    [Fact]
    public void Given_a_history_event_the_aggregate_cannot_apply_then_When_fails_naming_it()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            PlacedOrder.Given(new Unknown("o-1")).When(new PayOrder("o-1", 10m)));

        Assert.Contains("Given event [1] Unknown {\"orderId\":\"o-1\"} could not be applied by Tests.Order: ArgumentException", failure.Message);
        Assert.IsType<ArgumentException>(failure.InnerException);
    }

    [Fact]
    public void Given_a_handler_that_throws_then_ThenThrows_passes_and_ThenEvents_fails_with_the_exception()
    {
        var outcome = PlacedOrder.When(new BreakOrder("o-1"));
        outcome.ThenThrows<InvalidOperationException>("broken");

        var failure = Assert.Throws<ScenarioFailedException>(() => outcome.ThenEvents(new OrderShipped("o-1")));
        Assert.Contains("but Tests.Order threw while deciding: InvalidOperationException: the order handler is broken", failure.Message);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
    }

    [Fact]
    public void Given_a_handler_that_does_not_throw_then_ThenThrows_fails_saying_what_happened()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() => PlacedOrder.When(new ShipOrder("o-1")).ThenThrows<InvalidOperationException>());

        Assert.Contains("Expected a InvalidOperationException\nbut it was rejected: \"order o-1 is not paid\"", failure.Message);
    }

    [Fact]
    public void Given_a_shared_history_then_adding_events_for_one_test_leaves_the_shared_scenario_unchanged()
    {
        var paid = PlacedOrder.Given(new OrderPaid("o-1", 10m));

        Assert.Single(PlacedOrder.GivenEvents);
        Assert.Equal(2, paid.GivenEvents.Count);
        PlacedOrder.When(new ShipOrder("o-1")).ThenRejected("not paid");
        paid.When(new ShipOrder("o-1")).ThenEvents(new OrderShipped("o-1"));
    }
}
