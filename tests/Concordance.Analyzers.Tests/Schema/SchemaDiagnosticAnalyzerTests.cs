using Concordance.Analyzers.Schema;
using Concordance.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Concordance.Analyzers.Tests.Schema;

public sealed class SchemaDiagnosticAnalyzerTests
{
    private const string P = SchemaDiagnosticCases.Path;

    /// <summary>What <c>dotnet build</c> prints for each case of <see cref="SchemaDiagnosticCases"/>.</summary>
    public static TheoryData<string, string[]> Expected => new()
    {
        { "CC0001", [
            $"{P}(8,9): warning CC0004: Command 'Lost' is not handled by any aggregate: add 'handle Lost -> …' to an aggregate, or remove the command.",
            $"{P}(8,19): error CC0001: Expected ':' after field name 'id' in command 'Lost' (write 'id: string')."] },
        { "CC0002", [
            $"{P}(8,24): error CC0002: Unknown type 'Tiemstamp' for field 'when' in record 'Receipt': declare 'record Tiemstamp {{ … }}' or 'enum Tiemstamp {{ … }}', or use a built-in type (string, bool, int, long, decimal, double, guid, timestamp, date, duration, bytes)."] },
        { "CC0003", [
            $"{P}(8,8): error CC0003: 'Opened' is already declared as an event at line 3: every name in a schema is unique; rename or remove this record."] },
        { "CC0004", [
            $"{P}(8,9): warning CC0004: Command 'Close' is not handled by any aggregate: add 'handle Close -> …' to an aggregate, or remove the command."] },
        { "CC0005", [
            $"{P}(11,12): error CC0005: Command 'Open' is already handled by aggregate 'Account' at line 6: a command has exactly one handler; remove one of the two 'handle' clauses."] },
        { "CC0006", [
            $"{P}(11,19): error CC0006: Event 'Opened' is already emitted by aggregate 'Account' at line 6: an event belongs to one aggregate's stream; declare a separate event for aggregate 'Audit'."] },
        { "CC0007", [
            $"{P}(6,20): error CC0007: Event 'Opened', a command or event of aggregate 'Account', has no key field 'id': add 'id: string' to it."] },
        { "CC0008", [
            $"{P}(19,17): error CC0008: Event 'Opened', which process 'Review' listens to, has no key field 'caseId': add 'caseId: string' to it."] },
        { "CC0009", [
            $"{P}(21,17): error CC0009: Process 'Review' sends command 'Close' but no aggregate handles it: add 'handle Close -> …' to an aggregate, or stop sending it.",
            $"{P}(23,9): warning CC0004: Command 'Close' is not handled by any aggregate: add 'handle Close -> …' to an aggregate, or remove the command."] },
        { "CC0010", [
            $"{P}(9,31): warning CC0010: Event 'Closed' in 'on' of projector 'Ledger' is never emitted: no aggregate 'handle … -> Closed' and no gateway 'emit Closed' produces it, so this subscription never fires."] },
        { "CC0011", [
            $"{P}(16,9): error CC0011: Process 'Review' has no 'end on' clause: its instances can never end. Add 'end on SomeEvent' naming the event that finishes it."] },
        { "CC0012", [
            $"{P}(8,14): error CC0012: Event 'Opened' v3 has no v2: versions count up from v1 without gaps; declare 'event Opened v2 {{ … }}' or renumber."] },
        { "CC0013", [
            $"{P}(8,27): error CC0013: Map key type 'int' of field 'byId' in record 'Limits' is not allowed: map keys are 'string' (write map<string, decimal>)."] },
        { "CC0014", [
            $"{P}(8,23): error CC0014: Field 'opened' in record 'Last' has type 'Opened', which is an event: a field's type is a built-in type, a record or an enum (declare a 'record' for this shape)."] },
        { "CC0015", [
            $"{P}(8,8): error CC0015: Record name 'class' is a C# keyword and cannot name a generated type: rename it (e.g. 'ClassInfo')."] },
        { "CC0027", [
            $"{P}(8,8): error CC0027: Record 'Raaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too long for .NET metadata: the generated type 'Shop.Raaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' takes 2,005 bytes, over the limit of 1,023 bytes (CS7013): shorten the name."] },
        { "CC0028", [
            $"{P}(1,11): error CC0028: The code generated for this schema would hold about 48,550,890 bytes of string literals, over the C# compiler's limit of 16,777,215 bytes (0xFFFFFF, CS8103) for one assembly: split the schema's messages across several projects."] },
        { "CC0029", [
            $"{P}(1098,8): error CC0029: This schema is too large to build in one project: 22,002 fields and 2,210 generated C# types, 24,212 together; the limit is 24,000 for a project (past it the C# compiler needs more than 2 GB of memory to compile the generated code); record 'Record1090' is the first declaration past the limit: split its messages across several projects."] },
    };

    [Fact]
    public async Task Given_two_schema_files_generating_the_same_types_when_built_then_CC0026_is_in_both_naming_the_other()
    {
        var files = SchemaDiagnosticCases.AcrossFiles.Single(c => c.Id == "CC0026").Files;

        var diagnostics = await AnalyzerHarness.RunOnSchemasAsync(files);

        const string Orders = "/src/Shop/Orders.concordance";
        const string Billing = "/src/Shop/Billing/Billing.concordance";
        const string Why = "two schema files of one project cannot generate the same C# type; rename one, or give the files different namespaces.";
        Assert.Equal(
        [
            $"{Billing}(2,9): error CC0026: 'Shop.Open' (command 'Open') is also generated from ../Orders.concordance line 2 (command 'Open'): {Why}",
            $"{Billing}(3,7): error CC0026: 'Shop.Opened' (event 'Opened') is also generated from ../Orders.concordance line 3 (event 'Opened'): {Why}",
            $"{Billing}(6,12): error CC0026: 'Shop.OpenDecision' (the decision type of 'handle Open' in aggregate 'Ledger') is also generated from ../Orders.concordance line 6 (the decision type of 'handle Open' in aggregate 'Account'): {Why}",
            $"{Orders}(2,9): error CC0026: 'Shop.Open' (command 'Open') is also generated from Billing/Billing.concordance line 2 (command 'Open'): {Why}",
            $"{Orders}(3,7): error CC0026: 'Shop.Opened' (event 'Opened') is also generated from Billing/Billing.concordance line 3 (event 'Opened'): {Why}",
            $"{Orders}(6,12): error CC0026: 'Shop.OpenDecision' (the decision type of 'handle Open' in aggregate 'Account') is also generated from Billing/Billing.concordance line 6 (the decision type of 'handle Open' in aggregate 'Ledger'): {Why}",
        ], diagnostics.Where(d => d.Id == "CC0026").Select(AnalyzerHarness.Format));
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task Given_a_schema_breaking_one_rule_when_built_then_its_diagnostic_is_reported_at_the_offending_token(string id, string[] expected)
    {
        var schema = SchemaDiagnosticCases.All.Single(c => c.Id == id).Schema;

        var diagnostics = await AnalyzerHarness.RunOnSchemasAsync((P, schema));

        Assert.Equal(expected, diagnostics.Select(AnalyzerHarness.Format));
        Assert.Contains(diagnostics, d => d.Id == id);
        Assert.All(diagnostics, d =>
        {
            Assert.Equal(LocationKind.ExternalFile, d.Location.Kind);
            Assert.Equal(DiagnosticDescriptors.HelpLink(d.Id), d.Descriptor.HelpLinkUri);
        });
    }

    [Fact]
    public void Given_the_cases_when_listed_then_every_schema_diagnostic_ID_has_one() =>
        Assert.Equal(DiagnosticDescriptors.SchemaDescriptors.Select(d => d.Id),
            SchemaDiagnosticCases.All.Select(c => c.Id).Concat(SchemaDiagnosticCases.AcrossFiles.Select(c => c.Id)).Order(StringComparer.Ordinal));

    [Fact]
    public async Task Given_a_diagnostic_when_reported_then_its_span_covers_exactly_the_offending_token()
    {
        var schema = SchemaDiagnosticCases.All.Single(c => c.Id == "CC0002").Schema;

        var diagnostic = Assert.Single(await AnalyzerHarness.RunOnSchemasAsync((P, schema)));

        Assert.Equal("Tiemstamp", schema.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal((7, 23, 7, 32), (span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character));
    }

    [Fact]
    public async Task Given_CRLF_line_endings_when_built_then_lines_and_columns_are_the_same_as_with_LF()
    {
        var schema = SchemaDiagnosticCases.All.Single(c => c.Id == "CC0005").Schema.ReplaceLineEndings("\r\n");

        var diagnostics = await AnalyzerHarness.RunOnSchemasAsync((P, schema));

        Assert.Equal([$"{P}(11,12) CC0005"], diagnostics.Select(Place));
    }

    [Fact]
    public async Task Given_two_schema_files_when_built_then_each_diagnostic_is_in_its_own_file()
    {
        var diagnostics = await AnalyzerHarness.RunOnSchemasAsync(
            ("/src/A.concordance", SchemaDiagnosticCases.Base + "command Close { id: string }\n"),
            ("/src/B.concordance", SchemaDiagnosticCases.Base.Replace("namespace Shop;", "namespace Shop.Other;") + "record class { x: int }\n"));

        Assert.Equal(
            ["/src/A.concordance(8,9) CC0004", "/src/B.concordance(8,8) CC0015"],
            diagnostics.Select(Place));
    }

    [Fact]
    public async Task Given_additional_files_that_are_not_schemas_when_built_then_they_are_not_parsed()
    {
        var diagnostics = await AnalyzerHarness.RunOnSchemasAsync(("/src/notes.txt", "command {{{"), ("/src/Shop.CONCORDANCE", "command {{{"));

        Assert.Equal(["/src/Shop.CONCORDANCE"], diagnostics.Select(d => d.Location.GetLineSpan().Path).Distinct());
    }

    [Fact]
    public async Task Given_a_severity_configured_in_editorconfig_style_options_when_built_then_it_applies()
    {
        var schema = SchemaDiagnosticCases.All.Single(c => c.Id == "CC0004").Schema;
        var compilation = AnalyzerHarness.EmptyCompilation().WithOptions(AnalyzerHarness.EmptyCompilation().Options
            .WithSpecificDiagnosticOptions([new("CC0004", ReportDiagnostic.Error)]));

        var diagnostics = await AnalyzerHarness.RunAsync(compilation, [new InMemoryAdditionalText(P, schema)],
            [new SchemaDiagnosticAnalyzer()]);

        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(diagnostics).Severity);
    }

    /// <summary>File, 1-based line and column, and ID: <c>/src/A.concordance(8,9) CC0004</c>.</summary>
    private static string Place(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}) {diagnostic.Id}";
    }
}
