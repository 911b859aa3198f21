using System.Text.Json;

namespace Concordance.Runtime.Tests.Testing;

// Hand-written stand-ins for generated code (this project does not run the generator): an order
// aggregate, a fulfilment process and an order-summary projector.

public sealed record PlaceOrder(string OrderId, decimal Amount) : ICommand;
public sealed record PayOrder(string OrderId, decimal Amount) : ICommand;
public sealed record ShipOrder(string OrderId) : ICommand;
public sealed record CancelOrder(string OrderId) : ICommand;
public sealed record SplitOrder(string OrderId) : ICommand;
public sealed record BreakOrder(string OrderId) : ICommand;
public sealed record NotAnOrderCommand(string OrderId) : ICommand;

public sealed record OrderPlaced(string OrderId, decimal Amount) : IEvent;
public sealed record OrderPaid(string OrderId, decimal Amount) : IEvent;
public sealed record OrderShipped(string OrderId) : IEvent;
public sealed record OrderCancelled(string OrderId) : IEvent;
public sealed record PaymentDeclined(string OrderId) : IEvent;
public sealed record OrderNoted(string OrderId, string Note) : IEvent;
/// <summary>An event no component handles in Evolve: applying it throws.</summary>
public sealed record Unknown(string OrderId) : IEvent;

public sealed record OrderState(decimal Amount, bool Paid, int Events);

/// <summary>A state with a list field and the default record equality, which compares the list by reference.</summary>
public sealed record NaiveOrderState(List<string> History);

public sealed class OrderAggregate : IAggregate
{
    public string Name => "Tests.Order";

    public IReadOnlyList<Type> CommandTypes { get; } = [typeof(PlaceOrder), typeof(PayOrder), typeof(ShipOrder), typeof(CancelOrder), typeof(SplitOrder), typeof(BreakOrder)];

    public IReadOnlyList<Type> EventTypes { get; } = [typeof(OrderPlaced), typeof(OrderPaid), typeof(OrderShipped), typeof(OrderCancelled)];

    public Type StateType => typeof(OrderState);

    public string? KeyOf(ICommand command) => command switch
    {
        PlaceOrder c => c.OrderId,
        PayOrder c => c.OrderId,
        ShipOrder c => c.OrderId,
        CancelOrder c => c.OrderId,
        SplitOrder c => c.OrderId,
        BreakOrder c => c.OrderId,
        _ => null,
    };

    public Decision Decide(ICommand command, object? state)
    {
        var s = (OrderState?)state;
        return command switch
        {
            PlaceOrder c when s is not null => Decision.Reject($"order {c.OrderId} already exists"),
            PlaceOrder c when c.Amount <= 0 => Decision.Reject($"amount {c.Amount} must be positive"),
            PlaceOrder c => Decision.Accept(new OrderPlaced(c.OrderId, c.Amount)),
            PayOrder c when s is null => Decision.Reject($"order {c.OrderId} does not exist"),
            PayOrder c when c.Amount != s.Amount => Decision.Reject($"payment {c.Amount} does not match the amount {s.Amount}"),
            PayOrder c => Decision.Accept(new OrderPaid(c.OrderId, c.Amount)),
            ShipOrder c when s is not { Paid: true } => Decision.Reject($"order {c.OrderId} is not paid"),
            ShipOrder c => Decision.Accept(new OrderShipped(c.OrderId)),
            CancelOrder c when s is { Paid: true } => Decision.Accept(),
            CancelOrder c => Decision.Accept(new OrderCancelled(c.OrderId)),
            // Two events from one command, to check order.
            SplitOrder c => Decision.Accept(new OrderPaid(c.OrderId, s!.Amount), new OrderShipped(c.OrderId)),
            BreakOrder => throw new InvalidOperationException("the order handler is broken"),
            _ => throw new ArgumentException($"{command.GetType()} is not handled by {Name}.", nameof(command)),
        };
    }

    public object? Evolve(IEvent @event, object? state)
    {
        var s = (OrderState?)state;
        return @event switch
        {
            OrderPlaced e => new OrderState(e.Amount, false, 1),
            OrderPaid => s! with { Paid = true, Events = s.Events + 1 },
            OrderShipped or OrderCancelled => s! with { Events = s.Events + 1 },
            _ => throw new ArgumentException($"{@event.GetType().Name} is not emitted by {Name}.", nameof(@event)),
        };
    }

    public void WriteState(Utf8JsonWriter writer, object state) => throw new NotSupportedException("Aggregate scenarios never store state.");

    public object ReadState(ref Utf8JsonReader reader) => throw new NotSupportedException("Aggregate scenarios never store state.");
}

/// <summary>An aggregate whose state is a <see cref="NaiveOrderState"/>.</summary>
public sealed class HistoryAggregate : IAggregate
{
    public string Name => "Tests.History";
    public IReadOnlyList<Type> CommandTypes { get; } = [typeof(PlaceOrder)];
    public IReadOnlyList<Type> EventTypes { get; } = [typeof(OrderPlaced)];
    public Type StateType => typeof(NaiveOrderState);
    public string? KeyOf(ICommand command) => (command as PlaceOrder)?.OrderId;
    public Decision Decide(ICommand command, object? state) => Decision.Accept(new OrderPlaced(((PlaceOrder)command).OrderId, ((PlaceOrder)command).Amount));
    public object? Evolve(IEvent @event, object? state) =>
        new NaiveOrderState([.. ((NaiveOrderState?)state)?.History ?? [], ((OrderPlaced)@event).OrderId]);
    public void WriteState(Utf8JsonWriter writer, object state) => throw new NotSupportedException();
    public object ReadState(ref Utf8JsonReader reader) => throw new NotSupportedException();
}

public enum FulfilmentStatus { AwaitingPayment, AwaitingShipment }

public sealed record FulfilmentState(decimal Amount, FulfilmentStatus Status);

/// <summary>
/// Starts on <see cref="OrderPlaced"/> (asks for payment), advances on <see cref="OrderPaid"/> (ships) and on
/// <see cref="PaymentDeclined"/> (cancels and completes), ends on <see cref="OrderShipped"/> / <see cref="OrderCancelled"/>.
/// </summary>
public class FulfilmentProcess : IProcessManager
{
    public string Name => "Tests.Fulfilment";

    public IReadOnlyList<Type> EventTypes { get; } = [typeof(OrderPlaced), typeof(OrderPaid), typeof(PaymentDeclined), typeof(OrderShipped), typeof(OrderCancelled)];

    public IReadOnlyList<Type> CommandTypes { get; } = [typeof(PayOrder), typeof(ShipOrder), typeof(CancelOrder)];

    public Type StateType => typeof(FulfilmentState);

    public ProcessStep StepOf(IEvent @event) => @event switch
    {
        OrderPlaced => ProcessStep.Start,
        OrderPaid or PaymentDeclined => ProcessStep.Advance,
        OrderShipped or OrderCancelled => ProcessStep.End,
        _ => ProcessStep.None,
    };

    public string? KeyOf(IEvent @event) => @event switch
    {
        OrderPlaced e => e.OrderId,
        OrderPaid e => e.OrderId,
        PaymentDeclined e => e.OrderId,
        OrderShipped e => e.OrderId,
        OrderCancelled e => e.OrderId,
        _ => null,
    };

    public virtual ProcessOutcome Handle(IEvent @event, object? state)
    {
        var s = (FulfilmentState?)state;
        return @event switch
        {
            OrderPlaced e => ProcessOutcome.Continue(new FulfilmentState(e.Amount, FulfilmentStatus.AwaitingPayment), new PayOrder(e.OrderId, e.Amount)),
            OrderPaid e => ProcessOutcome.Continue(s! with { Status = FulfilmentStatus.AwaitingShipment }, new ShipOrder(e.OrderId)),
            PaymentDeclined e => ProcessOutcome.Complete(new CancelOrder(e.OrderId)),
            OrderShipped or OrderCancelled => ProcessOutcome.Complete(),
            _ => throw new ArgumentException($"{@event.GetType().Name} is not listened to.", nameof(@event)),
        };
    }

    public void WriteState(Utf8JsonWriter writer, object state)
    {
        var s = (FulfilmentState)state;
        writer.WriteStartObject();
        writer.WriteNumber("amount", s.Amount);
        writer.WriteString("status", s.Status.ToString());
        writer.WriteEndObject();
    }

    public virtual object ReadState(ref Utf8JsonReader reader)
    {
        decimal amount = 0;
        var status = FulfilmentStatus.AwaitingPayment;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "amount") amount = reader.GetDecimal();
            else if (name == "status") status = Enum.Parse<FulfilmentStatus>(reader.GetString()!);
        }
        return new FulfilmentState(amount, status);
    }
}

/// <summary>A fulfilment process whose ReadState forgets the status: a bug only storing the state reveals.</summary>
public sealed class ForgetfulFulfilmentProcess : FulfilmentProcess
{
    public override object ReadState(ref Utf8JsonReader reader)
    {
        var state = (FulfilmentState)base.ReadState(ref reader);
        return state with { Status = FulfilmentStatus.AwaitingPayment };
    }
}

/// <summary>A fulfilment process that sends a command it does not declare.</summary>
public sealed class OverreachingFulfilmentProcess : FulfilmentProcess
{
    public override ProcessOutcome Handle(IEvent @event, object? state) => @event is OrderPlaced e
        ? ProcessOutcome.Continue(new FulfilmentState(e.Amount, FulfilmentStatus.AwaitingPayment), new PlaceOrder(e.OrderId, e.Amount))
        : base.Handle(@event, state);
}

public sealed record OrderLine(string Kind, decimal Amount);

/// <summary>A read model with a list field: its record equality compares the list by reference.</summary>
public sealed record OrderView(string OrderId, decimal Amount, string Status, List<OrderLine> Lines);

/// <summary>Keeps an <see cref="OrderView"/> per order; deletes it on cancellation; throws on a note saying "boom".</summary>
public sealed class OrderSummaryProjector : IProjector
{
    public string Name => "Tests.OrderSummary";

    public IReadOnlyList<Type> EventTypes { get; } = [typeof(OrderPlaced), typeof(OrderPaid), typeof(OrderShipped), typeof(OrderCancelled), typeof(OrderNoted)];

    public async ValueTask ProjectAsync(IEvent @event, ProjectionContext context)
    {
        switch (@event)
        {
            case OrderPlaced e:
                context.Set(e.OrderId, new OrderView(e.OrderId, e.Amount, "placed", [new OrderLine("placed", e.Amount)]));
                break;
            case OrderPaid e when await context.GetAsync<OrderView>(e.OrderId) is { } view:
                context.Set(e.OrderId, view with { Status = "paid", Lines = [.. view.Lines, new OrderLine("paid", e.Amount)] });
                break;
            case OrderShipped e when await context.GetAsync<OrderView>(e.OrderId) is { } view:
                // A bug on purpose: changes the list it read but never calls Set, so nothing is stored.
                view.Lines.Add(new OrderLine("shipped", 0m));
                break;
            case OrderCancelled e:
                context.Delete(e.OrderId);
                break;
            case OrderNoted e when e.Note == "boom":
                context.Set(e.OrderId, new OrderView(e.OrderId, 0m, "half-written", []));
                throw new InvalidOperationException("the summary cannot take notes");
        }
    }
}
