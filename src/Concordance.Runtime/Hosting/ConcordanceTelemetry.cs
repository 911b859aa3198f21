using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Concordance;

/// <summary>
/// The names of the runtime's OpenTelemetry sources: one <see cref="ActivitySource"/> and one <see cref="Meter"/>,
/// both named <see cref="Name"/>. Subscribe with <c>.AddSource(ConcordanceTelemetry.Name)</c> and
/// <c>.AddMeter(ConcordanceTelemetry.Name)</c>.
/// </summary>
public static class ConcordanceTelemetry
{
    /// <summary>The name of the runtime's activity source and meter.</summary>
    public const string Name = "Concordance";

    /// <summary>Histogram of command handling time in seconds, from send to outcome; tags <c>concordance.command.type</c> and <c>concordance.command.outcome</c> (accepted, rejected, failed).</summary>
    public const string CommandDuration = "concordance.command.duration";

    /// <summary>Counter of events appended to the log; tag <c>concordance.stream.category</c>.</summary>
    public const string EventsAppended = "concordance.events.appended";

    /// <summary>Gauge of how far a subscriber (projector, process manager or gateway) trails the log: head position − its position; tag <c>concordance.component</c>.</summary>
    public const string ProjectorLag = "concordance.projector.lag";

    /// <summary>Counter of events parked as dead letters; tag <c>concordance.component</c>.</summary>
    public const string DeadLetters = "concordance.dead_letters";

    /// <summary>
    /// Gauge of the outbox commands set aside in this process now: each failed to send <c>MaxAttempts</c> times in a
    /// row while the store answered, and is retried on its own with backoff while the commands after it go on. Above
    /// zero for long means a process manager emits a command nothing can take (the log names it).
    /// </summary>
    public const string OutboxSetAside = "concordance.outbox.set_aside";

    /// <summary>The tag naming a component, e.g. <c>projector:Bank.AccountLedger</c>.</summary>
    public const string ComponentTag = "concordance.component";

    private static readonly ConcurrentDictionary<ComponentRunner, byte> Subscribers = new();
    private static readonly ConcurrentDictionary<OutboxDispatcher, byte> Dispatchers = new();

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(ConcordanceTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(ConcordanceTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly Histogram<double> CommandDurationHistogram =
        Meter.CreateHistogram<double>(CommandDuration, "s", "Time to handle a command, from send to outcome.");

    private static readonly Counter<long> EventsAppendedCounter =
        Meter.CreateCounter<long>(EventsAppended, "{event}", "Events appended to the log.");

    private static readonly Counter<long> DeadLettersCounter =
        Meter.CreateCounter<long>(DeadLetters, "{event}", "Events parked as dead letters.");

    // Kept in fields so the instruments live as long as the meter.
    internal static readonly ObservableGauge<long> LagGauge =
        Meter.CreateObservableGauge(ProjectorLag, ObserveLag, "{event}", "Head position of the log minus the position a subscriber has processed.");

    internal static readonly ObservableGauge<long> SetAsideGauge =
        Meter.CreateObservableGauge(OutboxSetAside, ObserveSetAside, "{command}", "Outbox commands set aside after failing while the store answers.");

    /// <summary>The W3C trace context of the current activity (the span an append or an enqueue happens in), or nulls.</summary>
    internal static (string? Parent, string? State) CurrentTraceContext() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? (current.Id, current.TraceStateString) : (null, null);

    /// <summary>Whether any listener samples the runtime's activities (else starting one does nothing).</summary>
    internal static bool IsListening => ActivitySource.HasListeners();

    /// <summary>
    /// Starts an activity continuing the trace a stored <paramref name="traceParent"/> names (an event's, an outbox
    /// message's): its parent is that remote context; without one (or an unreadable one), the current activity, if any.
    /// </summary>
    internal static Activity? StartContinuing(string name, ActivityKind kind, string? traceParent, string? traceState)
    {
        if (!ActivitySource.HasListeners()) return null;
        var parent = traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
        return ActivitySource.StartActivity(name, kind, parent);
    }

    internal static void RecordCommand(string commandType, string outcome, TimeSpan elapsed) =>
        CommandDurationHistogram.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("concordance.command.type", commandType),
            new KeyValuePair<string, object?>("concordance.command.outcome", outcome));

    internal static void RecordAppended(string category, int count)
    {
        if (count > 0) EventsAppendedCounter.Add(count, new KeyValuePair<string, object?>("concordance.stream.category", category));
    }

    internal static void RecordDeadLetters(string component, int count)
    {
        if (count > 0) DeadLettersCounter.Add(count, new KeyValuePair<string, object?>(ComponentTag, component));
    }

    internal static void Observe(ComponentRunner runner) => Subscribers.TryAdd(runner, 0);

    internal static void Forget(ComponentRunner runner) => Subscribers.TryRemove(runner, out _);

    internal static void Observe(OutboxDispatcher dispatcher) => Dispatchers.TryAdd(dispatcher, 0);

    internal static void Forget(OutboxDispatcher dispatcher) => Dispatchers.TryRemove(dispatcher, out _);

    private static Measurement<long> ObserveSetAside() => new(Dispatchers.Keys.Sum(d => (long)d.SetAsideCount));

    private static IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var runner in Subscribers.Keys)
        {
            if (runner.Lag is { } lag)
                yield return new Measurement<long>(lag, new KeyValuePair<string, object?>(ComponentTag, runner.Component));
        }
    }
}
