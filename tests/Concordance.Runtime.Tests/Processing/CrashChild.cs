using Concordance.Runtime.Tests.Commands;
using Concordance.Storage.Sqlite;

namespace Concordance.Runtime.Tests.Processing;

/// <summary>
/// The test assembly's entry point. Run by the crash tests as a child process (<c>dotnet exec</c> this assembly) that
/// works on a SQLite file until it is killed with SIGKILL; without arguments it does nothing (test runners ignore it).
/// </summary>
public static class CrashChild
{
    /// <summary>How many events the projecting child handles before it hangs: more than a third of the crash test's log, less than all of it.</summary>
    public const int HangAfterEvents = 200;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2) return 0;
        var (mode, connectionString) = (args[0], args[1]);
        var store = SqliteStore.Open(new SqliteStoreOptions { ConnectionString = connectionString, Synchronous = SqliteSynchronous.Full });
        var ledger = mode == "upgrade" ? new Ledger { Version = 2, NotePrefix = "v2:" } : new Ledger();
        // Slow enough that the parent can kill it mid-stream, and once HangAfterEvents events are projected it hangs
        // inside a batch, before that batch commits: the kill lands mid-projection however fast or slow the machine is
        // (the parent kills once a third of the log is projected). The sleeps are the test's, not the projector's logic.
        var projected = 0;
        ledger.BeforeProject = _ =>
        {
            if (Interlocked.Increment(ref projected) > HangAfterEvents) Thread.Sleep(Timeout.Infinite);
            Thread.Sleep(1);
        };
        await using var harness = new Harness(store,
            projectors: mode is "project" or "upgrade" ? [ledger] : [],
            processes: mode == "process" ? [new PayoutProcess()] : [],
            configure: o =>
            {
                o.BatchSize = 7;
                o.CatchUpBatchSize = 21;
            },
            wrapBus: bus => new SlowBus(bus));
        Console.WriteLine("ready");
        if (mode is "project" or "upgrade")
        {
            await harness.Projector().RunAsync(CancellationToken.None);
        }
        else
        {
            var dispatcher = Task.Run(async () =>
            {
                while (true)
                {
                    await harness.Outbox.DispatchPendingAsync();
                    await Task.Delay(1);
                }
            });
            await harness.Process().RunAsync(CancellationToken.None);
        }
        return 0;
    }

    /// <summary>
    /// Takes a few milliseconds per command, so the parent can kill the child between two dispatches; and once
    /// <see cref="HangAfter"/> commands are applied it hangs after applying, before the outbox hears of it, so the
    /// kill lands mid-dispatch however fast or slow the machine is (the parent kills once a quarter is applied).
    /// </summary>
    private sealed class SlowBus(ICommandBus inner) : ICommandBus
    {
        private const int HangAfter = 30;
        private int _sent;

        public Task<CommandResult> SendAsync(ICommand command, CancellationToken cancellationToken = default) => SendAsync(command, new CommandMetadata(), cancellationToken);

        public async Task<CommandResult> SendAsync(ICommand command, CommandMetadata metadata, CancellationToken cancellationToken = default)
        {
            await Task.Delay(5, cancellationToken);
            var result = await inner.SendAsync(command, metadata, cancellationToken);
            if (Interlocked.Increment(ref _sent) >= HangAfter) await Task.Delay(Timeout.Infinite, cancellationToken);
            return result;
        }
    }
}
