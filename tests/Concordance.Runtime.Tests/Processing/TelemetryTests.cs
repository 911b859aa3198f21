using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Concordance.Runtime.Tests.Commands;
using Concordance.Storage.InMemory;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

/// <summary>Runs alone: the instruments are process-wide, so other tests' commands would show up in the counts.</summary>
[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection;

[Collection(nameof(TelemetryCollection))]
public sealed class TelemetryTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public TelemetryTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ConcordanceTelemetry.Name) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>();
        foreach (var tag in tags) map[tag.Key] = tag.Value;
        _measurements.Enqueue((instrument.Name, value, map));
    }

    public void Dispose() => _listener.Dispose();

    private IEnumerable<(double Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
        _measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags));

    [Fact]
    public async Task Given_commands_then_their_latency_is_recorded_by_type_and_outcome_and_appended_events_are_counted_by_category()
    {
        await using var harness = Harness.InMemory();

        await harness.Bus.SendAsync(new Open("alice", 0m));
        await harness.Bus.SendAsync(new Deposit("alice", 1m));
        await harness.Bus.SendAsync(new Deposit("nobody", 1m));

        var latencies = Of(ConcordanceTelemetry.CommandDuration).ToList();
        Assert.Equal(3, latencies.Count);
        Assert.All(latencies, l => Assert.True(l.Value >= 0));
        Assert.Equal(["Tests.Open", "Tests.Deposit", "Tests.Deposit"], latencies.Select(l => l.Tags["concordance.command.type"]));
        Assert.Equal(["accepted", "accepted", "rejected"], latencies.Select(l => l.Tags["concordance.command.outcome"]));
        var appended = Of(ConcordanceTelemetry.EventsAppended).ToList();
        Assert.Equal(2, appended.Sum(a => a.Value));
        Assert.All(appended, a => Assert.Equal(AccountAggregate.AggregateName, a.Tags["concordance.stream.category"]));
    }

    [Fact]
    public async Task Given_a_projector_behind_the_log_then_the_lag_gauge_reports_head_minus_checkpoint_until_it_has_caught_up()
    {
        await using var harness = Harness.InMemory(projectors: [new Ledger()], configure: o => o.BatchSize = o.CatchUpBatchSize = 2);
        await harness.AppendAsync(Harness.Account("alice"), new Opened("alice", 0m), new Deposited("alice", 1m, "a"), new Deposited("alice", 2m, "b"),
            new Deposited("alice", 3m, "c"), new Deposited("alice", 4m, "d"));

        await harness.Projector().ProcessOneBatchAsync();
        _listener.RecordObservableInstruments();
        var behind = Of(ConcordanceTelemetry.ProjectorLag).Last(m => Equals(m.Tags[ConcordanceTelemetry.ComponentTag], "projector:Tests.Ledger"));

        await harness.Projector().CatchUpAsync();
        _listener.RecordObservableInstruments();
        var caughtUp = Of(ConcordanceTelemetry.ProjectorLag).Last(m => Equals(m.Tags[ConcordanceTelemetry.ComponentTag], "projector:Tests.Ledger"));

        Assert.Equal(3, behind.Value);
        Assert.Equal(0, caughtUp.Value);
    }

    [Fact]
    public async Task Given_a_poison_event_then_the_dead_letter_counter_counts_it_for_its_component()
    {
        var ledger = new Ledger();
        ledger.FailFor.Add("bad");
        await using var harness = Harness.InMemory(projectors: [ledger]);
        await harness.AppendAsync(Harness.Account("bad"), new Opened("bad", 0m));

        await harness.Projector().CatchUpAsync();

        var counted = Assert.Single(Of(ConcordanceTelemetry.DeadLetters));
        Assert.Equal(1, counted.Value);
        Assert.Equal("projector:Tests.Ledger", counted.Tags[ConcordanceTelemetry.ComponentTag]);
    }

    [Fact]
    public async Task Given_an_outbox_command_set_aside_then_the_gauge_counts_it_until_it_goes_through()
    {
        var bus = new ThrowingBus();
        await using var harness = new Harness(new InMemoryStore(), processes: [new PayoutProcess()], wrapBus: inner => bus.Over(inner));
        await harness.Bus.SendAsync(new Open("poison", 0m));
        await harness.Bus.SendAsync(new Deposit("poison", 100m));
        bus.ThrowFor.Add("poison");
        await harness.AppendAsync(Harness.Payouts("p1"), new PayoutRequested("p1", "poison", 25m), new PayoutApproved("p1"));
        await harness.Process().CatchUpAsync();
        _listener.RecordObservableInstruments();
        var before = Of(ConcordanceTelemetry.OutboxSetAside).Last().Value;

        // Three failures in a row while the store answers (MaxAttempts) set it aside.
        for (var round = 0; round < 3; round++) await harness.Outbox.DispatchPendingAsync();
        _listener.RecordObservableInstruments();
        var aside = Of(ConcordanceTelemetry.OutboxSetAside).Last().Value;

        bus.ThrowFor.Clear();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await harness.Outbox.DispatchPendingAsync()).Dispatched == 0 && DateTime.UtcNow < deadline) await Task.Delay(5);
        _listener.RecordObservableInstruments();
        var after = Of(ConcordanceTelemetry.OutboxSetAside).Last().Value;

        Assert.Equal(0, before);
        Assert.Equal(1, aside);
        Assert.Equal(0, after);
    }

    [Fact]
    public async Task Given_an_activity_listener_then_commands_and_handled_events_produce_activities_from_the_Concordance_source()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ConcordanceTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var harness = Harness.InMemory(projectors: [new Ledger()]);

        await harness.Bus.SendAsync(new Open("alice", 0m));
        await harness.Projector().CatchUpAsync();

        Assert.Contains(activities, a => a.DisplayName == "send Tests.Open" && Equals(a.GetTagItem("concordance.command.outcome"), "accepted"));
        Assert.Contains(activities, a => a.DisplayName == "projector:Tests.Ledger Tests.Opened" && Equals(a.GetTagItem(ConcordanceTelemetry.ComponentTag), "projector:Tests.Ledger"));
    }
}
