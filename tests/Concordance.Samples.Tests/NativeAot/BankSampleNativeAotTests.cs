using System.Text.Json;
using System.Text.RegularExpressions;
using Bank;
using Concordance.Nats.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Concordance.Samples.Tests.NativeAot;

/// <summary>
/// Runs alone, after the assembly's parallel tests: the NativeAOT publish keeps both cores busy for a minute or more,
/// which would only slow the timing-sensitive tests beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeAotCollection
{
    public const string Name = "NativeAOT publish";
}

/// <summary>
/// The bank sample published with NativeAOT (<c>dotnet publish samples/BankAccount -c Release -p:PublishAot=true</c>):
/// the publish reports no trimming or AOT analysis warning, and the native executable tells the whole story on a SQLite
/// file and on NATS JetStream, line for line as the JIT-compiled sample tells it.
/// </summary>
[Collection(NativeAotCollection.Name)]
public sealed partial class BankSampleNativeAotTests(PublishedBankSample sample, NatsServerFixture nats, ITestOutputHelper log)
    : IClassFixture<PublishedBankSample>, IClassFixture<NatsServerFixture>
{
    [Fact]
    public void Given_the_sample_when_published_with_PublishAot_then_ILC_compiles_it_to_one_native_executable_without_trim_or_AOT_warnings()
    {
        log.WriteLine($"dotnet publish -p:PublishAot=true took {sample.PublishTime.TotalSeconds:F0} s");

        Assert.True(sample.PublishExitCode == 0, $"dotnet publish exited with {sample.PublishExitCode}:{Environment.NewLine}{sample.PublishOutput}");
        // The AOT compiler ran (it does the whole-program trim and AOT analysis) and wrote a native executable, no IL.
        Assert.Contains("Generating native code", sample.PublishOutput);
        Assert.True(File.Exists(sample.Executable), $"no {sample.Executable}:{Environment.NewLine}{sample.PublishOutput}");
        var magic = new byte[4];
        using (var file = File.OpenRead(sample.Executable)) file.ReadExactly(magic);
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, magic);
        Assert.False(File.Exists(Path.Combine(sample.PublishDirectory, "BankAccount.dll")));
        Assert.Empty(sample.AnalysisWarnings);
    }

    [Fact]
    public async Task Given_the_native_executable_when_it_runs_on_a_sqlite_file_then_it_exits_0_and_tells_the_story_line_for_line_as_the_JIT_sample()
    {
        Assert.True(File.Exists(sample.Executable), $"the publish failed:{Environment.NewLine}{sample.PublishOutput}");
        var dbPath = Path.Combine(sample.TempDirectory, $"aot-{Guid.NewGuid():N}.db");
        var jit = new StringWriter();
        Assert.True((await BankStory.RunAsync(Path.Combine(sample.TempDirectory, $"jit-{Guid.NewGuid():N}.db"), jit)).Succeeded, jit.ToString());

        var (exitCode, output, errors) = await sample.RunSampleAsync("--db", dbPath);

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{output}{Environment.NewLine}{errors}");
        Assert.StartsWith($"Event store: {dbPath} (SQLite)", output);
        Assert.Contains("Ledger of ABC123: balance 3500, available 3500, no holds", output);
        Assert.Contains("The story reached its expected end: balance 3500, both wire transfers settled, nothing applied twice.", output);
        Assert.Equal(StoryLines(jit.ToString()), StoryLines(output));
        Assert.True(File.Exists(dbPath));
    }

    [Fact]
    public async Task Given_a_sqlite_file_the_JIT_sample_wrote_when_the_native_executable_runs_the_story_on_it_then_it_reads_the_stored_events_and_read_models_and_nothing_applies_twice()
    {
        Assert.True(File.Exists(sample.Executable), $"the publish failed:{Environment.NewLine}{sample.PublishOutput}");
        var dbPath = Path.Combine(sample.TempDirectory, $"shared-{Guid.NewGuid():N}.db");
        var jit = new StringWriter();
        Assert.True((await BankStory.RunAsync(dbPath, jit)).Succeeded, jit.ToString());

        var (exitCode, output, errors) = await sample.RunSampleAsync("--db", dbPath);

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{output}{Environment.NewLine}{errors}");
        Assert.Contains("create ABC123 (initial 4000, min 100, CUSTBOB) accepted: AccountCreated", output);
        // A rerun prints the finished ledger at every step; the JIT's own rerun on the file, after the native one, prints
        // the same: the same twelve events, ledger and outcomes, every command answered from its first outcome.
        var jitAgain = new StringWriter();
        Assert.True((await BankStory.RunAsync(dbPath, jitAgain)).Succeeded, jitAgain.ToString());
        Assert.Equal(StoryLines(jitAgain.ToString()), StoryLines(output));
    }

    [Fact]
    public async Task Given_the_story_stored_by_the_native_executable_when_its_in_app_status_command_runs_then_every_component_has_caught_up()
    {
        Assert.True(File.Exists(sample.Executable), $"the publish failed:{Environment.NewLine}{sample.PublishOutput}");
        var dbPath = Path.Combine(sample.TempDirectory, $"status-{Guid.NewGuid():N}.db");
        var story = await sample.RunSampleAsync("--db", dbPath);
        Assert.True(story.ExitCode == 0, story.Output + story.Errors);

        var (exitCode, output, errors) = await sample.RunSampleAsync("--db", dbPath, "concordance", "status", "--json");

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{output}{Environment.NewLine}{errors}");
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var ledger = Assert.Single(rows, r => r.GetProperty("component").GetString() == "projector:Bank.AccountLedger");
        Assert.Equal(12, ledger.GetProperty("head").GetInt64());
        Assert.Equal(0, ledger.GetProperty("lag").GetInt64());
        Assert.Contains(rows, r => r.GetProperty("component").GetString() == "process:Bank.InterbankTransfer" && r.GetProperty("lag").GetInt64() == 0);
    }

    [Fact]
    public async Task Given_the_native_executable_when_it_runs_on_nats_jetstream_then_it_exits_0_and_tells_the_same_story_as_on_sqlite()
    {
        Assert.True(File.Exists(sample.Executable), $"the publish failed:{Environment.NewLine}{sample.PublishOutput}");
        var jit = new StringWriter();
        Assert.True((await BankStory.RunAsync(Path.Combine(sample.TempDirectory, $"jit-{Guid.NewGuid():N}.db"), jit)).Succeeded, jit.ToString());
        var prefix = "aot" + Guid.NewGuid().ToString("N")[..12];

        var (exitCode, output, errors) = await sample.RunSampleAsync("--nats", nats.Url, "--prefix", prefix);

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{output}{Environment.NewLine}{errors}");
        Assert.StartsWith($"Event store: {nats.Url} (NATS JetStream, prefix {prefix})", output);
        Assert.Contains("Ledger of ABC123: balance 3500, available 3500, no holds", output);
        // The event log's positions are the store's own (JetStream sequences, not 1, 2, 3): compared without them.
        Assert.Equal(StoryLines(jit.ToString()).Select(WithoutPosition), StoryLines(output).Select(WithoutPosition));
    }

    /// <summary>The story as printed, without the lines naming where it runs (store, network port) or how to rerun it.</summary>
    private static string[] StoryLines(string output) =>
        [.. output.ReplaceLineEndings("\n").Split('\n')
            .Where(line => !line.StartsWith("Event store: ", StringComparison.Ordinal)
                && !line.StartsWith("Wire network: ", StringComparison.Ordinal)
                && !line.StartsWith('(')
                && line.Length > 0)];

    /// <summary>An event-log row or its header without the position column, and with single spaces.</summary>
    private static string WithoutPosition(string line) => Whitespace().Replace(PositionColumn().Replace(line, ""), " ").Trim();

    [GeneratedRegex(@"^\s*(\d+|pos|-+)\s+(?=Bank\.|stream\b|-)")]
    private static partial Regex PositionColumn();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
