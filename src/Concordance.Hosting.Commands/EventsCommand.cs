using System.CommandLine;
using System.Globalization;
using Concordance.Storage;

namespace Concordance.Hosting.Commands;

/// <summary><c>events</c>: list or follow the log; <c>events export</c> and <c>events import</c> move it as JSON lines.</summary>
internal static class EventsCommand
{
    /// <summary>Events read per request: large enough that a request's cost is lost in its rows, small enough to stream.</summary>
    internal const int PageSize = 4096;

    public static Command Create(CommandConsole console, Func<StoreSource> sources)
    {
        var source = sources();
        var stream = new Option<string?>("--stream") { Description = "Only the events of this stream (Category/key, e.g. Bank.BankAccount/ABC123) or of every stream of this category.", HelpName = "S" };
        var from = new Option<long>("--from") { Description = "Start at this global position (inclusive). Default: the first event.", HelpName = "POS", DefaultValueFactory = _ => 1 };
        var follow = new Option<bool>("--follow") { Description = "Keep waiting for new events after the last one (stop with Ctrl+C)." };
        var json = new Option<bool>("--json") { Description = "Write JSON lines (one event per line, its data included) instead of a table." };
        var command = new Command("events", "List or follow the event log: position, stream, version, type and time of each event, or JSON lines.");
        source.AddOptionsTo(command);
        command.Add(stream);
        command.Add(from);
        command.Add(follow);
        command.Add(json);
        from.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long>() < 1) result.AddError("--from must be a position of 1 or more.");
        });
        command.SetAction((parse, cancellationToken) => CommandRun.GuardAsync(console, async () =>
        {
            await using var lease = await source.OpenForReadingAsync(parse, cancellationToken, parse.GetValue(follow)).ConfigureAwait(false);
            var selection = new EventSelection(parse.GetValue(stream), parse.GetValue(from));
            var sink = parse.GetValue(json) ? (IEventSink)new JsonEventSink(console) : new TableEventSink(console);
            try
            {
                await StreamAsync(lease.Store.Events, selection, sink, parse.GetValue(follow), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (parse.GetValue(follow) && cancellationToken.IsCancellationRequested)
            {
                // Following ends with Ctrl+C: a normal end.
            }
            finally
            {
                sink.Flush();
            }
            return CommandExitCodes.Success;
        }));
        command.Add(CreateExport(console, sources()));
        command.Add(CreateImport(console, sources()));
        return command;
    }

    /// <summary>Reads the log page by page from the selection's start and hands each selected event to <paramref name="sink"/>; with <paramref name="follow"/>, waits for more at the end.</summary>
    /// <returns>How many events were written.</returns>
    internal static async Task<long> StreamAsync(IEventStore events, EventSelection selection, IEventSink sink, bool follow, CancellationToken cancellationToken)
    {
        var after = selection.From - 1;
        var written = 0L;
        while (true)
        {
            var page = await events.ReadAllAsync(after, PageSize, null, cancellationToken).ConfigureAwait(false);
            foreach (var stored in page)
            {
                if (!selection.Matches(stored.Stream)) continue;
                sink.Write(stored);
                written++;
            }
            if (page.Count > 0) after = page[^1].Position;
            if (page.Count == PageSize) continue;
            if (!follow) return written;
            sink.Flush();
            await events.WaitForEventsAsync(after, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Command CreateExport(CommandConsole console, StoreSource source)
    {
        var output = new Option<FileInfo?>("--out") { Description = "The file to write (replaced if it exists). Default: standard output.", HelpName = "FILE" };
        var command = new Command("export", "Write the whole log as JSON lines, which 'events import' loads into an empty store.");
        source.AddOptionsTo(command);
        command.Add(output);
        command.SetAction((parse, cancellationToken) => CommandRun.GuardAsync(console, async () =>
        {
            await using var lease = await source.OpenForReadingAsync(parse, cancellationToken).ConfigureAwait(false);
            var file = parse.GetValue(output);
            if (file is null)
            {
                var sink = new JsonEventSink(console);
                try
                {
                    await StreamAsync(lease.Store.Events, EventSelection.All, sink, follow: false, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    sink.Flush();
                }
                return CommandExitCodes.Success;
            }
            long count;
            await using (var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var sink = new JsonEventSink(stream);
                var head = await lease.Store.Events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
                var progress = new ProgressSink(sink, console, "exporting", head);
                count = await progress.RunAsync(() => StreamAsync(lease.Store.Events, EventSelection.All, progress, follow: false, cancellationToken)).ConfigureAwait(false);
                sink.Flush();
            }
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Exported {count:N0} event(s) from {lease.Description} to {file.FullName}."));
            return CommandExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateImport(CommandConsole console, StoreSource source)
    {
        var input = new Argument<FileInfo>("file") { Description = "JSON lines written by 'events export'." };
        var command = new Command("import", "Load JSON lines written by 'events export' into an empty store (a new SQLite file is created).");
        source.AddOptionsTo(command);
        command.Add(input);
        command.SetAction((parse, cancellationToken) => CommandRun.GuardAsync(console, async () =>
        {
            var file = parse.GetValue(input)!;
            if (!file.Exists) throw new CommandFailure($"There is no file '{file.FullName}'.");
            await using var lease = await source.OpenForWritingAsync(parse, create: true, cancellationToken).ConfigureAwait(false);
            var count = await EventImport.RunAsync(lease, file, console, cancellationToken).ConfigureAwait(false);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Imported {count:N0} event(s) from {file.FullName} into {lease.Description}."));
            return CommandExitCodes.Success;
        }));
        return command;
    }
}

/// <summary>Which events <c>events</c> shows: from a position on, of one stream or category or all.</summary>
internal sealed record EventSelection(string? Stream, long From)
{
    public static EventSelection All { get; } = new(null, 1);

    public bool Matches(StreamId stream)
    {
        if (Stream is null) return true;
        if (Stream.Length == stream.Category.Length) return Stream == stream.Category;
        return Stream.Length == stream.Category.Length + 1 + stream.Key.Length
            && Stream.StartsWith(stream.Category, StringComparison.Ordinal)
            && Stream[stream.Category.Length] == '/'
            && Stream.EndsWith(stream.Key, StringComparison.Ordinal);
    }
}
