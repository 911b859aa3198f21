using Concordance.Testing;
using Xunit;

namespace Concordance.Runtime.Tests.Testing;

public sealed class ProjectionScenarioTests
{
    private static readonly ProjectionScenario<OrderSummaryProjector> Summary = ProjectionScenario.For(new OrderSummaryProjector());

    [Fact]
    public void Given_events_then_a_read_model_with_a_list_compares_by_content()
    {
        Summary.Given(new OrderPlaced("o-1", 10m), new OrderPaid("o-1", 10m))
            .ThenReadModel("o-1", new OrderView("o-1", 10m, "paid", [new OrderLine("placed", 10m), new OrderLine("paid", 10m)]));
    }

    [Fact]
    public void Given_a_different_read_model_then_ThenReadModel_fails_listing_each_difference()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            Summary.Given(new OrderPlaced("o-1", 10m))
                .ThenReadModel("o-1", new OrderView("o-1", 10m, "paid", [new OrderLine("placed", 10m), new OrderLine("paid", 10m)])));

        Assert.Contains("Tests.OrderSummary: given 1 event(s)\nThe read model 'o-1' differs.", failure.Message);
        Assert.Contains("Actual:   {\"orderId\":\"o-1\",\"amount\":10,\"status\":\"placed\",\"lines\":[{\"kind\":\"placed\",\"amount\":10}]}", failure.Message);
        Assert.Contains("$.status: expected \"paid\", got \"placed\"", failure.Message);
        Assert.Contains("$.lines: expected 2 item(s), got 1", failure.Message);
    }

    [Fact]
    public void Given_a_handler_that_changes_what_it_read_without_Set_then_the_stored_read_model_is_unchanged()
    {
        Summary.Given(new OrderPlaced("o-1", 10m), new OrderShipped("o-1"))
            .ThenReadModel<OrderView>("o-1", view => Assert.Equal([new OrderLine("placed", 10m)], view.Lines));
    }

    [Fact]
    public void Given_a_deleting_event_then_ThenNoReadModel_passes()
    {
        Summary.Given(new OrderPlaced("o-1", 10m), new OrderPlaced("o-2", 5m), new OrderCancelled("o-1"))
            .ThenNoReadModel("o-1")
            .ThenReadModel("o-2", new OrderView("o-2", 5m, "placed", [new OrderLine("placed", 5m)]));
    }

    [Fact]
    public void Given_a_stored_read_model_then_ThenNoReadModel_fails_showing_it()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() => Summary.Given(new OrderPlaced("o-1", 10m)).ThenNoReadModel("o-1"));

        Assert.Contains("Expected no read model 'o-1', but found: {\"orderId\":\"o-1\"", failure.Message);
    }

    [Fact]
    public void Given_no_read_model_under_the_key_then_ThenReadModel_fails_listing_the_keys_there_are()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            Summary.Given(new OrderPlaced("o-1", 10m), new OrderPlaced("o-2", 5m)).ThenReadModel<OrderView>("o-3", _ => { }));

        Assert.Contains("Expected a read model 'o-3', but there is none. Read models: 'o-1', 'o-2'", failure.Message);
    }

    [Fact]
    public void Given_events_the_projector_does_not_subscribe_to_then_they_do_not_reach_it()
    {
        var scenario = Summary.Given(new PaymentDeclined("o-1"));

        Assert.Empty(scenario.Context.Keys);
    }

    [Fact]
    public void Given_a_handler_that_throws_then_the_scenario_fails_naming_the_event()
    {
        var failure = Assert.Throws<ScenarioFailedException>(() =>
            Summary.Given(new OrderPlaced("o-1", 10m), new OrderNoted("o-1", "boom")).ThenNoReadModel("o-2"));

        Assert.Contains("Tests.OrderSummary threw projecting event [1] OrderNoted {\"orderId\":\"o-1\",\"note\":\"boom\"}: InvalidOperationException", failure.Message);
    }

    [Fact]
    public async Task Given_the_in_memory_context_then_writes_are_pending_until_commit_and_a_rollback_drops_them()
    {
        var context = new InMemoryProjectionContext();
        context.Set("k", new OrderLine("placed", 1m));

        Assert.NotNull(await context.GetAsync<OrderLine>("k"));
        Assert.Null(context.GetJson("k"));
        context.Rollback();
        Assert.Null(await context.GetAsync<OrderLine>("k"));

        context.Set("k", new OrderLine("placed", 1m));
        context.Commit();
        context.Delete("k");
        Assert.Null(await context.GetAsync<OrderLine>("k"));
        Assert.Equal("{\"kind\":\"placed\",\"amount\":1}", context.GetJson("k"));
        context.Commit();
        Assert.Empty(context.Keys);
    }

    [Fact]
    public void Given_custom_json_options_then_read_models_are_stored_with_them()
    {
        var scenario = Summary.WithJsonOptions(new System.Text.Json.JsonSerializerOptions()).Given(new OrderPlaced("o-1", 10m));

        Assert.StartsWith("{\"OrderId\":\"o-1\"", scenario.Context.GetJson("o-1"));
        scenario.ThenReadModel("o-1", new OrderView("o-1", 10m, "placed", [new OrderLine("placed", 10m)]));
    }
}
