using Shop.Testing;

namespace Shop.Tests;

/// <summary>The CartSummary projector through its generated scenario: given events, then the read model per cart.</summary>
public sealed class CartSummaryTests
{
    private static readonly CartSummaryScenario Summary = CartSummaryScenario.For<CartSummary>();

    [Fact]
    public void Given_a_cart_opened_then_its_view_is_empty_and_open()
    {
        Summary.Given(new CartOpened("c1", "alice"))
            .ThenReadModel("c1", new CartView("c1", "alice", 0, 0m, false));
    }

    [Fact]
    public void Given_items_added_and_a_check_out_then_the_view_counts_them_and_is_checked_out()
    {
        Summary.Given(
                new CartOpened("c1", "alice"),
                new ItemAdded("c1", "apple", 3, 0.50m),
                new ItemAdded("c1", "pear", 2, 1.25m),
                new CartCheckedOut("c1", 4.00m))
            .ThenReadModel("c1", new CartView("c1", "alice", 5, 4.00m, true));
    }

    [Fact]
    public void Given_one_cart_opened_then_another_cart_has_no_view()
    {
        Summary.Given(new CartOpened("c1", "alice")).ThenNoReadModel("c2");
    }
}
