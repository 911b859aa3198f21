using Concordance.Testing;
using Xunit;

namespace Concordance.Runtime.Tests.Testing;

public sealed class ProcessScenarioTests
{
    private static readonly ProcessScenario<FulfilmentProcess> Fulfilment = ProcessScenario.For(new FulfilmentProcess());

    [Fact]
    public void Given_the_start_event_then_the_commands_it_sends_and_the_new_state_are_checked()
    {
        Fulfilment.Given(new OrderPlaced("o-1", 10m))
            .Then(new PayOrder("o-1", 10m))
            .ThenState(new FulfilmentState(10m, FulfilmentStatus.AwaitingPayment))
            .ThenRunning();
    }

    [Fact]
    public void Given_a_history_and_an_event_under_test_then_Then_checks_only_the_commands_for_the_event_under_test()
    {
        var scenario = Fulfilment.Given(new OrderPlaced("o-1", 10m)).When(new OrderPaid("o-1", 10m));

        scenario.Then(new ShipOrder("o-1")).ThenState(new FulfilmentState(10m, FulfilmentStatus.AwaitingShipment));
        Assert.Equal([new ShipOrder("o-1")], scenario.Commands);
    }

    [Fact]
    public void Given_no_events_under_test_then_Then_checks_the_commands_for_every_given_event()
    {
        Fulfilment.Given(new OrderPlaced("o-1", 10m), new OrderPaid("o-1", 10m)).Then(new PayOrder("o-1", 10m), new ShipOrder("o-1"));
    }

    [Fact]
    public void Given_other_commands_are_sent_then_Then_fails_showing_both_lists_and_the_steps()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            Fulfilment.Given(new OrderPlaced("o-1", 10m)).When(new OrderPaid("o-1", 10m)).Then(new CancelOrder("o-1")));

        Assert.Contains("Tests.Fulfilment: given 1 event(s), when 1 event(s)", failure.Message);
        Assert.Contains("Expected commands:\n  [0] CancelOrder {\"orderId\":\"o-1\"}", failure.Message);
        Assert.Contains("Actual commands:\n  [0] ShipOrder {\"orderId\":\"o-1\"}", failure.Message);
        Assert.Contains("First difference at [0]: expected a CancelOrder, got a ShipOrder", failure.Message);
        Assert.Contains("[0] OrderPlaced (Start, 'o-1'): handled: the instance is running, sent PayOrder", failure.Message);
        Assert.Contains("[1] when OrderPaid (Advance, 'o-1'): handled: the instance is running, sent ShipOrder", failure.Message);
    }

    [Fact]
    public void Given_an_advance_event_before_the_start_then_it_is_ignored_and_nothing_is_sent()
    {
        var scenario = Fulfilment.When(new OrderPaid("o-1", 10m));

        scenario.ThenIgnored().ThenNoCommands();
        Assert.Equal("ignored: the instance has not started", Assert.Single(scenario.Steps).Note);
        var failure = Assert.Throws<ScenarioFailedException>(() => scenario.ThenRunning());
        Assert.Contains("Expected it to be running for instance 'o-1', but it never started.", failure.Message);
    }

    [Fact]
    public void Given_an_ended_instance_then_later_events_for_it_are_ignored()
    {
        var scenario = Fulfilment
            .Given(new OrderPlaced("o-1", 10m), new OrderPaid("o-1", 10m), new OrderShipped("o-1"))
            .When(new OrderPaid("o-1", 10m), new OrderPlaced("o-1", 5m));

        scenario.ThenIgnored().ThenNoCommands().ThenCompleted();
        Assert.All(scenario.Steps.Skip(3), s => Assert.Equal("ignored: the instance has ended", s.Note));
    }

    [Fact]
    public void Given_a_running_instance_then_a_second_start_event_is_ignored()
    {
        var scenario = Fulfilment.Given(new OrderPlaced("o-1", 10m)).When(new OrderPlaced("o-1", 99m));

        scenario.ThenIgnored().ThenNoCommands().ThenState(new FulfilmentState(10m, FulfilmentStatus.AwaitingPayment));
        Assert.Equal("ignored: the instance has already started", scenario.Steps[1].Note);
    }

    [Fact]
    public void Given_an_event_the_process_does_not_listen_to_then_it_is_ignored()
    {
        var scenario = Fulfilment.Given(new OrderPlaced("o-1", 10m)).When(new OrderNoted("o-1", "hello"));

        scenario.ThenIgnored().ThenNoCommands();
        Assert.Equal("ignored: not listened to", scenario.Steps[1].Note);
    }

    [Fact]
    public void Given_events_handled_by_the_process_then_ThenIgnored_fails_listing_them()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() => Fulfilment.Given(new OrderPlaced("o-1", 10m)).When(new OrderPaid("o-1", 10m)).ThenIgnored());

        Assert.Contains("Expected the events under test to be ignored, but Tests.Fulfilment handled:\n  [0] OrderPaid", failure.Message);
    }

    [Fact]
    public void Given_the_end_event_then_the_instance_has_completed_and_has_no_state()
    {
        var scenario = Fulfilment.Given(new OrderPlaced("o-1", 10m), new OrderPaid("o-1", 10m)).When(new OrderShipped("o-1"));

        scenario.ThenNoCommands().ThenCompleted();
        var failure = Assert.Throws<ScenarioFailedException>(() => scenario.ThenState(new FulfilmentState(10m, FulfilmentStatus.AwaitingShipment)));
        Assert.Contains("for instance 'o-1', but it has ended.", failure.Message);
    }

    [Fact]
    public void Given_an_advance_event_whose_handler_completes_then_the_instance_ends_there()
    {
        Fulfilment.Given(new OrderPlaced("o-1", 10m)).When(new PaymentDeclined("o-1"))
            .Then(new CancelOrder("o-1"))
            .ThenCompleted();
        Fulfilment.Given(new OrderPlaced("o-1", 10m), new PaymentDeclined("o-1")).When(new OrderPaid("o-1", 10m)).ThenIgnored();
    }

    [Fact]
    public void Given_a_running_instance_then_ThenCompleted_fails_showing_its_state()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() => Fulfilment.Given(new OrderPlaced("o-1", 10m)).ThenCompleted());

        Assert.Contains("Expected instance 'o-1' to have ended, but it is running with state FulfilmentState {\"amount\":10,\"status\":0}.", failure.Message);
    }

    [Fact]
    public void Given_a_different_state_then_ThenState_fails_naming_the_field()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            Fulfilment.Given(new OrderPlaced("o-1", 10m)).ThenState(new FulfilmentState(10m, FulfilmentStatus.AwaitingShipment)));

        Assert.Contains("The state of Tests.Fulfilment instance 'o-1' differs.", failure.Message);
        Assert.Contains("$.status: expected 1, got 0", failure.Message);
    }

    [Fact]
    public void Given_two_keys_then_each_instance_keeps_its_own_state_and_steps()
    {
        var scenario = Fulfilment.Given(new OrderPlaced("o-1", 10m), new OrderPlaced("o-2", 20m), new OrderPaid("o-2", 20m));

        scenario.ThenState("o-1", new FulfilmentState(10m, FulfilmentStatus.AwaitingPayment))
            .ThenState("o-2", new FulfilmentState(20m, FulfilmentStatus.AwaitingShipment))
            .ThenRunning("o-1");
        Assert.Throws<ScenarioFailedException>(() => scenario.ThenCompleted("o-3"));
    }

    [Fact]
    public void Given_a_state_that_does_not_survive_storage_then_the_scenario_fails_showing_before_and_after()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            ProcessScenario.For(new ForgetfulFulfilmentProcess()).Given(new OrderPlaced("o-1", 10m)).When(new OrderPaid("o-1", 10m)).Then(new ShipOrder("o-1")));

        Assert.Contains("The state of Tests.Fulfilment instance 'o-1' changes when stored (WriteState then ReadState).", failure.Message);
        Assert.Contains("$.status: expected 1, got 0", failure.Message);
    }

    [Fact]
    public void Given_a_handler_sending_an_undeclared_command_then_the_scenario_fails()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            ProcessScenario.For(new OverreachingFulfilmentProcess()).Given(new OrderPlaced("o-1", 10m)).ThenNoCommands());

        Assert.Contains("Tests.Fulfilment sent PlaceOrder for event [0], a command it does not declare with send.", failure.Message);
    }
}
