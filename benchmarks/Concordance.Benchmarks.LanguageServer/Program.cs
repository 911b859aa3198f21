using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Concordance.Benchmarks.Generators;
using Concordance.Benchmarks.LanguageServer;
using Concordance.Schema;

// Latency of the language server as an editor sees it: the real `concordance lsp` process, the 1,000-message schema
// open, (a) a one-character edit until its diagnostics arrive, (b) a completion request until its answer. The same two
// on the bank sample's small schema, in the same run, are the baseline the ratios are against; the library's own
// parse + check of the large schema, in this process, shows what the server adds around it.
var rounds = args.Length > 0 ? int.Parse(args[0]) : 100;
var root = FindRepositoryRoot();
var configuration = typeof(ServerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
var tool = Path.Combine(root, "src", "Concordance.Tool", "bin", configuration, "net10.0", "concordance.dll");
if (!File.Exists(tool)) throw new FileNotFoundException("Build the tool first: dotnet build -c Release src/Concordance.Tool", tool);

var large = LargeSchema.Create(20, 25);
var small = File.ReadAllText(Path.Combine(root, "samples", "BankAccount", "Bank.concordance"));
Console.WriteLine($"schema: {large.Split('\n').Length:N0} lines, {large.Length:N0} chars, 1,000 messages; {rounds} rounds each; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

using var server = new ServerProcess(tool);
server.Request("initialize", new JsonObject { ["processId"] = Environment.ProcessId, ["rootUri"] = null, ["capabilities"] = new JsonObject() });
server.Notify("initialized", new JsonObject());
var baseline = new Measured("bank sample (baseline)", server, "file:///bench/small/Bank.concordance", small, "CreateAccount { accountNumber", "handle CreateAccount");
var measured = new Measured("1,000-message schema", server, "file:///bench/large/Large.concordance", large, "Do10x12 { id10", "handle Do10x12");
var (rssOpen, _) = server.Memory();

// Warm-up (JIT tiers, caches), then the rounds interleaved so both sides see the same machine.
for (var i = 0; i < 30; i++) { baseline.Round(); measured.Round(); }
baseline.Clear();
measured.Clear();
var cpuBefore = server.CpuTime();
var wall = Stopwatch.StartNew();
for (var i = 0; i < rounds; i++) { baseline.Round(); measured.Round(); }
var serverCpuPerRound = (server.CpuTime() - cpuBefore).TotalMilliseconds / rounds;
var wallPerRound = wall.Elapsed.TotalMilliseconds / rounds;
var (rss, peak) = server.Memory();

var library = new List<double>();
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
for (var i = 0; i < Math.Min(rounds, 50); i++)
{
    var watch = Stopwatch.StartNew();
    SchemaDocument.Analyze(large, "/bench/Large.concordance");
    library.Add(watch.Elapsed.TotalMilliseconds);
}
var libraryCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / library.Count;

Console.WriteLine();
Console.WriteLine("| measure | median | p95 | ratio of medians to the baseline | target |");
Console.WriteLine("| --- | ---: | ---: | ---: | --- |");
Row("diagnostics after a one-character edit, bank sample (baseline)", baseline.Diagnostics, baseline.Diagnostics, "");
Row("diagnostics after a one-character edit, 1,000 messages", measured.Diagnostics, baseline.Diagnostics, "median ≤ 50 ms, p95 ≤ 150 ms");
Row("completion after `handle `, bank sample (baseline)", baseline.Completion, baseline.Completion, "");
Row("completion after `handle `, 1,000 messages (500 items)", measured.Completion, baseline.Completion, "median ≤ 50 ms, p95 ≤ 150 ms");
Row("library parse + check of the 1,000 messages, in process", library, library, "");
Console.WriteLine();
Console.WriteLine($"CPU time of the server per round (both documents: edit, diagnostics, completion): {serverCpuPerRound:F1} ms (wall {wallPerRound:F1} ms); the library's parse + check of the large schema, in process: {libraryCpu:F1} ms");
Console.WriteLine($"server memory (RSS) with the 1,000-message schema open: {rssOpen:F0} MB after opening, {rss:F0} MB after {(rounds + 30) * 2} edits and as many completions (peak {peak:F0} MB)");

void Row(string name, List<double> values, List<double> reference, string target) =>
    Console.WriteLine($"| {name} | {Percentile(values, 50):F1} ms | {Percentile(values, 95):F1} ms | {Percentile(values, 50) / Percentile(reference, 50):F2} | {target} |");

static double Percentile(List<double> values, int p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Concordance.sln"))) return dir.FullName;
    }
    throw new InvalidOperationException("Concordance.sln not found");
}

/// <summary>One open document and its two measures: edit → diagnostics, and completion.</summary>
internal sealed class Measured
{
    private readonly ServerProcess _server;
    private readonly string _uri;
    private readonly JsonObject _editAt;
    private readonly JsonObject _completeAt;
    private int _version = 1;
    private bool _inserted;

    public Measured(string name, ServerProcess server, string uri, string text, string editAfter, string completeAfter)
    {
        Name = name;
        _server = server;
        _uri = uri;
        _editAt = Position(text, editAfter);
        _completeAt = Position(text, completeAfter, "handle ".Length);
        server.Notify("textDocument/didOpen", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "concordance", ["version"] = 1, ["text"] = text } });
        server.Diagnostics(uri, 1);
    }

    public string Name { get; }

    public List<double> Diagnostics { get; } = new();

    public List<double> Completion { get; } = new();

    public void Clear()
    {
        Diagnostics.Clear();
        Completion.Clear();
    }

    /// <summary>One edit (a character typed at the end of a field name, or deleted again) and one completion.</summary>
    public void Round()
    {
        _version++;
        var start = _editAt.DeepClone();
        var end = _editAt.DeepClone();
        if (_inserted) end["character"] = (int)end["character"]! + 1;
        var change = new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = _uri, ["version"] = _version },
            ["contentChanges"] = new JsonArray(new JsonObject { ["range"] = new JsonObject { ["start"] = start, ["end"] = end }, ["text"] = _inserted ? "" : "x" }),
        };
        _inserted = !_inserted;
        var watch = Stopwatch.StartNew();
        _server.Notify("textDocument/didChange", change);
        _server.Diagnostics(_uri, _version);
        Diagnostics.Add(watch.Elapsed.TotalMilliseconds);

        watch.Restart();
        var response = _server.Request("textDocument/completion", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = _uri }, ["position"] = _completeAt.DeepClone() });
        Completion.Add(watch.Elapsed.TotalMilliseconds);
        if (response["result"]?["items"] is not JsonArray { Count: > 0 }) throw new InvalidOperationException("completion returned nothing: " + response.ToJsonString());
    }

    private static JsonObject Position(string text, string after, int? offset = null)
    {
        var index = text.IndexOf(after, StringComparison.Ordinal);
        if (index < 0) throw new ArgumentException(after);
        index += offset ?? after.Length;
        var line = text.AsSpan(0, index).Count('\n');
        var character = index - (text.LastIndexOf('\n', index - 1) + 1);
        return new JsonObject { ["line"] = line, ["character"] = character };
    }
}
