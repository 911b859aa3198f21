using System.Globalization;

namespace Shop;

/// <summary>
/// The cart's rules. Each <c>Handle</c> decides on a command from the state the cart's events fold to; each
/// <c>Apply</c> folds one event into that state. Both are pure: the analyzers make I/O, clocks or randomness in here a
/// compile error.
/// </summary>
public sealed class Cart : CartAggregateBase
{
    /// <inheritdoc />
    public override OpenCartDecision Handle(OpenCart command, CartState? state) =>
        state is not null ? Reject($"cart {command.CartId} is already open")
                          : new CartOpened(command.CartId, command.Customer);

    /// <inheritdoc />
    public override AddItemDecision Handle(AddItem command, CartState? state)
    {
        if (Closed(command.CartId, state) is { } reason) return Reject(reason);
        if (command.Quantity <= 0) return Reject($"quantity {command.Quantity} must be greater than zero");
        if (command.UnitPrice < 0) return Reject($"unit price {Money(command.UnitPrice)} is negative");
        return new ItemAdded(command.CartId, command.Sku, command.Quantity, command.UnitPrice);
    }

    /// <inheritdoc />
    public override CheckOutDecision Handle(CheckOut command, CartState? state)
    {
        if (Closed(command.CartId, state) is { } reason) return Reject(reason);
        if (state!.Items == 0) return Reject($"cart {command.CartId} is empty");
        return new CartCheckedOut(command.CartId, state.Total);
    }

    /// <inheritdoc />
    public override CartState? Apply(CartOpened @event, CartState? state) => new(@event.Customer, 0, 0m, false);

    /// <inheritdoc />
    public override CartState? Apply(ItemAdded @event, CartState? state) =>
        state! with { Items = state.Items + @event.Quantity, Total = state.Total + @event.Quantity * @event.UnitPrice };

    /// <inheritdoc />
    public override CartState? Apply(CartCheckedOut @event, CartState? state) => state! with { CheckedOut = true };

    private static string? Closed(string cartId, CartState? state) =>
        state is null ? $"cart {cartId} is not open"
        : state.CheckedOut ? $"cart {cartId} is checked out"
        : null;

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
