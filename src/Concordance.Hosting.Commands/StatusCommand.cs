using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Concordance.Hosting.Commands;

/// <summary><c>status</c>: each projector, process manager and gateway with its checkpoint, the head, lag, dead letters and lease holder.</summary>
internal static class StatusCommand
{
    public static Command Create(CommandConsole console, StoreSource source)
    {
        var json = new Option<bool>("--json") { Description = "Write one JSON line per component instead of a table." };
        var command = new Command("status", "Show each component's checkpoint, the log's head, its lag, its dead letters and (NATS) the host holding its lease.");
        source.AddOptionsTo(command);
        command.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRun.GuardAsync(console, async () =>
        {
            await using var lease = await source.OpenForReadingAsync(parse, cancellationToken).ConfigureAwait(false);
            var rows = await source.ReadStatusAsync(lease.Store, cancellationToken).ConfigureAwait(false);
            var head = await lease.Store.Events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                foreach (var row in rows)
                {
                    console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new StatusLine(row.Component, row.Kind, row.Name, row.Checkpoint, row.Head, row.Lag, row.DeadLetters, row.LeaseHolder),
                        CommandJson.Default.StatusLine));
                }
                return CommandExitCodes.Success;
            }
            if (rows.Count == 0)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"No component has a checkpoint in {lease.Description} yet; the log's head is at position {head}."));
                return CommandExitCodes.Success;
            }
            var leases = lease.Store.Leases is not null;
            var table = leases
                ? console.CreateTable("COMPONENT", "CHECKPOINT", "HEAD", "LAG", "DEAD LETTERS", "LEASE HOLDER")
                : console.CreateTable("COMPONENT", "CHECKPOINT", "HEAD", "LAG", "DEAD LETTERS");
            foreach (var column in table.Columns.Skip(1).Take(4)) column.RightAligned();
            foreach (var row in rows)
            {
                var cells = new List<string>
                {
                    row.Component,
                    row.Checkpoint.ToString(CultureInfo.InvariantCulture),
                    row.Head.ToString(CultureInfo.InvariantCulture),
                    row.Lag.ToString(CultureInfo.InvariantCulture),
                    row.DeadLetters.ToString(CultureInfo.InvariantCulture),
                };
                if (leases) cells.Add(row.LeaseHolder ?? "-");
                table.AddRow(cells.Select(c => new Text(c)).ToArray());
            }
            console.Out.Write(table);
            return CommandExitCodes.Success;
        }));
        return command;
    }
}

/// <summary>A status row as a JSON line.</summary>
internal sealed record StatusLine(string Component, string Kind, string Name, long Checkpoint, long Head, long Lag, int DeadLetters, string? LeaseHolder);
