using System.Text.Json;

namespace Concordance.Runtime.Tests.Commands;

// A hand-written stand-in for generated code: messages, JSON readers/writers and an IAggregate, no reflection.

public sealed record Open(string Account, decimal MinBalance) : ICommand;
public sealed record Deposit(string Account, decimal Amount) : ICommand;
public sealed record Withdraw(string Account, decimal Amount) : ICommand;
public sealed record Unhandled(string Account) : ICommand;

public sealed record Opened(string Account, decimal MinBalance) : IEvent;
public sealed record Deposited(string Account, decimal Amount, string Note) : IEvent;
/// <summary>The first version of <see cref="Deposited"/>, without a note; upcast on read.</summary>
public sealed record DepositedV1(string Account, decimal Amount) : IEvent;
public sealed record Withdrawn(string Account, decimal Amount) : IEvent;

public sealed record AccountState(decimal Balance, decimal MinBalance, int Operations);

public sealed class AccountAggregate : IAggregate
{
    public const string AggregateName = "Tests.Account";

    public string Name => AggregateName;

    public IReadOnlyList<Type> CommandTypes { get; } = [typeof(Open), typeof(Deposit), typeof(Withdraw)];

    public IReadOnlyList<Type> EventTypes { get; } = [typeof(Opened), typeof(Deposited), typeof(Withdrawn)];

    public Type StateType => typeof(AccountState);

    public string? KeyOf(ICommand command) => command switch
    {
        Open c => c.Account,
        Deposit c => c.Account,
        Withdraw c => c.Account,
        _ => null,
    };

    public Decision Decide(ICommand command, object? state)
    {
        var s = (AccountState?)state;
        return command switch
        {
            Open c when s is not null => Decision.Reject($"account {c.Account} is already open"),
            Open c => Decision.Accept(new Opened(c.Account, c.MinBalance)),
            Deposit when s is null => Decision.Reject("no such account"),
            Deposit c => Decision.Accept(new Deposited(c.Account, c.Amount, "deposit")),
            Withdraw when s is null => Decision.Reject("no such account"),
            Withdraw c when s!.Balance - c.Amount < s.MinBalance => Decision.Reject("insufficient funds"),
            Withdraw c => Decision.Accept(new Withdrawn(c.Account, c.Amount)),
            _ => throw new ArgumentException($"{command.GetType()} is not handled by {Name}.", nameof(command)),
        };
    }

    public object? Evolve(IEvent @event, object? state)
    {
        var s = (AccountState?)state;
        return @event switch
        {
            Opened e => new AccountState(0, e.MinBalance, 1),
            Deposited e => s! with { Balance = s.Balance + e.Amount, Operations = s.Operations + 1 },
            Withdrawn e => s! with { Balance = s.Balance - e.Amount, Operations = s.Operations + 1 },
            _ => throw new ArgumentException($"{@event.GetType()} is not emitted by {Name}.", nameof(@event)),
        };
    }

    public void WriteState(Utf8JsonWriter writer, object state)
    {
        var s = (AccountState)state;
        writer.WriteStartObject();
        writer.WriteNumber("balance", s.Balance);
        writer.WriteNumber("minBalance", s.MinBalance);
        writer.WriteNumber("operations", s.Operations);
        writer.WriteEndObject();
    }

    public object ReadState(ref Utf8JsonReader reader)
    {
        var fields = Json.ReadObject(ref reader);
        return new AccountState(Json.Decimal(fields, "balance"), Json.Decimal(fields, "minBalance"), (int)Json.Decimal(fields, "operations"));
    }
}

/// <summary>The message descriptors the generator would emit for the test schema.</summary>
public static class AccountMessages
{
    public static IReadOnlyList<MessageType> All { get; } =
    [
        new("Tests.Open", 1, MessageKind.Command, typeof(Open),
            (w, m) => Json.Write(w, ("account", ((Open)m).Account), ("minBalance", ((Open)m).MinBalance)),
            (ref Utf8JsonReader r) => { var f = Json.ReadObject(ref r); return new Open(Json.String(f, "account"), Json.Decimal(f, "minBalance")); }),
        new("Tests.Deposit", 1, MessageKind.Command, typeof(Deposit),
            (w, m) => Json.Write(w, ("account", ((Deposit)m).Account), ("amount", ((Deposit)m).Amount)),
            (ref Utf8JsonReader r) => { var f = Json.ReadObject(ref r); return new Deposit(Json.String(f, "account"), Json.Decimal(f, "amount")); }),
        new("Tests.Withdraw", 1, MessageKind.Command, typeof(Withdraw),
            (w, m) => Json.Write(w, ("account", ((Withdraw)m).Account), ("amount", ((Withdraw)m).Amount)),
            (ref Utf8JsonReader r) => { var f = Json.ReadObject(ref r); return new Withdraw(Json.String(f, "account"), Json.Decimal(f, "amount")); }),
        new("Tests.Opened", 1, MessageKind.Event, typeof(Opened),
            (w, m) => Json.Write(w, ("account", ((Opened)m).Account), ("minBalance", ((Opened)m).MinBalance)),
            (ref Utf8JsonReader r) => { var f = Json.ReadObject(ref r); return new Opened(Json.String(f, "account"), Json.Decimal(f, "minBalance")); }),
        new("Tests.Deposited", 1, MessageKind.Event, typeof(DepositedV1),
            (w, m) => Json.Write(w, ("account", ((DepositedV1)m).Account), ("amount", ((DepositedV1)m).Amount)),
            (ref Utf8JsonReader r) => { var f = Json.ReadObject(ref r); return new DepositedV1(Json.String(f, "account"), Json.Decimal(f, "amount")); },
            upcast: m => new Deposited(((DepositedV1)m).Account, ((DepositedV1)m).Amount, "(v1)")),
        new("Tests.Deposited", 2, MessageKind.Event, typeof(Deposited),
            (w, m) => Json.Write(w, ("account", ((Deposited)m).Account), ("amount", ((Deposited)m).Amount), ("note", ((Deposited)m).Note)),
            (ref Utf8JsonReader r) => { var f = Json.ReadObject(ref r); return new Deposited(Json.String(f, "account"), Json.Decimal(f, "amount"), Json.String(f, "note")); }),
        new("Tests.Withdrawn", 1, MessageKind.Event, typeof(Withdrawn),
            (w, m) => Json.Write(w, ("account", ((Withdrawn)m).Account), ("amount", ((Withdrawn)m).Amount)),
            (ref Utf8JsonReader r) => { var f = Json.ReadObject(ref r); return new Withdrawn(Json.String(f, "account"), Json.Decimal(f, "amount")); }),
    ];
}

/// <summary>Tiny reflection-free JSON helpers for flat objects of strings and numbers.</summary>
public static class Json
{
    public static void Write(Utf8JsonWriter writer, params (string Name, object Value)[] fields)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in fields)
        {
            if (value is decimal d) writer.WriteNumber(name, d);
            else writer.WriteString(name, (string)value);
        }
        writer.WriteEndObject();
    }

    public static Dictionary<string, object> ReadObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Expected an object.");
        var fields = new Dictionary<string, object>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            fields[name] = reader.TokenType == JsonTokenType.String ? reader.GetString()! : reader.GetDecimal();
        }
        return fields;
    }

    public static string String(Dictionary<string, object> fields, string name) =>
        fields.TryGetValue(name, out var v) && v is string s ? s : throw new JsonException($"Missing string '{name}'.");

    public static decimal Decimal(Dictionary<string, object> fields, string name) =>
        fields.TryGetValue(name, out var v) && v is decimal d ? d : throw new JsonException($"Missing number '{name}'.");
}
