using System.Diagnostics;
using System.Text;
using Bank;
using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace Concordance.Hosting.Commands.Tests;

/// <summary><c>concordance projections rebuild</c> in the application reports progress at least once a second on a long rebuild.</summary>
public sealed class RebuildProgressTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const int Accounts = 2_000;
    private const int DepositsPerAccount = 30;
    private const int Events = Accounts * (1 + DepositsPerAccount);

    /// <summary>Accounts with deposits, written straight to the log (as the bank's aggregate would write them); the ledger keeps a line per deposit.</summary>
    private async Task<string> WriteLedgerHistoryAsync()
    {
        var path = _folder.File("ledger.db");
        await using var store = SqliteStore.Open(new SqliteStoreOptions { ConnectionString = $"Data Source={path}", Synchronous = SqliteSynchronous.Off });
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        NewEvent Event(string id, string type, string json) => new(id, type, 1, Encoding.UTF8.GetBytes(json), time, "/tests", null, null);
        for (var first = 0; first < Accounts; first += 100)
        {
            var requests = Enumerable.Range(first, 100).Select(a =>
            {
                var key = $"ACC{a}";
                var events = new List<NewEvent> { Event($"{key}-0", "Bank.AccountCreated", $$"""{"accountNumber":"{{key}}","initialBalance":0,"minBalance":0,"customerId":"C1"}""") };
                for (var d = 1; d <= DepositsPerAccount; d++)
                    events.Add(Event($"{key}-{d}", "Bank.FundsDeposited", $$"""{"accountNumber":"{{key}}","amount":1,"note":null,"customerId":"C1"}"""));
                return new AppendRequest(new StreamId("Bank.BankAccount", key), ExpectedVersion.NoStream, events);
            }).ToList();
            await store.AppendAsync(requests);
        }
        return path;
    }

    [Fact]
    public async Task Given_a_long_log_when_the_app_rebuilds_its_ledger_with_redirected_output_then_a_progress_line_comes_at_least_once_a_second()
    {
        var path = await WriteLedgerHistoryAsync();
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var host = BankStory.BuildHost(o => o.UseSqlite($"Data Source={path}"), http);
        var output = new TimedLines();
        var errors = new StringWriter();
        var started = Stopwatch.GetTimestamp();

        var exit = await host.RunConcordanceCommandsAsync(["concordance", "projections", "rebuild", "AccountLedger"], new CommandConsole(output, errors, outputIsTerminal: false));

        var ended = Stopwatch.GetElapsedTime(started);
        SqliteConnection.ClearAllPools();
        Assert.True(exit == 0, errors.ToString());
        var progress = output.Lines.Where(l => l.Text.StartsWith("rebuilding AccountLedger: position ", StringComparison.Ordinal)).ToList();
        Assert.True(progress.Count >= 2, $"{progress.Count} progress line(s) in {ended}: {string.Join(" | ", output.Lines.Select(l => l.Text))}");
        // From the first report (the rebuild under way) to the closing line: never a second without a report.
        var rebuilt = output.Lines.Single(l => l.Text.StartsWith("Rebuilt AccountLedger:", StringComparison.Ordinal)).At;
        var times = progress.Select(l => l.At).Append(rebuilt).ToList();
        var longest = times.Zip(times.Skip(1), (a, b) => b - a).Max();
        Assert.True(longest <= TimeSpan.FromSeconds(1), $"the longest gap between progress reports was {longest} over {ended} ({progress.Count} reports)");
        Assert.Contains(progress, l => l.Text.Contains("events/s", StringComparison.Ordinal) && l.Text.Contains(" left", StringComparison.Ordinal));
        var total = Events.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"Rebuilt AccountLedger: replayed up to position {total}", output.Lines[^1].Text);
    }

    /// <summary>Records each line written and when, from the writer's creation.</summary>
    private sealed class TimedLines : TextWriter
    {
        private readonly long _start = Stopwatch.GetTimestamp();
        private readonly StringBuilder _pending = new();

        public List<(TimeSpan At, string Text)> Lines { get; } = [];

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                lock (Lines) Lines.Add((Stopwatch.GetElapsedTime(_start), _pending.ToString().TrimEnd('\r')));
                _pending.Clear();
            }
            else
            {
                _pending.Append(value);
            }
        }
    }
}
