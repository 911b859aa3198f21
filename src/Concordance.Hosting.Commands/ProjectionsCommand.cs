using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace Concordance.Hosting.Commands;

/// <summary><c>projections rebuild NAME</c> (in the application): replay the log into a projector from position 0, with a progress bar.</summary>
internal static class ProjectionsCommand
{
    /// <summary>How often a progress line is written when the output is redirected (a terminal shows a bar instead).</summary>
    internal static readonly TimeSpan LineInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create(CommandConsole console, IProjectionRebuilder rebuilder)
    {
        var name = new Argument<string>("name") { Description = "The projector: its schema name (Bank.AccountLedger) or, when unambiguous, its short name (AccountLedger)." };
        var rebuild = new Command("rebuild", "Delete a projector's read models and checkpoint and replay the whole log into it, showing progress.");
        rebuild.Add(name);
        rebuild.SetAction((parse, cancellationToken) => CommandRun.GuardAsync(console, async () =>
        {
            var projector = parse.GetValue(name)!;
            if (!IsRegistered(rebuilder, projector))
            {
                var known = rebuilder.Projectors.Count == 0 ? "none is registered" : "registered: " + string.Join(", ", rebuilder.Projectors);
                throw new CommandFailure($"No projector is named '{projector}' ({known}).");
            }
            var latest = new LatestProgress();
            var started = Stopwatch.GetTimestamp();
            Task Rebuild() => rebuilder.RebuildAsync(projector, latest, cancellationToken);
            if (console.IsTerminal)
            {
                await ProgressDisplay.RunAsync(console, $"rebuilding {projector}", () => latest.Value?.Head ?? 1, () => latest.Value?.Position ?? 0, async () =>
                {
                    await Rebuild().ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
            else
            {
                // On a thread of its own: SQLite's async calls complete synchronously, so the rebuild would otherwise run to
                // its end before the first line.
                await WriteLinesWhileAsync(console, projector, latest, started, Task.Run(Rebuild, cancellationToken)).ConfigureAwait(false);
            }
            var done = latest.Value;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Rebuilt {projector}: replayed up to position {done?.Position ?? 0:N0} in {ProgressDisplay.Since(started).TotalSeconds:N1} s."));
            return CommandExitCodes.Success;
        }));
        var command = new Command("projections", "Manage the application's projections.");
        command.Add(rebuild);
        return command;
    }

    private static bool IsRegistered(IProjectionRebuilder rebuilder, string name) =>
        rebuilder.Projectors.Contains(name, StringComparer.Ordinal)
        || rebuilder.Projectors.Count(p => p[(p.LastIndexOf('.') + 1)..] == name) == 1;

    /// <summary>Writes a plain progress line every <see cref="LineInterval"/> until <paramref name="work"/> ends.</summary>
    /// <remarks>
    /// From a thread of its own, not the thread pool: the rebuild keeps pool threads busy, and a busy machine's pool is
    /// slow to add one for a timer's callback, which would let the lines fall behind.
    /// </remarks>
    private static async Task WriteLinesWhileAsync(CommandConsole console, string projector, LatestProgress latest, long started, Task work)
    {
        var writer = new Thread(() =>
        {
            while (!((IAsyncResult)work).AsyncWaitHandle.WaitOne(LineInterval))
            {
                if (latest.Value is { } now)
                    console.WriteLine(ProgressDisplay.Line($"rebuilding {projector}", now.Position, now.Head, now.Position, ProgressDisplay.Since(started)));
            }
        })
        {
            IsBackground = true,
            Name = "concordance rebuild progress",
        };
        writer.Start();
        try
        {
            await work.ConfigureAwait(false);
        }
        finally
        {
            writer.Join();
        }
    }

    /// <summary>Keeps the latest report, which the display reads on its own schedule (reports come per batch, from the rebuild's thread).</summary>
    private sealed class LatestProgress : IProgress<ProjectionRebuildProgress>
    {
        private ProjectionRebuildProgress? _value;

        public ProjectionRebuildProgress? Value => Volatile.Read(ref _value);

        public void Report(ProjectionRebuildProgress value) => Volatile.Write(ref _value, value);
    }
}
