using System.Text;
using Concordance.Storage;
using Xunit;

namespace Concordance.Conformance;

/// <summary>
/// The behaviours every storage backend must have. A backend's test project derives one class from this
/// and supplies a fresh, empty store per test. Self-contained (xunit + Concordance.Runtime only) so another
/// test project can compile-link this folder: <c>&lt;Compile Include="..\Concordance.Runtime.Tests\Conformance\*.cs" /&gt;</c>.
/// </summary>
public abstract partial class EventStoreConformance : IAsyncLifetime
{
    private IConcordanceStore? _store;

    /// <summary>The store under test; fresh and empty for every test.</summary>
    protected IConcordanceStore Store => _store ?? throw new InvalidOperationException("The store is not created yet.");

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract ValueTask<IConcordanceStore> CreateStoreAsync();

    /// <summary>Releases whatever <see cref="CreateStoreAsync"/> made beyond the store (files, servers), after the store is disposed.</summary>
    protected virtual ValueTask CleanUpAsync() => ValueTask.CompletedTask;

    async Task IAsyncLifetime.InitializeAsync() => _store = await CreateStoreAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        await CleanUpAsync();
    }

    private static readonly DateTimeOffset T0 = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    /// <summary>A small valid event whose data records <paramref name="n"/>.</summary>
    protected static NewEvent Event(string id, int n = 0, string type = "Test.Happened", string? correlation = null, string? causation = null) =>
        new(id, type, 1, Encoding.UTF8.GetBytes($$"""{"n":{{n}}}"""), T0.AddSeconds(n), "/tests", correlation, causation);

    private static StreamId Stream(string key) => new("Test.Account", key);

    private static string Text(ReadOnlyMemory<byte> data) => Encoding.UTF8.GetString(data.Span);

    private async Task<List<StoredEvent>> ReadStream(StreamId stream, long from = 1)
    {
        var list = new List<StoredEvent>();
        await foreach (var e in Store.Events.ReadStreamAsync(stream, from)) list.Add(e);
        return list;
    }

    private async Task<AppendResult> AppendOne(AppendRequest request) => (await Store.Events.AppendAsync([request]))[0];

    // ------------------------------------------------------------------ streams

    [Fact]
    public async Task Given_no_stream_when_appending_at_version_0_then_events_get_versions_1_to_n_and_increasing_positions()
    {
        var result = await AppendOne(new AppendRequest(Stream("a"), ExpectedVersion.NoStream, [Event("e1", 1), Event("e2", 2), Event("e3", 3)]));

        Assert.Equal(AppendStatus.Appended, result.Status);
        Assert.Equal(3, result.StreamVersion);
        Assert.Equal([1L, 2L, 3L], result.Events.Select(e => e.Version));
        Assert.True(result.Events[0].Position > 0);
        Assert.Equal([result.Events[0].Position, result.Events[0].Position + 1, result.Events[0].Position + 2], result.Events.Select(e => e.Position));
        Assert.Equal(3, await Store.Events.GetStreamVersionAsync(Stream("a")));
        Assert.Equal(result.Events[2].Position, await Store.Events.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Given_an_appended_event_when_reading_its_stream_then_every_envelope_attribute_round_trips()
    {
        await AppendOne(new AppendRequest(Stream("a"), ExpectedVersion.NoStream, [Event("e1", 7, "Test.Opened", "corr-1", "cmd-1")]));

        var stored = Assert.Single(await ReadStream(Stream("a")));

        Assert.Equal("e1", stored.Id);
        Assert.Equal("/tests", stored.Source);
        Assert.Equal("Test.Opened", stored.Type);
        Assert.Equal(T0.AddSeconds(7), stored.Time);
        Assert.Equal(Stream("a"), stored.Stream);
        Assert.Equal("a", stored.Subject);
        Assert.Equal(1, stored.Version);
        Assert.Equal("corr-1", stored.CorrelationId);
        Assert.Equal("cmd-1", stored.CausationId);
        Assert.Equal(1, stored.SchemaVersion);
        Assert.Equal("""{"n":7}""", Text(stored.Data));
    }

    [Fact]
    public async Task Given_a_stream_when_reading_from_a_version_then_only_that_version_onward_is_returned_in_order()
    {
        await AppendOne(new AppendRequest(Stream("a"), 0, [Event("e1", 1), Event("e2", 2)]));
        await AppendOne(new AppendRequest(Stream("b"), 0, [Event("x1", 9)]));
        await AppendOne(new AppendRequest(Stream("a"), 2, [Event("e3", 3), Event("e4", 4)]));

        var tail = await ReadStream(Stream("a"), from: 3);

        Assert.Equal(["e3", "e4"], tail.Select(e => e.Id));
        Assert.Equal([3L, 4L], tail.Select(e => e.Version));
        Assert.Empty(await ReadStream(Stream("nobody")));
        Assert.Equal(0, await Store.Events.GetStreamVersionAsync(Stream("nobody")));
    }

    [Fact]
    public async Task Given_a_stream_at_version_2_when_appending_with_a_stale_expected_version_then_nothing_is_appended_and_the_actual_version_is_reported()
    {
        await AppendOne(new AppendRequest(Stream("a"), 0, [Event("e1"), Event("e2")]));

        var stale = await AppendOne(new AppendRequest(Stream("a"), 1, [Event("late")]));
        var again = await AppendOne(new AppendRequest(Stream("a"), ExpectedVersion.NoStream, [Event("late2")]));

        Assert.Equal(AppendStatus.WrongExpectedVersion, stale.Status);
        Assert.Equal(2, stale.StreamVersion);
        Assert.Empty(stale.Events);
        Assert.Equal(AppendStatus.WrongExpectedVersion, again.Status);
        Assert.Equal(["e1", "e2"], (await ReadStream(Stream("a"))).Select(e => e.Id));
    }

    [Fact]
    public async Task Given_any_expected_version_when_appending_then_the_events_go_after_whatever_is_there()
    {
        await AppendOne(new AppendRequest(Stream("a"), 0, [Event("e1")]));

        var result = await AppendOne(new AppendRequest(Stream("a"), ExpectedVersion.Any, [Event("e2")]));

        Assert.Equal(AppendStatus.Appended, result.Status);
        Assert.Equal(2, result.Events.Single().Version);
    }

    [Fact]
    public async Task Given_a_batch_over_several_streams_when_one_request_conflicts_then_the_others_commit_and_the_conflicting_one_commits_nothing()
    {
        await AppendOne(new AppendRequest(Stream("b"), 0, [Event("b1")]));

        var results = await Store.Events.AppendAsync(
        [
            new AppendRequest(Stream("a"), 0, [Event("a1"), Event("a2")]),
            new AppendRequest(Stream("b"), 0, [Event("b-stale-1"), Event("b-stale-2")]),
            new AppendRequest(Stream("c"), 0, [Event("c1")]),
            new AppendRequest(Stream("a"), 2, [Event("a3")]),
        ]);

        Assert.Equal([AppendStatus.Appended, AppendStatus.WrongExpectedVersion, AppendStatus.Appended, AppendStatus.Appended], results.Select(r => r.Status));
        Assert.Equal(["a1", "a2", "a3"], (await ReadStream(Stream("a"))).Select(e => e.Id));
        Assert.Equal(["b1"], (await ReadStream(Stream("b"))).Select(e => e.Id));
        Assert.Equal(["c1"], (await ReadStream(Stream("c"))).Select(e => e.Id));
        var positions = results.SelectMany(r => r.Events).Select(e => e.Position).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(4, positions.Distinct().Count());
    }

    [Fact]
    public async Task Given_a_batch_when_it_returns_then_every_appended_event_is_in_the_global_log_in_request_order()
    {
        var results = await Store.Events.AppendAsync(
        [
            new AppendRequest(Stream("a"), 0, [Event("a1")]),
            new AppendRequest(Stream("b"), 0, [Event("b1"), Event("b2")]),
        ]);

        var all = await Store.Events.ReadAllAsync(0, 100);

        Assert.Equal(["a1", "b1", "b2"], all.Select(e => e.Id));
        Assert.Equal(results.SelectMany(r => r.Events).Select(e => e.Position), all.Select(e => e.Position));
    }

    // ------------------------------------------------------------------ command idempotency

    [Fact]
    public async Task Given_an_append_with_a_command_id_when_the_same_id_is_appended_again_then_nothing_is_appended_and_the_first_outcome_is_returned()
    {
        var first = await AppendOne(new AppendRequest(Stream("a"), 0, [Event("e1"), Event("e2")]) { CommandId = "cmd-1" });

        var repeat = await AppendOne(new AppendRequest(Stream("a"), 2, [Event("e3")]) { CommandId = "cmd-1" });

        Assert.Equal(AppendStatus.Appended, first.Status);
        Assert.Equal(AppendStatus.DuplicateCommand, repeat.Status);
        Assert.Empty(repeat.Events);
        Assert.Equal(new CommandRecord("cmd-1", Stream("a"), 2, 2, null), repeat.ExistingCommand);
        Assert.Equal(new CommandRecord("cmd-1", Stream("a"), 2, 2, null), await Store.Events.FindCommandAsync("cmd-1"));
        Assert.Equal(2, await Store.Events.GetStreamVersionAsync(Stream("a")));
    }

    [Fact]
    public async Task Given_a_recorded_rejection_when_the_command_id_comes_again_then_the_rejection_is_the_outcome_and_nothing_is_appended()
    {
        await AppendOne(new AppendRequest(Stream("a"), 0, [Event("e1")]));
        var rejected = await AppendOne(new AppendRequest(Stream("a"), ExpectedVersion.Any, []) { CommandId = "cmd-r", RejectionReason = "insufficient funds" });

        var repeat = await AppendOne(new AppendRequest(Stream("a"), 1, [Event("e2")]) { CommandId = "cmd-r" });

        Assert.Equal(AppendStatus.Appended, rejected.Status);
        Assert.Equal(AppendStatus.DuplicateCommand, repeat.Status);
        Assert.Equal(new CommandRecord("cmd-r", Stream("a"), 1, 0, "insufficient funds"), repeat.ExistingCommand);
        Assert.False(repeat.ExistingCommand!.IsAccepted);
        Assert.Equal(1, await Store.Events.GetStreamVersionAsync(Stream("a")));
    }

    [Fact]
    public async Task Given_a_rejection_decided_on_a_stale_version_when_recording_it_then_it_conflicts_and_nothing_is_recorded()
    {
        await AppendOne(new AppendRequest(Stream("a"), 0, [Event("e1"), Event("e2")]));

        var stale = await AppendOne(new AppendRequest(Stream("a"), 1, []) { CommandId = "cmd-r", RejectionReason = "insufficient funds" });

        Assert.Equal(AppendStatus.WrongExpectedVersion, stale.Status);
        Assert.Equal(2, stale.StreamVersion);
        Assert.Null(await Store.Events.FindCommandAsync("cmd-r"));
    }

    [Fact]
    public async Task Given_a_conflicting_append_with_a_command_id_when_it_fails_then_no_outcome_is_recorded()
    {
        await AppendOne(new AppendRequest(Stream("a"), 0, [Event("e1")]));

        await AppendOne(new AppendRequest(Stream("a"), 0, [Event("e2")]) { CommandId = "cmd-x" });

        Assert.Null(await Store.Events.FindCommandAsync("cmd-x"));
    }

    [Fact]
    public async Task Given_one_batch_carrying_the_same_command_id_twice_then_it_is_applied_once()
    {
        var results = await Store.Events.AppendAsync(
        [
            new AppendRequest(Stream("a"), ExpectedVersion.Any, [Event("e1")]) { CommandId = "cmd-1" },
            new AppendRequest(Stream("a"), ExpectedVersion.Any, [Event("e1-again")]) { CommandId = "cmd-1" },
        ]);

        Assert.Equal([AppendStatus.Appended, AppendStatus.DuplicateCommand], results.Select(r => r.Status));
        Assert.Equal(["e1"], (await ReadStream(Stream("a"))).Select(e => e.Id));
    }

    // ------------------------------------------------------------------ global log

    [Fact]
    public async Task Given_a_log_when_reading_all_after_a_position_in_pages_then_every_event_comes_once_in_position_order()
    {
        for (var i = 0; i < 7; i++)
            await AppendOne(new AppendRequest(Stream("s" + (i % 3)), ExpectedVersion.Any, [Event("e" + i, i)]));

        var seen = new List<StoredEvent>();
        long after = 0;
        while (true)
        {
            var page = await Store.Events.ReadAllAsync(after, 3);
            if (page.Count == 0) break;
            Assert.True(page.Count <= 3);
            seen.AddRange(page);
            after = page[^1].Position;
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => "e" + i), seen.Select(e => e.Id));
        Assert.Equal(seen.Select(e => e.Position).Order(), seen.Select(e => e.Position));
    }

    [Fact]
    public async Task Given_a_type_filter_when_reading_all_then_only_matching_events_come_in_position_order()
    {
        await AppendOne(new AppendRequest(Stream("a"), 0, [Event("a1", type: "Test.Opened"), Event("a2", type: "Test.Deposited"), Event("a3", type: "Test.Closed")]));
        await AppendOne(new AppendRequest(Stream("b"), 0, [Event("b1", type: "Test.Opened")]));

        var opened = await Store.Events.ReadAllAsync(0, 10, new EventFilter(new HashSet<string> { "Test.Opened", "Test.Closed" }));

        Assert.Equal(["a1", "a3", "b1"], opened.Select(e => e.Id));
    }

    [Fact]
    public async Task Given_a_waiting_reader_when_an_event_is_appended_then_the_wait_completes()
    {
        Assert.Equal(0, await Store.Events.GetHeadPositionAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var wait = Store.Events.WaitForEventsAsync(0, timeout.Token).AsTask();

        var appended = await AppendOne(new AppendRequest(Stream("a"), 0, [Event("e1")]));
        await wait;

        Assert.False(timeout.IsCancellationRequested);
        // Already past: completes at once.
        await Store.Events.WaitForEventsAsync(appended.Events[0].Position - 1, timeout.Token);
    }

    [Fact]
    public async Task Given_no_new_event_when_waiting_with_a_cancelled_token_then_the_wait_is_cancelled()
    {
        await AppendOne(new AppendRequest(Stream("a"), 0, [Event("e1")]));
        using var cancelled = new CancellationTokenSource();
        var wait = Store.Events.WaitForEventsAsync(await Store.Events.GetHeadPositionAsync(), cancelled.Token).AsTask();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task Given_concurrent_appenders_when_a_reader_tails_the_global_log_then_it_sees_every_event_once_in_increasing_position_order()
    {
        const int writers = 8, appendsPerWriter = 40;
        using var done = new CancellationTokenSource();
        var seen = new List<StoredEvent>();
        var reader = Task.Run(async () =>
        {
            long after = 0;
            while (true)
            {
                var page = await Store.Events.ReadAllAsync(after, 50);
                foreach (var e in page)
                {
                    Assert.True(e.Position > after, $"position {e.Position} after {after}");
                    after = e.Position;
                    seen.Add(e);
                }
                if (page.Count == 0)
                {
                    if (done.IsCancellationRequested && after == await Store.Events.GetHeadPositionAsync()) return;
                    await Task.Yield();
                }
            }
        });

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < appendsPerWriter; i++)
            {
                var result = await AppendOne(new AppendRequest(Stream("w" + w), i, [Event($"w{w}-{i}", i)]));
                Assert.Equal(AppendStatus.Appended, result.Status);
            }
        })));
        done.Cancel();
        await reader;

        Assert.Equal(writers * appendsPerWriter, seen.Count);
        Assert.Equal(writers * appendsPerWriter, seen.Select(e => e.Id).Distinct().Count());
        foreach (var stream in seen.GroupBy(e => e.Stream))
            Assert.Equal(Enumerable.Range(1, appendsPerWriter).Select(v => (long)v), stream.Select(e => e.Version));
    }

    // ------------------------------------------------------------------ snapshots

    [Fact]
    public async Task Given_a_snapshot_when_an_older_one_is_saved_then_the_newer_one_is_kept()
    {
        Assert.Null(await Store.Snapshots.GetAsync(Stream("a")));
        await Store.Snapshots.SaveAsync(new Snapshot(Stream("a"), 5, Encoding.UTF8.GetBytes("""{"v":5}""")));
        await Store.Snapshots.SaveAsync(new Snapshot(Stream("a"), 3, Encoding.UTF8.GetBytes("""{"v":3}""")));

        var kept = await Store.Snapshots.GetAsync(Stream("a"));

        Assert.Equal(5, kept!.Version);
        Assert.Equal("""{"v":5}""", Text(kept.Data));

        await Store.Snapshots.SaveAsync(new Snapshot(Stream("a"), 9, Encoding.UTF8.GetBytes("""{"v":9}""")));
        Assert.Equal(9, (await Store.Snapshots.GetAsync(Stream("a")))!.Version);
    }

    // ------------------------------------------------------------------ component unit of work

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Given_a_component_commit_then_its_documents_and_checkpoint_are_visible_together()
    {
        Assert.Equal(0, await Store.Components.GetCheckpointAsync("projector:Ledger"));

        var committed = await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 0, 4)
        {
            Documents = [new DocumentWrite("Ledger", "a", Json("""{"balance":10}""")), new DocumentWrite("Ledger", "b", Json("""{"balance":20}"""))],
        });

        Assert.True(committed);
        Assert.Equal(4, await Store.Components.GetCheckpointAsync("projector:Ledger"));
        var a = await Store.Components.GetDocumentAsync("Ledger", "a");
        Assert.Equal("""{"balance":10}""", Text(a!.Data));
        Assert.Equal(4, a.Position);
        Assert.NotNull(await Store.Components.GetDocumentAsync("Ledger", "b"));
        Assert.Null(await Store.Components.GetDocumentAsync("Other", "a"));
    }

    [Fact]
    public async Task Given_a_moved_checkpoint_when_a_stale_worker_commits_then_nothing_of_its_commit_lands()
    {
        await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 0, 4) { Documents = [new DocumentWrite("Ledger", "a", Json("""{"balance":10}"""))] });

        var stale = await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 2, 6)
        {
            Documents = [new DocumentWrite("Ledger", "a", Json("""{"balance":999}""")), new DocumentWrite("Ledger", "z", Json("{}"))],
            Outbox = [Outbox("m-stale")],
            DeadLetters = [Letter("d-stale", "projector:Ledger", 5)],
        });

        Assert.False(stale);
        Assert.Equal(4, await Store.Components.GetCheckpointAsync("projector:Ledger"));
        Assert.Equal("""{"balance":10}""", Text((await Store.Components.GetDocumentAsync("Ledger", "a"))!.Data));
        Assert.Null(await Store.Components.GetDocumentAsync("Ledger", "z"));
        Assert.Empty(await Store.Outbox.GetPendingAsync(10));
        Assert.Empty(await Store.DeadLetters.ListAsync());
    }

    [Fact]
    public async Task Given_a_document_when_a_commit_deletes_it_then_it_is_gone_and_other_components_checkpoints_are_untouched()
    {
        await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 0, 1) { Documents = [new DocumentWrite("Ledger", "a", Json("{}"))] });
        await Store.Components.CommitAsync(new ComponentCommit("projector:Other", 0, 1));

        await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 1, 2) { Documents = [new DocumentWrite("Ledger", "a", null)] });

        Assert.Null(await Store.Components.GetDocumentAsync("Ledger", "a"));
        Assert.Equal(2, await Store.Components.GetCheckpointAsync("projector:Ledger"));
        Assert.Equal(1, await Store.Components.GetCheckpointAsync("projector:Other"));
    }

    [Fact]
    public async Task Given_a_projection_when_it_is_reset_then_its_documents_and_checkpoint_are_gone_and_others_stay()
    {
        await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 0, 3) { Documents = [new DocumentWrite("Ledger", "a", Json("{}"))] });
        await Store.Components.CommitAsync(new ComponentCommit("projector:Other", 0, 3) { Documents = [new DocumentWrite("Other", "a", Json("{}"))] });

        await Store.Components.ResetAsync("projector:Ledger", "Ledger");

        Assert.Equal(0, await Store.Components.GetCheckpointAsync("projector:Ledger"));
        Assert.Null(await Store.Components.GetDocumentAsync("Ledger", "a"));
        Assert.Equal(3, await Store.Components.GetCheckpointAsync("projector:Other"));
        Assert.NotNull(await Store.Components.GetDocumentAsync("Other", "a"));
    }

    // ------------------------------------------------------------------ outbox

    private static OutboxMessage Outbox(string id, string component = "process:Transfer") =>
        new(id, component, "Test.Reserve", 1, Json($$"""{"id":"{{id}}"}"""), "corr", "evt", T0);

    [Fact]
    public async Task Given_process_state_and_outbox_messages_committed_together_then_both_are_visible_and_pending_in_order()
    {
        await Store.Components.CommitAsync(new ComponentCommit("process:Transfer", 0, 7)
        {
            Documents = [new DocumentWrite("process:Transfer", "t1", Json("""{"status":"Requested"}"""))],
            Outbox = [Outbox("m1"), Outbox("m2")],
        });
        await Store.Components.CommitAsync(new ComponentCommit("process:Transfer", 7, 8) { Outbox = [Outbox("m3")] });

        var pending = await Store.Outbox.GetPendingAsync(10);

        Assert.Equal(["m1", "m2", "m3"], pending.Select(m => m.Id));
        Assert.Equal(Outbox("m1") with { Data = pending[0].Data }, pending[0]);
        Assert.Equal("""{"id":"m1"}""", Text(pending[0].Data));
        Assert.NotNull(await Store.Components.GetDocumentAsync("process:Transfer", "t1"));
        Assert.Equal(["m1"], (await Store.Outbox.GetPendingAsync(1)).Select(m => m.Id));
    }

    [Fact]
    public async Task Given_a_dispatched_message_when_a_rerun_enqueues_the_same_id_then_it_is_not_pending_again()
    {
        await Store.Components.CommitAsync(new ComponentCommit("process:Transfer", 0, 1) { Outbox = [Outbox("m1"), Outbox("m2")] });
        await Store.Outbox.MarkDispatchedAsync(["m1"]);

        await Store.Components.CommitAsync(new ComponentCommit("process:Transfer", 1, 2) { Outbox = [Outbox("m1"), Outbox("m2"), Outbox("m3")] });

        Assert.Equal(["m2", "m3"], (await Store.Outbox.GetPendingAsync(10)).Select(m => m.Id));
        await Store.Outbox.MarkDispatchedAsync(["m2", "m3", "unknown"]);
        Assert.Empty(await Store.Outbox.GetPendingAsync(10));
    }

    // ------------------------------------------------------------------ dead letters

    private static DeadLetter Letter(string id, string component, long position) =>
        new(id, component, position, new StreamId("Test.Account", "a"), "evt-" + position, "Test.Happened", "System.InvalidOperationException: boom", 3, T0);

    [Fact]
    public async Task Given_dead_letters_committed_with_checkpoints_then_they_can_be_listed_read_and_deleted()
    {
        await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 0, 5) { DeadLetters = [Letter("d1", "projector:Ledger", 5)] });
        await Store.Components.CommitAsync(new ComponentCommit("gateway:Wire", 0, 6) { DeadLetters = [Letter("d2", "gateway:Wire", 6)] });

        Assert.Equal(["d1", "d2"], (await Store.DeadLetters.ListAsync()).Select(d => d.Id));
        Assert.Equal(["d2"], (await Store.DeadLetters.ListAsync("gateway:Wire")).Select(d => d.Id));
        Assert.Equal(Letter("d1", "projector:Ledger", 5), await Store.DeadLetters.GetAsync("d1"));
        Assert.Equal(5, await Store.Components.GetCheckpointAsync("projector:Ledger"));

        Assert.True(await Store.DeadLetters.DeleteAsync("d1"));
        Assert.False(await Store.DeadLetters.DeleteAsync("d1"));
        Assert.Null(await Store.DeadLetters.GetAsync("d1"));
        Assert.Equal(["d2"], (await Store.DeadLetters.ListAsync()).Select(d => d.Id));
    }

    [Fact]
    public async Task Given_a_dead_letter_when_a_commit_that_keeps_the_checkpoint_removes_it_then_its_documents_land_and_the_letter_is_gone_together()
    {
        await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 0, 5) { DeadLetters = [Letter("d1", "projector:Ledger", 3), Letter("d2", "projector:Ledger", 4)] });

        var retried = await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 5, 5)
        {
            Documents = [new DocumentWrite("Ledger", "a", Json("""{"balance":1}"""))],
            RemovedDeadLetters = ["d1", "unknown"],
        });
        var stale = await Store.Components.CommitAsync(new ComponentCommit("projector:Ledger", 4, 4) { RemovedDeadLetters = ["d2"] });

        Assert.True(retried);
        Assert.False(stale);
        Assert.Equal(5, await Store.Components.GetCheckpointAsync("projector:Ledger"));
        Assert.Equal("""{"balance":1}""", Text((await Store.Components.GetDocumentAsync("Ledger", "a"))!.Data));
        Assert.Equal(["d2"], (await Store.DeadLetters.ListAsync()).Select(d => d.Id));
    }
}
