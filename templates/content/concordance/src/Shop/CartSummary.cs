using System.Text.Json;
using System.Text.Json.Serialization;
using Concordance;

namespace Shop;

/// <summary>One cart as a list screen shows it.</summary>
/// <param name="CartId">The cart.</param>
/// <param name="Customer">Whose cart it is.</param>
/// <param name="Items">How many items it holds.</param>
/// <param name="Total">What they cost together.</param>
/// <param name="CheckedOut">Whether the cart is checked out.</param>
public sealed record CartView(string CartId, string Customer, int Items, decimal Total, bool CheckedOut);

/// <summary>
/// JSON type information for the read models, written by System.Text.Json's source generator: read models need no
/// reflection, so the app also runs published with NativeAOT (<c>dotnet publish -c Release -p:PublishAot=true</c>).
/// List each type a projector <c>Set</c>s or <c>IReadModels</c> reads.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CartView))]
public sealed partial class ShopJson : JsonSerializerContext;

/// <summary>
/// Keeps a <see cref="CartView"/> per cart, keyed by cart id. The runtime commits what it writes through the
/// <see cref="ProjectionContext"/> together with its checkpoint; read it with <c>IReadModels</c>.
/// </summary>
public sealed class CartSummary : CartSummaryProjectorBase
{
    /// <inheritdoc />
    public override ValueTask Handle(CartOpened @event, ProjectionContext context)
    {
        context.Set(@event.CartId, new CartView(@event.CartId, @event.Customer, 0, 0m, false));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask Handle(ItemAdded @event, ProjectionContext context) =>
        Update(context, @event.CartId, view => view with
        {
            Items = view.Items + @event.Quantity,
            Total = view.Total + @event.Quantity * @event.UnitPrice,
        });

    /// <inheritdoc />
    public override ValueTask Handle(CartCheckedOut @event, ProjectionContext context) =>
        Update(context, @event.CartId, view => view with { CheckedOut = true });

    private static async ValueTask Update(ProjectionContext context, string cartId, Func<CartView, CartView> change)
    {
        var view = await context.GetAsync<CartView>(cartId);
        if (view is not null) context.Set(cartId, change(view));
    }
}
