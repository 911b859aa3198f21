using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Concordance.Storage;
using Spectre.Console;

namespace Concordance.Hosting.Commands;

/// <summary><c>dead-letters list | show ID | discard ID</c>, and in the application <c>retry ID | --all</c>.</summary>
internal static class DeadLettersCommand
{
    public static Command Create(CommandConsole console, Func<StoreSource> sources, IDeadLetters? inApp)
    {
        var command = new Command("dead-letters", "Inspect and resolve dead letters: events a projector, process manager or gateway kept failing on.");
        command.Add(CreateList(console, sources()));
        command.Add(CreateShow(console, sources()));
        if (inApp is not null) command.Add(CreateRetry(console, inApp));
        command.Add(CreateDiscard(console, sources()));
        return command;
    }

    private static Command CreateList(CommandConsole console, StoreSource source)
    {
        var component = new Option<string?>("--component") { Description = "Only this component's, e.g. projector:Bank.AccountLedger.", HelpName = "C" };
        var json = new Option<bool>("--json") { Description = "Write one JSON line per dead letter instead of a table." };
        var command = new Command("list", "List the dead letters, oldest first.");
        source.AddOptionsTo(command);
        command.Add(component);
        command.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRun.GuardAsync(console, async () =>
        {
            await using var lease = await source.OpenForReadingAsync(parse, cancellationToken).ConfigureAwait(false);
            var letters = await lease.Store.DeadLetters.ListAsync(parse.GetValue(component), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                foreach (var letter in letters) console.WriteLine(JsonSerializer.Serialize(Line(letter, withData: false), CommandJson.Default.DeadLetterLine));
                return CommandExitCodes.Success;
            }
            if (letters.Count == 0)
            {
                console.WriteLine($"No dead letters in {lease.Description}.");
                return CommandExitCodes.Success;
            }
            var table = console.CreateTable("ID", "COMPONENT", "POSITION", "STREAM", "TYPE", "ATTEMPTS", "FAILED AT", "ERROR");
            foreach (var letter in letters)
            {
                table.AddRow(new[]
                {
                    letter.Id, letter.Component, letter.Position.ToString(CultureInfo.InvariantCulture), letter.Stream.ToString(), letter.EventType,
                    letter.Attempts.ToString(CultureInfo.InvariantCulture), Time(letter.FailedAt), FirstLine(letter.Error, 80),
                }.Select(c => new Text(c)).ToArray());
            }
            console.Out.Write(table);
            return CommandExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateShow(CommandConsole console, StoreSource source)
    {
        var id = new Argument<string>("id") { Description = "The dead letter's id, as 'list' shows it." };
        var json = new Option<bool>("--json") { Description = "Write the dead letter as one JSON line." };
        var command = new Command("show", "Show one dead letter whole: its event, data and error.");
        source.AddOptionsTo(command);
        command.Add(id);
        command.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRun.GuardAsync(console, async () =>
        {
            await using var lease = await source.OpenForReadingAsync(parse, cancellationToken).ConfigureAwait(false);
            var letter = await FindAsync(lease, parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                console.WriteLine(JsonSerializer.Serialize(Line(letter, withData: true), CommandJson.Default.DeadLetterLine));
                return CommandExitCodes.Success;
            }
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            void Row(string name, string value) => grid.AddRow(new Text(name), new Text(value));
            Row("id", letter.Id);
            Row("component", letter.Component);
            if (letter.Generation is { } generation) Row("build", generation);
            Row("position", letter.Position.ToString(CultureInfo.InvariantCulture));
            Row("stream", letter.Stream.ToString());
            Row("event", letter.EventId);
            Row("type", letter.SchemaVersion > 0 ? $"{letter.EventType} v{letter.SchemaVersion}" : letter.EventType);
            Row("attempts", letter.Attempts.ToString(CultureInfo.InvariantCulture));
            Row("failed at", Time(letter.FailedAt));
            Row("data", letter.Data is { } data ? DataText(data.Span) : "(not kept)");
            Row("error", letter.Error);
            console.Out.Write(grid);
            return CommandExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateDiscard(CommandConsole console, StoreSource source)
    {
        var id = new Argument<string>("id") { Description = "The dead letter's id, as 'list' shows it." };
        var command = new Command("discard", "Remove a dead letter without processing its event again.");
        source.AddOptionsTo(command);
        command.Add(id);
        command.SetAction((parse, cancellationToken) => CommandRun.GuardAsync(console, async () =>
        {
            await using var lease = await source.OpenForWritingAsync(parse, create: false, cancellationToken).ConfigureAwait(false);
            var name = parse.GetValue(id)!;
            if (!await lease.Store.DeadLetters.DeleteAsync(name, cancellationToken).ConfigureAwait(false))
                throw new CommandFailure($"No dead letter has id '{name}' in {lease.Description}.");
            console.WriteLine($"Discarded dead letter {name}.");
            return CommandExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateRetry(CommandConsole console, IDeadLetters deadLetters)
    {
        var id = new Argument<string?>("id") { Description = "The dead letter's id, as 'list' shows it.", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Retry every dead letter, oldest first." };
        var command = new Command("retry", "Run a dead letter's event through its component again; on success it is removed. Exit code 1 when one fails again.");
        command.Add(id);
        command.Add(all);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(id) is null) == !result.GetValue(all)) result.AddError("Name one dead letter ID, or --all.");
        });
        command.SetAction((parse, cancellationToken) => CommandRun.GuardAsync(console, async () =>
        {
            var ids = parse.GetValue(all)
                ? (await deadLetters.ListAsync(null, cancellationToken).ConfigureAwait(false)).Select(l => l.Id).ToList()
                : [parse.GetValue(id)!];
            var failed = 0;
            foreach (var name in ids)
            {
                bool succeeded;
                try
                {
                    succeeded = await deadLetters.RetryAsync(name, cancellationToken).ConfigureAwait(false);
                }
                catch (KeyNotFoundException ex)
                {
                    throw new CommandFailure(ex.Message);
                }
                console.WriteLine(succeeded ? $"Retried {name}: processed, removed." : $"Retried {name}: failed again, kept (see 'dead-letters show {name}').");
                if (!succeeded) failed++;
            }
            if (ids.Count == 0) console.WriteLine("No dead letters to retry.");
            return failed == 0 ? CommandExitCodes.Success : CommandExitCodes.Findings;
        }));
        return command;
    }

    private static async Task<DeadLetter> FindAsync(StoreLease lease, string id, CancellationToken cancellationToken) =>
        await lease.Store.DeadLetters.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new CommandFailure($"No dead letter has id '{id}' in {lease.Description}.");

    private static DeadLetterLine Line(DeadLetter letter, bool withData)
    {
        string? data = null, base64 = null;
        if (withData && letter.Data is { } bytes)
        {
            if (TryUtf8(bytes.Span) is { } text) data = text;
            else base64 = Convert.ToBase64String(bytes.Span);
        }
        return new DeadLetterLine(letter.Id, letter.Component, letter.Position, letter.Stream.Category, letter.Stream.Key, letter.EventId, letter.EventType,
            letter.SchemaVersion, letter.Attempts, letter.FailedAt, letter.Error, data, base64)
        {
            Generation = letter.Generation,
        };
    }

    private static string DataText(ReadOnlySpan<byte> data) =>
        TryUtf8(data) ?? $"(not UTF-8 text, {data.Length} bytes, base64) {Convert.ToBase64String(data)}";

    private static string? TryUtf8(ReadOnlySpan<byte> data)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string FirstLine(string text, int max)
    {
        var line = text.AsSpan();
        if (line.IndexOfAny('\r', '\n') is var end and >= 0) line = line[..end];
        return line.Length <= max ? line.ToString() : string.Concat(line[..(max - 1)], "…");
    }
}

/// <summary>A dead letter as a JSON line; <c>data</c> (UTF-8 text) or <c>dataBase64</c> only from <c>show</c>.</summary>
internal sealed record DeadLetterLine(string Id, string Component, long Position, string Category, string Key, string EventId, string EventType,
    int SchemaVersion, int Attempts, DateTimeOffset FailedAt, string Error, string? Data, string? DataBase64)
{
    /// <summary>The projector build that parked it (e.g. <c>v2.1</c>), left out for the initial build and other components.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Generation { get; init; }
}
