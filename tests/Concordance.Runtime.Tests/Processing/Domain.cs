using System.Text.Json;
using Concordance.Runtime.Tests.Commands;

namespace Concordance.Runtime.Tests.Processing;

// Hand-written stand-ins for generated components (the runtime tests do not use the generator).

public sealed record PayoutRequested(string PayoutId, string Account, decimal Amount) : IEvent;
public sealed record PayoutApproved(string PayoutId) : IEvent;
public sealed record PayoutSettled(string PayoutId) : IEvent;
public sealed record PayoutCancelled(string PayoutId) : IEvent;
/// <summary>An external fact the payout network gateway brings in.</summary>
public sealed record PayoutConfirmed(string PayoutId, string Reference) : IEvent;
/// <summary>Not declared by the gateway's <c>emit</c>.</summary>
public sealed record PayoutRejectedByNetwork(string PayoutId) : IEvent;

public sealed record PayoutState(string Account, decimal Amount, bool Approved);

/// <summary>A read model: reflection-based System.Text.Json (the default read-model options).</summary>
public sealed record AccountSummary(string Account, decimal Balance, int Operations, string LastNote);

public static class ProcessingMessages
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static MessageType Describe<T>(string name, MessageKind kind = MessageKind.Event) where T : class, IMessage =>
        new(name, 1, kind, typeof(T),
            (w, m) => JsonSerializer.Serialize(w, (T)m, Web),
            (ref Utf8JsonReader r) => JsonSerializer.Deserialize<T>(ref r, Web)!);

    public static IReadOnlyList<MessageType> All { get; } =
    [
        Describe<PayoutRequested>("Tests.PayoutRequested"),
        Describe<PayoutApproved>("Tests.PayoutApproved"),
        Describe<PayoutSettled>("Tests.PayoutSettled"),
        Describe<PayoutCancelled>("Tests.PayoutCancelled"),
        Describe<PayoutConfirmed>("Tests.PayoutConfirmed"),
        Describe<PayoutRejectedByNetwork>("Tests.PayoutRejectedByNetwork"),
    ];

    public static ComponentCatalog Catalog()
    {
        var catalog = Buses.Catalog();
        foreach (var type in All) catalog.Add(type);
        return catalog;
    }
}

/// <summary>Projects account events into <see cref="AccountSummary"/> read models keyed by account.</summary>
public sealed class Ledger : IProjector
{
    public const string ProjectorName = "Tests.Ledger";

    public string Name => ProjectorName;

    public IReadOnlyList<Type> EventTypes { get; } = [typeof(Opened), typeof(Deposited), typeof(Withdrawn)];

    /// <summary>The declared schema version (a new one is built blue/green).</summary>
    public int Version { get; init; } = 1;

    /// <summary>Put before each deposit's note, so a test tells which version wrote a read model.</summary>
    public string NotePrefix { get; init; } = "";

    /// <summary>Accounts whose events make the projector throw (a poison event).</summary>
    public HashSet<string> FailFor { get; } = [];

    /// <summary>Called before each event is projected (to stop a worker mid-batch).</summary>
    public Action<IEvent>? BeforeProject { get; set; }

    public int Calls;

    public async ValueTask ProjectAsync(IEvent @event, ProjectionContext context)
    {
        Interlocked.Increment(ref Calls);
        BeforeProject?.Invoke(@event);
        switch (@event)
        {
            case Opened e:
                Check(e.Account);
                context.Set(e.Account, new AccountSummary(e.Account, 0m, 1, "opened"));
                break;
            case Deposited e:
                Check(e.Account);
                var before = await context.GetAsync<AccountSummary>(e.Account) ?? throw new InvalidOperationException($"No summary for {e.Account}.");
                context.Set(e.Account, before with { Balance = before.Balance + e.Amount, Operations = before.Operations + 1, LastNote = NotePrefix + e.Note });
                break;
            case Withdrawn e:
                Check(e.Account);
                var current = await context.GetAsync<AccountSummary>(e.Account) ?? throw new InvalidOperationException($"No summary for {e.Account}.");
                if (current.Balance - e.Amount == 0m) context.Delete(e.Account);
                else context.Set(e.Account, current with { Balance = current.Balance - e.Amount, Operations = current.Operations + 1, LastNote = "withdrawn" });
                break;
        }
    }

    private void Check(string account)
    {
        if (FailFor.Contains(account)) throw new InvalidOperationException($"poison: the ledger cannot project account {account}");
    }
}

/// <summary>
/// A payout: requested (start) → approved (sends a withdrawal) → settled or cancelled (end; settling sends a 1.00 fee
/// deposit to the "fees" account).
/// </summary>
public sealed class PayoutProcess : IProcessManager
{
    public const string ProcessName = "Tests.Payout";

    public string Name => ProcessName;

    public IReadOnlyList<Type> EventTypes { get; } = [typeof(PayoutRequested), typeof(PayoutApproved), typeof(PayoutSettled), typeof(PayoutCancelled)];

    public IReadOnlyList<Type> CommandTypes { get; } = [typeof(Withdraw), typeof(Deposit)];

    public Type StateType => typeof(PayoutState);

    public HashSet<string> FailFor { get; } = [];

    public List<(IEvent Event, object? State)> Handled { get; } = [];

    public void WriteState(Utf8JsonWriter writer, object state)
    {
        var s = (PayoutState)state;
        writer.WriteStartObject();
        writer.WriteString("account", s.Account);
        writer.WriteNumber("amount", s.Amount);
        writer.WriteBoolean("approved", s.Approved);
        writer.WriteEndObject();
    }

    public object ReadState(ref Utf8JsonReader reader)
    {
        string? account = null;
        decimal amount = 0;
        var approved = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "account": account = reader.GetString(); break;
                case "amount": amount = reader.GetDecimal(); break;
                case "approved": approved = reader.GetBoolean(); break;
                default: reader.Skip(); break;
            }
        }
        return new PayoutState(account ?? throw new JsonException("account missing"), amount, approved);
    }

    public ProcessStep StepOf(IEvent @event) => @event switch
    {
        PayoutRequested => ProcessStep.Start,
        PayoutApproved => ProcessStep.Advance,
        PayoutSettled or PayoutCancelled => ProcessStep.End,
        _ => ProcessStep.None,
    };

    public string? KeyOf(IEvent @event) => @event switch
    {
        PayoutRequested e => e.PayoutId,
        PayoutApproved e => e.PayoutId,
        PayoutSettled e => e.PayoutId,
        PayoutCancelled e => e.PayoutId,
        _ => null,
    };

    public ProcessOutcome Handle(IEvent @event, object? state)
    {
        var s = (PayoutState?)state;
        if (KeyOf(@event) is { } key && FailFor.Contains(key)) throw new InvalidOperationException($"poison: payout {key}");
        Handled.Add((@event, state));
        return @event switch
        {
            PayoutRequested e => ProcessOutcome.Continue(new PayoutState(e.Account, e.Amount, false)),
            PayoutApproved => ProcessOutcome.Continue(s! with { Approved = true }, new Withdraw(s.Account, s.Amount)),
            PayoutSettled => ProcessOutcome.Complete(new Deposit("fees", 1m)),
            PayoutCancelled => ProcessOutcome.Complete(),
            _ => throw new ArgumentException($"{@event.GetType()} is not handled by {Name}."),
        };
    }
}

/// <summary>Welcomes every new account with a 10.00 deposit; the instance ends at the account's first deposit.</summary>
public sealed class WelcomeProcess : IProcessManager
{
    public string Name => "Tests.Welcome";

    public IReadOnlyList<Type> EventTypes { get; } = [typeof(Opened), typeof(Deposited)];

    public IReadOnlyList<Type> CommandTypes { get; } = [typeof(Deposit)];

    public Type StateType => typeof(PayoutState);

    public void WriteState(Utf8JsonWriter writer, object state)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    public object ReadState(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return new PayoutState("", 0m, false);
    }

    public ProcessStep StepOf(IEvent @event) => @event switch
    {
        Opened => ProcessStep.Start,
        Deposited => ProcessStep.End,
        _ => ProcessStep.None,
    };

    public string? KeyOf(IEvent @event) => @event switch
    {
        Opened e => e.Account,
        Deposited e => e.Account,
        _ => null,
    };

    public ProcessOutcome Handle(IEvent @event, object? state) => @event switch
    {
        Opened e => ProcessOutcome.Continue(new PayoutState(e.Account, 10m, false), new Deposit(e.Account, 10m)),
        _ => ProcessOutcome.Complete(),
    };
}

/// <summary>The payout network: reacts to approvals with I/O (here: a scripted handler).</summary>
public sealed class PayoutNetwork : IGateway
{
    public const string GatewayName = "Tests.PayoutNetwork";

    public string Name => GatewayName;

    public IReadOnlyList<Type> EventTypes { get; } = [typeof(PayoutApproved)];

    public IReadOnlyList<Type> EmittedEventTypes { get; } = [typeof(PayoutConfirmed)];

    public IReadOnlyList<Type> CommandTypes { get; } = [typeof(Deposit)];

    /// <summary>The handler: (event, context, attempt number for this event).</summary>
    public Func<PayoutApproved, GatewayContext, int, Task> OnApproved { get; set; } =
        (e, context, _) => context.EmitAsync(new PayoutConfirmed(e.PayoutId, "ref-" + e.PayoutId));

    public Dictionary<string, int> Attempts { get; } = [];

    public async Task DispatchAsync(IEvent @event, GatewayContext context, CancellationToken cancellationToken)
    {
        if (@event is not PayoutApproved approved) return;
        int attempt;
        lock (Attempts) attempt = Attempts[approved.PayoutId] = Attempts.GetValueOrDefault(approved.PayoutId) + 1;
        await OnApproved(approved, context, attempt);
    }
}
