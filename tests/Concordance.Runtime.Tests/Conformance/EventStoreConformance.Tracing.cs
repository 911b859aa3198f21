using Concordance.Storage;
using Xunit;

namespace Concordance.Conformance;

// The W3C trace context travels with events and outbox messages (the CloudEvents distributed-tracing extension).
public abstract partial class EventStoreConformance
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private const string TraceState = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";

    [Fact]
    public async Task Given_events_appended_with_and_without_a_trace_context_then_each_reads_back_with_its_own_from_the_stream_and_the_log()
    {
        await AppendOne(new AppendRequest(Stream("traced"), ExpectedVersion.NoStream,
            [Event("t1", 1) with { TraceParent = TraceParent, TraceState = TraceState }, Event("t2", 2) with { TraceParent = TraceParent }, Event("t3", 3)]));
        await AppendOne(new AppendRequest(Stream("plain"), ExpectedVersion.NoStream, [Event("p1", 4)]));

        var fromStream = await ReadStream(Stream("traced"));
        var fromLog = await Store.Events.ReadAllAsync(0, 10);

        foreach (var events in new IReadOnlyList<StoredEvent>[] { fromStream, fromLog })
        {
            var byId = events.ToDictionary(e => e.Id);
            Assert.Equal((TraceParent, TraceState), (byId["t1"].TraceParent, byId["t1"].TraceState));
            Assert.Equal((TraceParent, (string?)null), (byId["t2"].TraceParent, byId["t2"].TraceState));
            Assert.Equal(((string?)null, (string?)null), (byId["t3"].TraceParent, byId["t3"].TraceState));
        }
        Assert.Equal(((string?)null, (string?)null), (fromLog.Single(e => e.Id == "p1").TraceParent, fromLog.Single(e => e.Id == "p1").TraceState));
    }

    [Fact]
    public async Task Given_an_outbox_message_enqueued_with_a_trace_context_then_it_is_pending_with_it()
    {
        await Store.Components.CommitAsync(new ComponentCommit("process:Transfer", 0, 3)
        {
            Outbox = [Outbox("traced") with { TraceParent = TraceParent, TraceState = TraceState }, Outbox("plain")],
        });

        var pending = await Store.Outbox.GetPendingAsync(10);

        Assert.Equal((TraceParent, TraceState), (pending[0].TraceParent, pending[0].TraceState));
        Assert.Equal(((string?)null, (string?)null), (pending[1].TraceParent, pending[1].TraceState));
    }
}
