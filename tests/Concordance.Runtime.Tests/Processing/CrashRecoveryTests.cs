using System.Diagnostics;
using System.Text;
using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

/// <summary>A child process killed with SIGKILL mid-work, then the work resumed here: nothing lost, nothing applied twice.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private Process StartChild(string mode)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(CrashChild).Assembly.Location);
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(_database.ConnectionString);
        return Process.Start(start) ?? throw new InvalidOperationException("The child did not start.");
    }

    private static async Task KillWhen(Process child, Func<Task<bool>> condition, string what)
    {
        try
        {
            await Eventually.Get(async () => child.HasExited || await condition(), done => done, what, seconds: 60);
            Assert.False(child.HasExited, $"The child exited on its own (code {(child.HasExited ? child.ExitCode : 0)}) before it could be killed.");
        }
        finally
        {
            // Process.Kill sends SIGKILL on Unix: no cleanup, no flush, no finally blocks in the child.
            if (!child.HasExited) child.Kill();
            await child.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Given_a_child_killed_with_SIGKILL_while_projecting_when_projection_resumes_then_read_models_equal_a_rebuild_from_scratch()
    {
        const int accounts = 10, deposits = 30;
        await using (var setup = Harness.Sqlite(_database))
        {
            for (var a = 0; a < accounts; a++)
                await setup.AppendAsync(Harness.Account($"a{a}"), [new Opened($"a{a}", 0m), .. Enumerable.Range(1, deposits).Select(i => new Deposited($"a{a}", i, $"d{i}"))]);
        }
        var total = accounts * (deposits + 1);

        using (var child = StartChild("project"))
        {
            await using var probe = Harness.Sqlite(_database);
            await KillWhen(child, async () => await probe.Store.Components.GetCheckpointAsync("projector:Tests.Ledger") > total / 3, "the child to project a third of the log");
        }

        await using var resumed = Harness.Sqlite(_database, projectors: [new Ledger()]);
        var killedAt = await resumed.Store.Components.GetCheckpointAsync("projector:Tests.Ledger");
        Assert.InRange(killedAt, total / 3 + 1, CrashChild.HangAfterEvents);
        await resumed.Projector().CatchUpAsync();
        var incremental = await ReadModels(resumed, accounts);
        await resumed.Rebuilder.RebuildAsync("Ledger");

        Assert.Equal(incremental, await ReadModels(resumed, accounts));
        for (var a = 0; a < accounts; a++)
            Assert.Contains($"\"balance\":{deposits * (deposits + 1) / 2},\"operations\":{deposits + 1}", incremental[a]);
    }

    private static async Task<List<string?>> ReadModels(Harness harness, int accounts)
    {
        var result = new List<string?>();
        for (var a = 0; a < accounts; a++)
            result.Add(await harness.Store.Components.GetDocumentAsync(harness.Projector().Collection, $"a{a}") is { } d ? Encoding.UTF8.GetString(d.Data.Span) : null);
        return result;
    }

    [Fact]
    public async Task Given_a_child_killed_with_SIGKILL_while_building_a_new_projector_version_when_a_host_restarts_then_it_resumes_the_shadow_build_and_switches_once()
    {
        const int accounts = 10, deposits = 30;
        await using (var setup = Harness.Sqlite(_database, projectors: [new Ledger()]))
        {
            for (var a = 0; a < accounts; a++)
                await setup.AppendAsync(Harness.Account($"a{a}"), [new Opened($"a{a}", 0m), .. Enumerable.Range(1, deposits).Select(i => new Deposited($"a{a}", i, $"d{i}"))]);
            await setup.Projector().CatchUpAsync();
        }
        var total = accounts * (deposits + 1);
        var shadow = new ProjectionGeneration(2, 1).CheckpointOf(Ledger.ProjectorName);

        using (var child = StartChild("upgrade"))
        {
            await using var probe = Harness.Sqlite(_database);
            await KillWhen(child, async () => await probe.Store.Components.GetCheckpointAsync(shadow) > total / 3, "the child to build a third of version 2");
        }

        var ledger = new Ledger { Version = 2, NotePrefix = "v2:" };
        await using var resumed = Harness.Sqlite(_database, projectors: [ledger]);
        var killedAt = await resumed.Store.Components.GetCheckpointAsync(shadow);
        Assert.InRange(killedAt, total / 3 + 1, CrashChild.HangAfterEvents);
        // Until the switch, readers are served version 1 whole.
        Assert.Equal("d30", (await resumed.ReadModels.GetAsync<AccountSummary>("Ledger", "a9"))!.LastNote);
        using (var running = new CancellationTokenSource())
        {
            var worker = Task.Run(() => resumed.Projector().RunAsync(running.Token));
            await Eventually.Get(() => resumed.Store.Components.GetProjectionAsync(Ledger.ProjectorName).AsTask(), g => g is { Active.Version: 2, Retired: null }, "the switch");
            await running.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => worker);
        }

        // Resumed from the child's checkpoint, not started over; and the build that switched is the child's (generation 1).
        Assert.Equal(total - killedAt, ledger.Calls);
        Assert.Equal(new ProjectionGenerations(new ProjectionGeneration(2, 1)), await resumed.Store.Components.GetProjectionAsync(Ledger.ProjectorName));
        for (var a = 0; a < accounts; a++)
            Assert.Equal(new AccountSummary($"a{a}", deposits * (deposits + 1) / 2, deposits + 1, "v2:d30"), await resumed.ReadModels.GetAsync<AccountSummary>("Ledger", $"a{a}"));
        Assert.Null(await resumed.Store.Components.GetDocumentAsync(Ledger.ProjectorName, "a0"));
    }

    [Fact]
    public async Task Given_a_child_killed_with_SIGKILL_while_a_process_manager_dispatches_when_it_resumes_then_no_command_is_applied_twice_or_lost()
    {
        const int payouts = 60;
        await using (var setup = Harness.Sqlite(_database))
        {
            for (var p = 0; p < payouts; p++)
            {
                Assert.True((await setup.Bus.SendAsync(new Open($"acct{p}", 0m))).IsAccepted);
                Assert.True((await setup.Bus.SendAsync(new Deposit($"acct{p}", 100m))).IsAccepted);
            }
            for (var p = 0; p < payouts; p++)
                await setup.AppendAsync(Harness.Payouts($"p{p}"), new PayoutRequested($"p{p}", $"acct{p}", 10m), new PayoutApproved($"p{p}"));
        }

        using (var child = StartChild("process"))
        {
            await using var probe = Harness.Sqlite(_database);
            await KillWhen(child, async () => (await probe.Store.Events.ReadAllAsync(0, 1000, new EventFilter(new HashSet<string> { "Tests.Withdrawn" }))).Count >= payouts / 4,
                "the child to dispatch a quarter of the withdrawals");
        }

        await using var resumed = Harness.Sqlite(_database, processes: [new PayoutProcess()]);
        var dispatchedByChild = (await resumed.Store.Events.ReadAllAsync(0, 1000, new EventFilter(new HashSet<string> { "Tests.Withdrawn" }))).Count;
        Assert.InRange(dispatchedByChild, payouts / 4, payouts - 1);
        await resumed.Process().CatchUpAsync();
        await resumed.Outbox.DispatchPendingAsync();

        for (var p = 0; p < payouts; p++)
            Assert.Equal(3, await resumed.Store.Events.GetStreamVersionAsync(Harness.Account($"acct{p}")));
        Assert.Equal(payouts, (await resumed.Store.Events.ReadAllAsync(0, 1000, new EventFilter(new HashSet<string> { "Tests.Withdrawn" }))).Count);
        Assert.Empty(await resumed.Store.Outbox.GetPendingAsync(10));
    }
}
