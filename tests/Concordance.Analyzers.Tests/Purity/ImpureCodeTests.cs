using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static Concordance.Analyzers.Tests.Purity.ReachMatrixTests;

namespace Concordance.Analyzers.Tests.Purity;

/// <summary>The impure APIs of each category, the rules for awaits and static state, and what the messages say.</summary>
public sealed class ImpureCodeTests
{
    /// <summary>Handler statements with the expected diagnostic marked.</summary>
    public static readonly TheoryData<string, string> ImpureHandlerStatements = new()
    {
        { "reading a file", "var text = {|CC1001:System.IO.File.ReadAllText(\"a.txt\")|};" },
        { "a FileStream", "using var file = {|CC1001:new System.IO.FileStream(\"a.txt\", System.IO.FileMode.Open)|};" },
        { "a StreamWriter on a path", "using var writer = {|CC1001:new System.IO.StreamWriter(\"a.txt\")|};" },
        { "listing a directory", "var files = {|CC1001:System.IO.Directory.GetFiles(\".\")|};" },
        { "a FileInfo", "var length = {|CC1001:new System.IO.FileInfo(\"a.txt\")|}.Length;" },
        { "the temp path", "var temp = {|CC1001:System.IO.Path.GetTempPath()|};" },
        { "the console", "{|CC1001:Console.WriteLine(command.Amount)|};" },
        { "starting a process", "{|CC1001:System.Diagnostics.Process.Start(\"ls\")|};" },
        { "an HttpClient", "using var http = {|CC1001:new System.Net.Http.HttpClient()|};" },
        { "DNS", "var host = {|CC1001:System.Net.Dns.GetHostName()|};" },
        { "a socket", "using var socket = {|CC1001:new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)|};" },
        { "a SQLite connection", "using var db = {|CC1001:new Microsoft.Data.Sqlite.SqliteConnection(\"Data Source=:memory:\")|};" },
        { "an ADO.NET connection interface", "System.Data.IDbConnection? db = null; {|CC1001:db!.Open()|};" },
        { "DateTime.Now", "var now = {|CC1002:DateTime.Now|};" },
        { "DateTime.Today", "var today = {|CC1002:DateTime.Today|};" },
        { "DateTimeOffset.UtcNow", "var now = {|CC1002:DateTimeOffset.UtcNow|};" },
        { "a Stopwatch", "var watch = {|CC1002:System.Diagnostics.Stopwatch.StartNew()|};" },
        { "TimeProvider.System", "var clock = {|CC1002:TimeProvider.System|};" },
        { "new Random", "var dice = {|CC1003:new Random()|};" },
        { "Random.Shared", "var roll = {|CC1003:Random.Shared|}.Next(6);" },
        { "RandomNumberGenerator", "var bytes = {|CC1003:System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)|};" },
        { "Guid.CreateVersion7", "var id = {|CC1003:Guid.CreateVersion7()|};" },
        { "an environment variable", "var home = {|CC1004:Environment.GetEnvironmentVariable(\"HOME\")|};" },
        { "the tick count", "var ticks = {|CC1004:Environment.TickCount64|};" },
        { "the processor count", "var cores = {|CC1004:Environment.ProcessorCount|};" },
        { "the local time zone", "var zone = {|CC1004:TimeZoneInfo.Local|};" },
        { "the current culture", "var culture = {|CC1004:System.Globalization.CultureInfo.CurrentCulture|};" },
        { "a new thread", "var thread = {|CC1005:new Thread(() => { })|};" },
        { "Thread.Sleep", "{|CC1005:Thread.Sleep(1)|};" },
        { "a timer", "using var timer = {|CC1005:new System.Threading.Timer(_ => { })|};" },
        { "Task.Run", "var work = {|CC1005:Task.Run(() => 1)|};" },
        { "Task.Delay", "var pause = {|CC1005:Task.Delay(10)|};" },
        { "Parallel.For", "{|CC1005:Parallel.For(0, 3, i => { })|};" },
        { "blocking on a task result", "var value = {|CC1005:Task.FromResult(1).Result|};" },
        { "a static field assignment", "{|CC1006:Counters.Total|} = 5;" },
        { "a compound assignment to a static field", "{|CC1006:Counters.Total|} += 2;" },
        { "Interlocked on a static field", "Interlocked.Increment(ref {|CC1006:Counters.Total|});" },
        { "a static auto-property write", "{|CC1006:Counters.Last|} = command.AccountNumber;" },
        { "adding to a static collection", "{|CC1006:Counters.Seen.Add(command.AccountNumber)|};" },
        { "writing a static array element", "{|CC1006:Counters.Slots[0]|} = 1;" },
        { "writing a static dictionary entry", "{|CC1006:Counters.ByAccount[command.AccountNumber]|} = command.Amount;" },
        { "a field of an object held in a static", "{|CC1006:Counters.Shared.Value|} = 3;" },
        { "a static write in a tuple deconstruction", "({|CC1006:Counters.Total|}, var other) = (1, 2);" },
        { "reading a mutable static field", "var total = {|CC1006:Counters.Total|} + 1;" },
        { "reading a static auto-property with a setter", "var last = {|CC1006:Counters.Last|};" },
        { "adding to a static list of an immutable element type", "{|CC1006:Counters.Names.Add(command.AccountNumber)|};" },
        { "an ImmutableList builder held in a static", "{|CC1006:Counters.Builder.Add(command.AccountNumber)|};" },
    };

    private const string Counters = """
        public static class Counters
        {
            public static int Total;
            public static string? Last { get; set; }
            public static readonly HashSet<string> Seen = new();
            public static readonly int[] Slots = new int[4];
            public static readonly Dictionary<string, decimal> ByAccount = new();
            public static readonly Cell Shared = new();
            public static readonly List<string> Names = new();
            public static readonly System.Collections.Immutable.ImmutableList<string>.Builder Builder = System.Collections.Immutable.ImmutableList.CreateBuilder<string>();
        }
        public sealed class Cell { public int Value; }
        """;

    [Theory]
    [MemberData(nameof(ImpureHandlerStatements))]
    public Task Given_a_handler_using_an_impure_api_then_it_is_reported_at_the_use(string what, string statement)
    {
        Assert.NotEmpty(what);
        return PurityHarness.VerifyAsync(Aggregate(statement) + Counters);
    }

    public static readonly TheoryData<string, string> ImpureAwaits = new()
    {
        { "a task returned by a library", "await {|CC1005:System.Threading.Tasks.Task.WhenAll()|};" },
        { "a task passed in a variable", "var pending = context.GetAsync<string>(\"x\"); await {|CC1005:pending|};" },
        { "Task.Yield", "await {|CC1005:Task.Yield()|};" },
        { "Task.Delay (reported once, at the call)", "await {|CC1005:Task.Delay(1)|};" },
        { "an HttpClient call (I/O, reported once)", "using var http = {|CC1001:new System.Net.Http.HttpClient()|}; await {|CC1001:http.GetStringAsync(\"http://x\")|};" },
        { "an async stream from a library", "await foreach (var n in {|CC1005:System.Linq.AsyncEnumerable.Range(0, 3)|}) { }" },
        { "an async stream of file lines (I/O, reported once)", "await foreach (var line in {|CC1001:System.IO.File.ReadLinesAsync(\"a\")|}) { }" },
    };

    [Theory]
    [MemberData(nameof(ImpureAwaits))]
    public Task Given_a_projector_awaiting_something_else_than_its_context_then_it_is_reported(string what, string statement)
    {
        Assert.NotEmpty(what);
        return PurityHarness.VerifyAsync(Projector(statement));
    }

    [Fact]
    public async Task Given_an_indirect_use_then_the_message_names_root_member_chain_and_impure_member_and_points_at_the_impure_site()
    {
        var source = PurityHarness.Usings + Aggregate("Audit.Log(command.AccountNumber);") + """
            public static class Audit { public static void Log(string text) => Writer.Write(text); }
            public static class Writer { public static void Write(string text) => System.IO.File.WriteAllText("audit.log", text); }
            """;

        var diagnostic = Assert.Single(await PurityHarness.RunAsync(new[] { ("Test0.cs", source) }));

        Assert.Equal("CC1001", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "BankAccount.Handle(WithdrawFunds, BankAccountState) reaches System.IO.File.WriteAllText through Audit.Log → Writer.Write: " +
            "file, network, console, process and database access belong in a gateway",
            diagnostic.GetMessage());
        Assert.Equal("Audit.Log(command.AccountNumber)", Text(diagnostic.Location));
        var impureSite = Assert.Single(diagnostic.AdditionalLocations);
        Assert.Equal("System.IO.File.WriteAllText(\"audit.log\", text)", Text(impureSite));
        Assert.EndsWith("docs/diagnostics/CC1001.md", diagnostic.Descriptor.HelpLinkUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_direct_use_then_the_message_names_root_member_and_impure_member_without_a_chain()
    {
        var source = PurityHarness.Usings + Projector("var now = DateTime.UtcNow;");

        var diagnostic = Assert.Single(await PurityHarness.RunAsync(new[] { ("Test0.cs", source) }));

        Assert.Equal(
            "AccountLedger.Handle(FundsWithdrawn, ProjectionContext) reaches System.DateTime.UtcNow: take the time from the command or event metadata",
            diagnostic.GetMessage());
        Assert.Empty(diagnostic.AdditionalLocations);
    }

    [Fact]
    public async Task Given_a_chain_through_constructors_and_static_initialization_then_the_links_say_so()
    {
        var source = PurityHarness.Usings + Aggregate("var w = new Writer();") + """
            public sealed class Writer { public Writer() { Seeds.Touch(); } }
            public static class Seeds { public static readonly int First = new Random().Next(); public static void Touch() { } }
            """;

        var diagnostic = Assert.Single(await PurityHarness.RunAsync(new[] { ("Test0.cs", source) }));

        Assert.Equal("CC1003", diagnostic.Id);
        Assert.True(diagnostic.GetMessage().Contains("reaches new System.Random through new Writer → Seeds static initialization:", StringComparison.Ordinal), diagnostic.GetMessage());
    }

    [Fact]
    public async Task Given_one_helper_reaching_several_categories_then_each_category_is_reported_once_at_the_call()
    {
        var source = PurityHarness.Usings + Aggregate("Noise.Make();") + """
            public static class Noise
            {
                public static void Make() { Console.Beep(); var a = DateTime.Now; var b = DateTime.UtcNow; Again(); }
                private static void Again() { Console.WriteLine(); var r = Random.Shared.Next(); Make(); }
            }
            """;

        var diagnostics = await PurityHarness.RunAsync(new[] { ("Test0.cs", source) });

        Assert.Equal(new[] { "CC1001", "CC1002", "CC1003" }, diagnostics.Select(d => d.Id).OrderBy(id => id).ToArray());
        Assert.All(diagnostics, d => Assert.Equal("Noise.Make()", Text(d.Location)));
    }

    [Fact]
    public async Task Given_a_user_banned_list_then_its_entries_are_reported_as_CC1007_with_the_list_message()
    {
        var source = PurityHarness.Usings + Aggregate("var fx = Rates.Fetch(); var s = string.Intern(command.AccountNumber);") + """
            public static class Rates { public static decimal Fetch() => 1m; }
            """;
        const string list = """
            // team rules
            M:App.Rates.Fetch; rates come in the command
            M:System.String.Intern(System.String);interning is process-wide state
            """;

        var diagnostics = await PurityHarness.RunAsync(new[] { ("Test0.cs", "namespace App {\n" + source.Replace("#nullable enable", "") + "\n}") }, list);

        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal("CC1007", d.Id));
        Assert.Contains(diagnostics, d => d.GetMessage().EndsWith("reaches App.Rates.Fetch: rates come in the command", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.GetMessage().EndsWith("reaches string.Intern: interning is process-wide state", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_a_severity_set_for_a_rule_then_the_diagnostic_uses_it()
    {
        var source = PurityHarness.Usings + Aggregate("var now = DateTime.UtcNow; Console.WriteLine();");
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CC1002"] = ReportDiagnostic.Warn, ["CC1001"] = ReportDiagnostic.Suppress });

        var diagnostics = await PurityHarness.RunAsync(new[] { ("Test0.cs", source) }, options: options);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("CC1002", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
    }

    [Fact]
    public Task Given_a_component_awaiting_a_source_helper_that_delays_then_the_delay_is_reported_at_the_call() =>
        PurityHarness.VerifyAsync(Projector("await {|CC1005:Backoff.WaitAsync()|};") + """
            public static class Backoff { public static Task WaitAsync() => Task.Delay(100); }
            """);

    [Fact]
    public Task Given_an_abstract_intermediate_component_then_its_own_members_are_roots() =>
        PurityHarness.VerifyAsync("""
            public abstract class TimedProjector : AccountLedgerProjectorBase
            {
                protected static string Stamp() => {|CC1002:DateTime.UtcNow|}.ToString("O");
            }
            public sealed class AccountLedger : TimedProjector
            {
                public override ValueTask Handle(FundsWithdrawn @event, ProjectionContext context) { context.Set("k", Stamp()); return default; }
            }
            """);

    [Fact]
    public Task Given_the_same_helper_called_from_two_components_then_each_call_is_reported() =>
        PurityHarness.VerifyAsync(Aggregate("{|CC1003:Ids.Next()|};") + ProcessManager("{|CC1003:Ids.Next()|};") + """
            public static class Ids { public static string Next() => Guid.NewGuid().ToString(); }
            """);

    [Fact]
    public Task Given_an_impure_property_initializer_in_a_component_then_it_is_reported() =>
        PurityHarness.VerifyAsync(AggregateWith("", "public DateTime Created { get; } = {|CC1002:DateTime.UtcNow|};\npublic static int Instances { get; } = {|CC1003:Random.Shared|}.Next();"));

    [Fact]
    public Task Given_a_component_writing_its_own_static_field_then_it_is_reported() =>
        PurityHarness.VerifyAsync(AggregateWith("{|CC1006:s_handled|}++;", "private static int s_handled;"));

    private static string Text(Location location) =>
        location.SourceTree!.GetText().ToString(location.SourceSpan);
}
