using Shop.Testing;

namespace Shop.Tests;

/// <summary>
/// The cart's rules through its generated scenario: given its past events, when a command, then the events it emits or
/// the reason it is rejected. The scenario takes only the cart's own messages: another aggregate's does not compile.
/// </summary>
public sealed class CartTests
{
    private static readonly CartScenario NoCart = CartScenario.For<Cart>();
    private static readonly CartScenario Opened = NoCart.Given(new CartOpened("c1", "alice"));
    private static readonly CartScenario WithApples = Opened.Given(new ItemAdded("c1", "apple", 3, 0.50m));

    [Fact]
    public void Given_no_cart_when_opening_it_then_CartOpened_for_the_customer()
    {
        NoCart.When(new OpenCart("c1", "alice"))
            .ThenEvents(new CartOpened("c1", "alice"))
            .ThenState(new CartState("alice", 0, 0m, false));
    }

    [Fact]
    public void Given_an_open_cart_when_opening_it_again_then_rejected()
    {
        Opened.When(new OpenCart("c1", "bob")).ThenRejected("cart c1 is already open");
    }

    [Fact]
    public void Given_an_open_cart_when_adding_items_then_ItemAdded_and_the_total_grows()
    {
        WithApples.When(new AddItem("c1", "pear", 2, 1.25m))
            .ThenEvents(new ItemAdded("c1", "pear", 2, 1.25m))
            .ThenState(new CartState("alice", 5, 4.00m, false));
    }

    [Fact]
    public void Given_no_cart_when_adding_an_item_then_rejected_because_it_is_not_open()
    {
        NoCart.When(new AddItem("c2", "fig", 1, 2.00m)).ThenRejected("cart c2 is not open");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Given_an_open_cart_when_adding_no_or_a_negative_quantity_then_rejected(int quantity)
    {
        Opened.When(new AddItem("c1", "apple", quantity, 0.50m)).ThenRejected($"quantity {quantity} must be greater than zero");
    }

    [Fact]
    public void Given_a_cart_with_items_when_checking_out_then_CartCheckedOut_with_the_total()
    {
        WithApples.When(new CheckOut("c1")).ThenEvents(new CartCheckedOut("c1", 1.50m));
    }

    [Fact]
    public void Given_an_empty_cart_when_checking_out_then_rejected()
    {
        Opened.When(new CheckOut("c1")).ThenRejected("cart c1 is empty");
    }

    [Fact]
    public void Given_a_checked_out_cart_when_adding_an_item_then_rejected()
    {
        WithApples.Given(new CartCheckedOut("c1", 1.50m))
            .When(new AddItem("c1", "plum", 1, 0.80m))
            .ThenRejected("cart c1 is checked out");
    }
}
