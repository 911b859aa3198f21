using System.Globalization;
using System.Text;
using Concordance.Storage;

namespace Concordance.Hosting.Commands;

/// <summary>
/// Loads JSON lines written by <c>events export</c> into an empty store, streaming: events are appended in batches as
/// they are read, each stream's events at the versions the export recorded (so a reordered or partial file fails
/// instead of loading a different history).
/// </summary>
internal static class EventImport
{
    private const int BatchEvents = 1000;

    public static async Task<long> RunAsync(StoreLease lease, FileInfo file, CommandConsole console, CancellationToken cancellationToken)
    {
        var events = lease.Store.Events;
        var head = await events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        if (head != 0)
            throw new CommandFailure($"The store {lease.Description} is not empty (its log ends at position {head}); 'events import' loads into an empty store only.");

        var total = file.Length;
        await using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
        var count = 0L;
        async Task<long> Import()
        {
            var batch = new List<AppendRequest>();
            var lines = new List<long>();
            var pending = 0;
            var lineNumber = 0L;
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                var imported = EventJsonLines.Read(Encoding.UTF8.GetBytes(line), lineNumber);
                if (batch.Count > 0 && batch[^1] is { } last && last.Stream == imported.Stream && last.ExpectedVersion + last.Events.Count + 1 == imported.Version)
                {
                    ((List<NewEvent>)last.Events).Add(imported.Event);
                }
                else
                {
                    batch.Add(new AppendRequest(imported.Stream, imported.Version - 1, new List<NewEvent> { imported.Event }));
                    lines.Add(lineNumber);
                }
                if (++pending >= BatchEvents)
                {
                    count += await AppendAsync(events, batch, lines, cancellationToken).ConfigureAwait(false);
                    pending = 0;
                }
            }
            count += await AppendAsync(events, batch, lines, cancellationToken).ConfigureAwait(false);
            return count;
        }
        if (!console.IsTerminal) return await Import().ConfigureAwait(false);
        long result = 0;
        await ProgressDisplay.RunAsync(console, "importing", () => total, () => stream.Position, async () => result = await Import().ConfigureAwait(false)).ConfigureAwait(false);
        return result;
    }

    private static async Task<long> AppendAsync(IEventStore events, List<AppendRequest> batch, List<long> lines, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return 0;
        var results = await events.AppendAsync(batch, cancellationToken).ConfigureAwait(false);
        var appended = 0L;
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].Status != AppendStatus.Appended)
            {
                var request = batch[i];
                throw new CommandFailure(string.Create(CultureInfo.InvariantCulture,
                    $"line {lines[i]}: stream {request.Stream} is at version {results[i].StreamVersion}, but the file's next event there is version {request.ExpectedVersion + 1}; the import stopped (the events before it are in the store)."));
            }
            appended += results[i].Events.Count;
        }
        batch.Clear();
        lines.Clear();
        return appended;
    }
}
