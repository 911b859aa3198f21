using System.Reflection;
using BenchmarkDotNet.Attributes;
using Bench;

namespace Concordance.Benchmarks.Runtime;

/// <summary>
/// Routing a command to its handler, for eight commands of seven types on one state: the generated
/// <see cref="IAggregate.Decide"/> (a type switch written by the generator) vs the same switch written by hand in
/// an <see cref="IAggregate"/> of its own (the baseline: the best a person would write; called through the same
/// interface, as the runtime calls it, but reaching the sealed handlers without the base's virtual call) vs reflection as a
/// reflection-based framework does it: a dictionary from command type to the handler's cached <see cref="MethodInfo"/>, found
/// by <c>command.GetType()</c> and called with one <see cref="MethodInfo.Invoke(object, object[])"/> per command (a new
/// argument array each time), the result cast to <see cref="Decision"/>. Such a framework's handlers return the decision
/// itself, so the reflected handlers (<see cref="ReflectedHandlers"/>) are the same rules returning <see cref="Decision"/>:
/// one direct call to the aggregate's handler and its <c>ToDecision()</c>, the work the generated switch does too.
/// Two workloads: <c>Accepted</c> (an open account: seven of eight commands emit an event, so the handler's own
/// allocations weigh in) and <c>Rejected</c> (no account yet: every handler returns a constant rejection at
/// once and allocates nothing, so the figure is nearly all dispatch).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
public class DispatchBenchmarks
{
    private const int Commands = 8;

    private readonly Account _account = new();
    private IAggregate _generated = null!;
    private IAggregate _handWritten = null!;
    private ICommand[] _commands = null!;
    private AccountState? _state;
    private ReflectedHandlers _reflected = null!;
    private Dictionary<Type, MethodInfo> _reflection = null!;

    /// <summary>Whether the handlers mostly accept (allocating an event) or reject at once.</summary>
    [Params("Accepted", "Rejected")]
    public string Workload { get; set; } = "Accepted";

    [GlobalSetup]
    public void Setup()
    {
        _generated = _account;
        _handWritten = new HandWrittenDispatch(_account);
        _state = Workload == "Accepted" ? new AccountState(10_000m, 0m, "CUST0001", new Dictionary<string, decimal> { ["WT-1"] = 100m }) : null;
        _commands =
        [
            new DepositFunds("ACC-1", 25m, null, "CUST0001"),
            new WithdrawFunds("ACC-1", 25m, null, "CUST0001"),
            new WireFunds("ACC-1", 25m, null, "CUST0001", "WT-2", "021000021", "987654321"),
            new ReserveFunds("ACC-1", 25m, "CUST0001", "WT-2"),
            new ReleaseFunds("ACC-1", "CUST0001", "WT-1"),
            new CommitFunds("ACC-1", "CUST0001", "WT-1"),
            new DepositFunds("ACC-1", 50m, "note", "CUST0001"),
            new OpenAccount("ACC-1", 10m, 100m, "CUST0001"),
        ];
        // What a reflection-based framework does at startup: scan the handler class for Handle(command, state) methods.
        _reflected = new ReflectedHandlers(_account);
        _reflection = typeof(ReflectedHandlers).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == "Handle" && m.ReturnType == typeof(Decision))
            .ToDictionary(m => m.GetParameters()[0].ParameterType);
        if (!_generated.CommandTypes.All(_reflection.ContainsKey)) throw new InvalidOperationException("A command has no reflected handler.");
        // The three must decide alike, or the comparison means nothing.
        foreach (var command in _commands)
        {
            var a = _generated.Decide(command, _state);
            var b = _handWritten.Decide(command, _state);
            var c = Reflection(command, _state);
            if (a.IsRejected != b.IsRejected || a.IsRejected != c.IsRejected || !a.Events.SequenceEqual(b.Events) || !a.Events.SequenceEqual(c.Events))
                throw new InvalidOperationException($"Dispatch paths disagree on {command}.");
        }
    }

    /// <summary>
    /// No dispatch at all: the same eight handler calls written out with the command types known at compile time. The
    /// floor under every dispatch path; a path's time minus this one is what its dispatch costs.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Commands)]
    public int Direct_calls_no_dispatch()
    {
        var c = _commands;
        var state = _state;
        return _account.Handle((DepositFunds)c[0], state).ToDecision().Events.Count
            + _account.Handle((WithdrawFunds)c[1], state).ToDecision().Events.Count
            + _account.Handle((WireFunds)c[2], state).ToDecision().Events.Count
            + _account.Handle((ReserveFunds)c[3], state).ToDecision().Events.Count
            + _account.Handle((ReleaseFunds)c[4], state).ToDecision().Events.Count
            + _account.Handle((CommitFunds)c[5], state).ToDecision().Events.Count
            + _account.Handle((DepositFunds)c[6], state).ToDecision().Events.Count
            + _account.Handle((OpenAccount)c[7], state).ToDecision().Events.Count;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Commands)]
    public int Hand_written_switch()
    {
        var n = 0;
        foreach (var command in _commands) n += _handWritten.Decide(command, _state).Events.Count;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Commands)]
    public int Generated_Decide()
    {
        var n = 0;
        foreach (var command in _commands) n += _generated.Decide(command, _state).Events.Count;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Commands)]
    public int Reflection_MethodInfo_Invoke()
    {
        var n = 0;
        foreach (var command in _commands) n += Reflection(command, _state).Events.Count;
        return n;
    }

    private Decision Reflection(ICommand command, object? state)
    {
        var handle = _reflection[command.GetType()];
        return (Decision)handle.Invoke(_reflected, [command, state])!;
    }
}

/// <summary>The hand-written twin of the generated dispatch: the same switch, over the sealed class's handlers.</summary>
internal sealed class HandWrittenDispatch(Account account) : IAggregate
{
    private readonly IAggregate _generated = account;

    public string Name => _generated.Name;
    public IReadOnlyList<Type> CommandTypes => _generated.CommandTypes;
    public IReadOnlyList<Type> EventTypes => _generated.EventTypes;
    public Type StateType => _generated.StateType;
    public void WriteState(System.Text.Json.Utf8JsonWriter writer, object state) => _generated.WriteState(writer, state);
    public object ReadState(ref System.Text.Json.Utf8JsonReader reader) => _generated.ReadState(ref reader);
    public string? KeyOf(ICommand command) => _generated.KeyOf(command);
    public object? Evolve(IEvent @event, object? state) => _generated.Evolve(@event, state);

    public Decision Decide(ICommand command, object? state) => command switch
    {
        OpenAccount c => account.Handle(c, (AccountState?)state).ToDecision(),
        DepositFunds c => account.Handle(c, (AccountState?)state).ToDecision(),
        WithdrawFunds c => account.Handle(c, (AccountState?)state).ToDecision(),
        WireFunds c => account.Handle(c, (AccountState?)state).ToDecision(),
        ReserveFunds c => account.Handle(c, (AccountState?)state).ToDecision(),
        ReleaseFunds c => account.Handle(c, (AccountState?)state).ToDecision(),
        CommitFunds c => account.Handle(c, (AccountState?)state).ToDecision(),
        _ => throw new ArgumentException("Not handled.", nameof(command)),
    };
}

/// <summary>The handlers as a reflection-based framework would find them: public <c>Handle</c> methods returning the decision.</summary>
public sealed class ReflectedHandlers(Account account)
{
    public Decision Handle(OpenAccount c, AccountState? state) => account.Handle(c, state).ToDecision();
    public Decision Handle(DepositFunds c, AccountState? state) => account.Handle(c, state).ToDecision();
    public Decision Handle(WithdrawFunds c, AccountState? state) => account.Handle(c, state).ToDecision();
    public Decision Handle(WireFunds c, AccountState? state) => account.Handle(c, state).ToDecision();
    public Decision Handle(ReserveFunds c, AccountState? state) => account.Handle(c, state).ToDecision();
    public Decision Handle(ReleaseFunds c, AccountState? state) => account.Handle(c, state).ToDecision();
    public Decision Handle(CommitFunds c, AccountState? state) => account.Handle(c, state).ToDecision();
}
