using Xunit;
using static Concordance.Analyzers.Tests.Purity.ReachMatrixTests;

namespace Concordance.Analyzers.Tests.Purity;

/// <summary>Pure code, look-alikes of impure APIs, gateways and code no component reaches: never reported.</summary>
public sealed class PureCodeTests
{
    /// <summary>Statements a handler may contain without any diagnostic.</summary>
    public static readonly TheoryData<string, string> PureHandlerStatements = new()
    {
        { "a MemoryStream", "using var stream = new System.IO.MemoryStream(); stream.WriteByte(1); stream.Position = 0; var b = stream.ReadByte();" },
        { "a StringReader", "using var reader = new System.IO.StringReader(\"a\\nb\"); var line = reader.ReadLine();" },
        { "a StringWriter", "using var writer = new System.IO.StringWriter(); writer.Write(command.Amount); var text = writer.ToString();" },
        { "a StreamReader over memory", "using var reader = new System.IO.StreamReader(new System.IO.MemoryStream(new byte[] { 65 })); var all = reader.ReadToEnd();" },
        { "Guid.Parse", "var id = Guid.Parse(\"6f9619ff-8b86-d011-b42d-00cf4fc964ff\");" },
        { "a fixed DateTime", "var date = new DateTime(2020, 1, 1); var next = date.AddDays(1);" },
        { "TimeSpan.FromMinutes", "var window = TimeSpan.FromMinutes(5); var total = window.TotalSeconds;" },
        { "DateTimeOffset parsing", "var at = DateTimeOffset.Parse(\"2020-01-01T00:00:00Z\", System.Globalization.CultureInfo.InvariantCulture);" },
        { "LINQ over a list", "var amounts = new List<decimal> { 1m, 2m, command.Amount }; var big = amounts.Where(a => a > 1m).OrderBy(a => a).Sum();" },
        { "string formatting", "var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, \"{0:N2}\", command.Amount) + $\"{command.AccountNumber}\";" },
        { "decimal and Math", "var rounded = Math.Round(command.Amount * 1.05m, 2, MidpointRounding.ToEven); var max = Math.Max(rounded, 0m);" },
        { "a StringBuilder", "var builder = new System.Text.StringBuilder(); builder.Append(command.AccountNumber).Append(':').Append(command.Amount); var text = builder.ToString();" },
        { "a Regex", "var ok = System.Text.RegularExpressions.Regex.IsMatch(command.AccountNumber, \"^[0-9]+$\");" },
        { "a record with 'with'", "var next = (state ?? new BankAccountState(0m)) with { Balance = 10m };" },
        { "exceptions", "if (command.Amount < 0m) { throw new ArgumentOutOfRangeException(nameof(command), \"negative\"); }" },
        { "pattern matching", "var kind = command.Amount switch { < 0m => \"debit\", 0m => \"none\", _ => \"credit\" };" },
        { "System.Text.Json over memory", "var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, decimal> { [\"a\"] = command.Amount }); var back = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty(\"a\").GetDecimal();" },
        { "a Utf8JsonWriter over a buffer", "var buffer = new System.Buffers.ArrayBufferWriter<byte>(); using (var w = new System.Text.Json.Utf8JsonWriter(buffer)) { w.WriteStartObject(); w.WriteEndObject(); }" },
        { "parsing numbers", "var parsed = decimal.Parse(\"12.5\", System.Globalization.CultureInfo.InvariantCulture); var ok = int.TryParse(\"7\", out var seven);" },
        { "mutable local collections", "var seen = new HashSet<string>(); seen.Add(command.AccountNumber); var map = new Dictionary<string, int>(); map[\"x\"] = 1; map.Remove(\"x\");" },
        { "Path.Combine (string manipulation only)", "var key = System.IO.Path.Combine(\"ledger\", command.AccountNumber); var ext = System.IO.Path.GetExtension(\"a.txt\");" },
        { "an enum from a network namespace", "var code = System.Net.HttpStatusCode.NotFound; var text = code.ToString();" },
        { "WebUtility encoding", "var encoded = System.Net.WebUtility.UrlEncode(command.AccountNumber);" },
        { "tuples and deconstruction", "var (a, b) = (command.Amount, command.AccountNumber); var swapped = (b, a);" },
        { "a completed task result", "var done = Task.CompletedTask.IsCompleted;" },
        { "local mutable state in a loop", "var total = 0m; for (var i = 0; i < 3; i++) { total += i; } total++;" },
    };

    [Theory]
    [MemberData(nameof(PureHandlerStatements))]
    public Task Given_a_handler_doing_pure_work_then_nothing_is_reported(string what, string statement)
    {
        Assert.NotEmpty(what);
        return PurityHarness.VerifyAsync(Aggregate(statement));
    }

    [Fact]
    public Task Given_a_static_readonly_table_that_is_only_read_then_nothing_is_reported() =>
        PurityHarness.VerifyAsync(Aggregate("var fee = Fees.Table[\"NL\"] + Fees.Default;") + """
            public static class Fees
            {
                public static readonly IReadOnlyDictionary<string, decimal> Table = new Dictionary<string, decimal> { ["NL"] = 1m };
                public static readonly decimal Default = Table.Values.Sum();
                private static readonly List<string> s_countries = new();
                static Fees() { s_countries.Add("NL"); }
            }
            """);

    [Fact]
    public Task Given_a_static_constructor_initializing_its_own_statics_then_nothing_is_reported() =>
        PurityHarness.VerifyAsync(AggregateWith("var n = Registry.Count;", "static BankAccount() { s_names = new[] { \"a\" }; }\nprivate static readonly string[] s_names;") + """
            public static class Registry
            {
                public static readonly int Count;
                static Registry() { Count = 3; }
            }
            """);

    [Fact]
    public Task Given_a_projector_awaiting_its_projection_context_then_nothing_is_reported() =>
        PurityHarness.VerifyAsync(Projector("""
            var other = await context.GetAsync<string>("other").ConfigureAwait(false);
            await Task.CompletedTask;
            await ValueTask.CompletedTask;
            var value = await Task.FromResult(1);
            await LedgerHelper.TouchAsync(context, @event.AccountNumber);
            context.Delete("stale");
            """) + """
            public static class LedgerHelper
            {
                public static async ValueTask TouchAsync(ProjectionContext context, string key)
                {
                    var current = await context.GetAsync<string>(key);
                    context.Set(key, current ?? "new");
                }
            }
            """);

    [Fact]
    public Task Given_a_gateway_doing_io_then_nothing_is_reported() =>
        PurityHarness.VerifyAsync("""
            public sealed class WireNetwork : WireNetworkGatewayBase
            {
                private static int s_sent;
                public override async Task HandleAsync(FundsWithdrawn @event, WireNetworkGatewayContext context, CancellationToken cancellationToken)
                {
                    using var http = new System.Net.Http.HttpClient();
                    await http.GetStringAsync("http://localhost/", cancellationToken);
                    await Task.Delay(10, cancellationToken);
                    System.IO.File.WriteAllText("sent.log", DateTime.UtcNow.ToString("O") + Guid.NewGuid());
                    s_sent++;
                    Console.WriteLine(Environment.MachineName);
                    await context.EmitAsync(new WireSent(@event.AccountNumber), cancellationToken);
                }
            }
            """);

    [Fact]
    public Task Given_impure_code_that_no_component_reaches_then_nothing_is_reported() =>
        PurityHarness.VerifyAsync(Aggregate("var text = Report.Pure(command.Amount);") + """
            public static class Report
            {
                private static int s_runs;
                public static string Pure(decimal amount) => amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
                public static void Impure() { System.IO.File.WriteAllText("r.txt", DateTime.Now.ToString()); s_runs++; }
            }
            public sealed class Worker
            {
                public void Run() { Report.Impure(); new Random().Next(); Thread.Sleep(1); }
            }
            """);

    [Fact]
    public Task Given_a_class_named_like_a_base_that_does_not_implement_the_runtime_interface_then_it_is_not_a_component() =>
        PurityHarness.VerifyAsync("""
            public abstract class ReportAggregateBase { }
            public sealed class Report : ReportAggregateBase { public void Write() => System.IO.File.WriteAllText("a", "b"); }
            """);

    [Fact]
    public Task Given_a_member_vouched_for_with_AssumePure_then_it_is_neither_reported_nor_entered() =>
        PurityHarness.VerifyAsync(Aggregate("var rate = Rates.Current();") + """
            public static class Rates
            {
                [AssumePure("Reads a file embedded at build time; identical on every machine and run.")]
                public static decimal Current() => decimal.Parse(System.IO.File.ReadAllText("rates.txt"), System.Globalization.CultureInfo.InvariantCulture);
            }
            """);

    [Fact]
    public Task Given_a_type_vouched_for_with_AssumePure_then_none_of_its_members_is_entered() =>
        PurityHarness.VerifyAsync(Aggregate("var id = new SequentialIds().Next();") + """
            [AssumePure("Ids are derived from the command by the caller; this only formats them.")]
            public sealed class SequentialIds { public string Next() => Guid.NewGuid().ToString(); }
            """);

    [Fact]
    public Task Given_a_component_member_vouched_for_with_AssumePure_then_it_is_not_reported() =>
        PurityHarness.VerifyAsync(AggregateWith("", """
            [AssumePure("Diagnostics only; does not influence the decision.")]
            private static void Trace(string text) => Console.WriteLine(text);
            """));

    [Fact]
    public Task Given_an_override_on_the_receiver_that_is_pure_then_the_impure_base_version_is_not_reported() =>
        PurityHarness.VerifyAsync(Aggregate("var f = new PlainFormatter(); var text = f.Format();") + """
            public class Formatter { public virtual string Format() => DateTime.Now.ToString(); }
            public sealed class PlainFormatter : Formatter { public override string Format() => "plain"; }
            """);
}
