using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Concordance.Hosting.Commands.Tests;

/// <summary><c>concordance events --follow</c> as a process: it shows events committed after it started, and Ctrl+C ends it normally.</summary>
public sealed class FollowTests(BankStore bank) : IClassFixture<BankStore>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Given_the_tool_following_the_bank_store_when_the_application_appends_an_event_then_it_shows_up_and_ctrl_c_ends_with_exit_code_0()
    {
        var db = bank.CopyTo(_folder);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var argument in new[] { Processes.Tool, "events", "--db", db, "--follow", "--json" }) start.ArgumentList.Add(argument);
        using var tool = Process.Start(start)!;
        var lines = new List<string>();
        tool.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) lock (lines) lines.Add(line); };
        tool.BeginOutputReadLine();
        var error = tool.StandardError.ReadToEndAsync();
        try
        {
            await WaitForAsync(() => lines.Count == BankStore.StoryEvents.Length, "the story's events");

            await using (var store = SqliteStore.Open($"Data Source={db}"))
            {
                await store.AppendAsync([new AppendRequest(new StreamId("Bank.BankAccount", "ABC123"), 10,
                    [new NewEvent("late-1", "Bank.FundsDeposited", 1, """{"accountNumber":"ABC123","amount":7,"note":"late","customerId":"CUSTBOB"}"""u8.ToArray(), DateTimeOffset.UtcNow, "/tests", null, null)])]);
            }
            SqliteConnection.ClearAllPools();
            await WaitForAsync(() => lines.Count == BankStore.StoryEvents.Length + 1, "the late event");

            using (var interrupt = Process.Start("kill", ["-INT", tool.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await interrupt.WaitForExitAsync();
            Assert.True(tool.WaitForExit(TimeSpan.FromSeconds(20)), "the tool did not stop on Ctrl+C");
        }
        finally
        {
            if (!tool.HasExited) tool.Kill(entireProcessTree: true);
        }
        var late = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal(("late-1", 11L, 13L), (late.GetProperty("id").GetString(), late.GetProperty("version").GetInt64(), late.GetProperty("position").GetInt64()));
        Assert.True(tool.ExitCode == 0, $"exit {tool.ExitCode}: {await error}");
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The tool never showed {what}.");
    }
}
