using Concordance;

namespace History;

/// <summary>The aggregate of History.concordance. Its <c>Rename</c> handler has the bug the tests need: an empty name decides an event without one.</summary>
public sealed class Ledger : LedgerAggregateBase
{
    public override OpenDecision Handle(Open command, LedgerState? state) =>
        state is not null ? Reject("already open") : new Opened(command.Id, command.Owner);

    public override ChainDecision Handle(Chain command, LedgerState? state)
    {
        Node? head = null;
        for (var i = command.Length; i > 0; i--) head = new Node(i, head);
        return new Chained(command.Id, head!);
    }

    public override RenameDecision Handle(Rename command, LedgerState? state) =>
        new Renamed(command.Id, command.Name.Length == 0 ? null! : command.Name);

    public override LedgerState? Apply(Opened @event, LedgerState? state) => new(@event.Owner, 1);

    public override LedgerState? Apply(Chained @event, LedgerState? state) => state! with { Events = state.Events + 1 };

    public override LedgerState? Apply(Renamed @event, LedgerState? state) => state! with { Owner = @event.Name, Events = state.Events + 1 };
}

/// <summary>The ledger as read: its owner, how many events it saw and the length of the last chain.</summary>
public sealed record LedgerView(string Owner, int Events, int LastChain);

/// <summary>The projector of History.concordance.</summary>
public sealed class Ledgers : LedgersProjectorBase
{
    public override ValueTask Handle(Opened @event, ProjectionContext context)
    {
        context.Set(@event.Id, new LedgerView(@event.Owner, 1, 0));
        return ValueTask.CompletedTask;
    }

    public override async ValueTask Handle(Chained @event, ProjectionContext context)
    {
        var view = await context.GetAsync<LedgerView>(@event.Id);
        var length = 0;
        for (var node = @event.Head; node is not null; node = node.Next) length++;
        context.Set(@event.Id, view! with { Events = view.Events + 1, LastChain = length });
    }

    public override async ValueTask Handle(Renamed @event, ProjectionContext context)
    {
        var view = await context.GetAsync<LedgerView>(@event.Id);
        context.Set(@event.Id, view! with { Owner = @event.Name, Events = view.Events + 1 });
    }
}
