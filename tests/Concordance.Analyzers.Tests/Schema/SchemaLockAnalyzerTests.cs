using System.Collections.Immutable;
using Concordance.Analyzers.Schema;
using Concordance.Analyzers.Tests.Infrastructure;
using Concordance.Schema;
using Concordance.Schema.Locking;
using Concordance.Schema.Tests.Mutations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Concordance.Analyzers.Tests.Schema;

/// <summary>
/// The shipped-schema gate as the build sees it: the schema and its lock as additional files, each
/// breaking change an error at its line and column, each compatible change clean.
/// </summary>
public sealed class SchemaLockAnalyzerTests
{
    private const string SchemaPath = "/src/Shop.concordance";
    private const string LockPath = "/src/Shop.concordance.lock";

    // Line numbers matter: the expected diagnostics below name them.
    private const string Shipped = """
        namespace Shop;
        command Place { id: string }
        event Placed { id: string, lines: list<Line>, note: string? }
        event Placed v2 { id: string, lines: list<Line>, note: string?, tier: Tier }
        upcast Placed v1 -> v2
        event Cancelled { id: string, channel: Channel }
        record Line { sku: string, quantity: int }
        enum Tier { Gold, Silver }
        enum Channel { Web, Store, fallback Other }
        aggregate Order {
            key id
            handle Place -> Placed, Cancelled
        }

        """;

    /// <summary>The schema and lock analyzers, as a build runs them; the wiring analyzer would only add CC2001s here.</summary>
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = [new SchemaDiagnosticAnalyzer(), new SchemaLockAnalyzer()];

    private static string LockOf(string schema) =>
        SchemaLockWriter.Write(SchemaLockBuilder.Build(SchemaParser.Parse(schema, SchemaPath)), "Shop.concordance");

    private static async Task<string[]> BuildAsync(string current, string? lockText = null)
    {
        var diagnostics = await AnalyzerHarness.RunAsync(AnalyzerHarness.EmptyCompilation(),
            [new InMemoryAdditionalText(SchemaPath, current), new InMemoryAdditionalText(LockPath, lockText ?? LockOf(Shipped))], Analyzers);
        return diagnostics.Select(AnalyzerHarness.Format).ToArray();
    }

    private static string Edit(string find, string replace)
    {
        Assert.Contains(find, Shipped, StringComparison.Ordinal);
        return Shipped.Replace(find, replace, StringComparison.Ordinal);
    }

    private static void AssertReported(string[] diagnostics, params string[] expectedPrefixes)
    {
        Assert.True(diagnostics.Length == expectedPrefixes.Length, string.Join("\n", diagnostics));
        for (var i = 0; i < expectedPrefixes.Length; i++) Assert.StartsWith(expectedPrefixes[i], diagnostics[i], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_schema_as_locked_when_built_then_nothing_is_reported() => Assert.Empty(await BuildAsync(Shipped));

    // Breaking changes: each an error at the place the change shows.

    [Fact]
    public async Task Given_a_locked_event_removed_when_built_then_CC0016_is_reported_at_the_namespace()
    {
        var diagnostics = await BuildAsync(Edit("event Cancelled { id: string, channel: Channel }\n", "").Replace("Placed, Cancelled", "Placed"));

        AssertReported(diagnostics, "/src/Shop.concordance(1,11): error CC0016: Event 'Cancelled' is in the lock but no longer declared: stored Cancelled v1 events could not be read.");
    }

    [Fact]
    public async Task Given_a_locked_event_version_removed_with_its_upcast_when_built_then_CC0016_and_CC0023_are_at_the_remaining_version()
    {
        var diagnostics = await BuildAsync(Edit("event Placed v2 { id: string, lines: list<Line>, note: string?, tier: Tier }\n", "").Replace("upcast Placed v1 -> v2\n", ""));

        AssertReported(diagnostics,
            "/src/Shop.concordance(3,7): error CC0016: Version v2 of event 'Placed' is in the lock but no longer declared: stored Placed v2 events could not be read. Declare 'event Placed v2 {…}' again as locked (and its upcasts)",
            "/src/Shop.concordance(3,7): error CC0023: 'upcast Placed v1 -> v2' is in the lock but no longer declared");
    }

    [Fact]
    public async Task Given_a_field_removed_from_a_locked_event_when_built_then_CC0017_is_at_the_event_and_says_what_to_do()
    {
        var diagnostics = await BuildAsync(Edit("event Placed { id: string, lines: list<Line>, note: string? }", "event Placed { id: string, lines: list<Line> }"));

        AssertReported(diagnostics, "/src/Shop.concordance(3,7): error CC0017: Field 'note' of event 'Placed' v1 is in the lock but no longer declared:");
        Assert.Contains("Restore 'event Placed v1' as locked", diagnostics[0], StringComparison.Ordinal);
        Assert.Contains("dotnet build -p:ConcordanceUpdateLock=true", diagnostics[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_field_renamed_in_a_locked_event_when_built_then_CC0017_is_at_the_new_name_and_asks_renamed()
    {
        var diagnostics = await BuildAsync(Edit("tier: Tier }", "grade: Tier }"));

        AssertReported(diagnostics, "/src/Shop.concordance(4,65): error CC0017: Field 'tier' of event 'Placed' v2 is in the lock but no longer declared (renamed to 'grade'?)");
        Assert.Contains("declare 'event Placed v3 {…}' with 'upcast Placed v2 -> v3' instead", diagnostics[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_field_type_changed_in_a_locked_event_when_built_then_CC0018_is_at_the_type()
    {
        var diagnostics = await BuildAsync(Edit("tier: Tier }", "tier: string }"));

        AssertReported(diagnostics, "/src/Shop.concordance(4,71): error CC0018: Field 'tier' of event 'Placed' v2 changed type from 'Tier' to 'string'");
    }

    [Fact]
    public async Task Given_a_nullable_field_made_required_in_a_locked_event_when_built_then_CC0019_is_at_the_type()
    {
        var diagnostics = await BuildAsync(Edit("note: string?, tier", "note: string, tier"));

        AssertReported(diagnostics, "/src/Shop.concordance(4,56): error CC0019: Field 'note' of event 'Placed' v2 changed from 'string?' to 'string'");
    }

    [Fact]
    public async Task Given_a_required_field_added_to_a_locked_event_version_when_built_then_CC0020_is_at_the_new_field()
    {
        var diagnostics = await BuildAsync(Edit("tier: Tier }", "tier: Tier, total: decimal }"));

        AssertReported(diagnostics, "/src/Shop.concordance(4,77): error CC0020: Field 'total' is new in event 'Placed' v2 and required: events stored before it lack 'total'");
        Assert.Contains("Make it nullable ('total: decimal?')", diagnostics[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_enum_member_removed_when_built_then_CC0021_is_at_the_enum()
    {
        var diagnostics = await BuildAsync(Edit("enum Tier { Gold, Silver }", "enum Tier { Gold }"));

        AssertReported(diagnostics, "/src/Shop.concordance(8,6): error CC0021: Member 'Silver' of enum 'Tier' is in the lock but no longer declared: stored events hold 'Silver' by name");
    }

    [Fact]
    public async Task Given_an_enum_member_renamed_when_built_then_CC0021_is_at_the_new_member_and_asks_renamed()
    {
        var diagnostics = await BuildAsync(Edit("enum Tier { Gold, Silver }", "enum Tier { Gold, Argent }"));

        AssertReported(diagnostics, "/src/Shop.concordance(8,19): error CC0021: Member 'Silver' of enum 'Tier' is in the lock but no longer declared (renamed to 'Argent'?)");
    }

    [Fact]
    public async Task Given_a_field_type_changed_in_a_record_a_locked_event_stores_when_built_then_CC0018_names_the_record_and_the_event()
    {
        var diagnostics = await BuildAsync(Edit("quantity: int }", "quantity: long }"));

        AssertReported(diagnostics, "/src/Shop.concordance(7,38): error CC0018: Field 'quantity' of record 'Line' (stored inside event Placed v1) changed type from 'int' to 'long'");
    }

    [Fact]
    public async Task Given_a_field_removed_from_a_record_a_locked_event_stores_when_built_then_CC0017_is_at_the_record()
    {
        var diagnostics = await BuildAsync(Edit("record Line { sku: string, quantity: int }", "record Line { sku: string }"));

        AssertReported(diagnostics, "/src/Shop.concordance(7,8): error CC0017: Field 'quantity' of record 'Line' (stored inside event Placed v1) is in the lock but no longer declared");
    }

    [Fact]
    public async Task Given_a_required_field_added_to_a_record_a_locked_event_stores_when_built_then_CC0020_is_at_the_new_field()
    {
        var diagnostics = await BuildAsync(Edit("quantity: int }", "quantity: int, unit: string }"));

        AssertReported(diagnostics, "/src/Shop.concordance(7,43): error CC0020: Field 'unit' is new in record 'Line' (stored inside event Placed v1) and required");
    }

    [Fact]
    public async Task Given_a_locked_upcast_removed_when_built_then_CC0023_is_at_the_old_version_beside_the_checkers_gap()
    {
        var diagnostics = await BuildAsync(Edit("upcast Placed v1 -> v2\n", ""));

        Assert.Contains(diagnostics, d => d.StartsWith("/src/Shop.concordance(3,7): error CC0023: 'upcast Placed v1 -> v2' is in the lock but no longer declared", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Contains("error CC0012:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_the_namespace_changed_when_built_then_CC0016_is_at_the_namespace()
    {
        var diagnostics = await BuildAsync(Edit("namespace Shop;", "namespace Store;"));

        AssertReported(diagnostics, "/src/Shop.concordance(1,11): error CC0016: The namespace changed from 'Shop' to 'Store'");
    }

    // Compatible changes: the build stays clean.

    [Theory]
    [InlineData("a new event", "event Cancelled {", "event Shipped { id: string }\nevent Cancelled {")]
    [InlineData("a new version with its upcast", "upcast Placed v1 -> v2\n", "upcast Placed v1 -> v2\nevent Placed v3 { id: string, tier: Tier }\nupcast Placed v2 -> v3\n")]
    [InlineData("a new nullable field", "tier: Tier }", "tier: Tier, gift: bool? }")]
    [InlineData("a required field made nullable", "quantity: int }", "quantity: int? }")]
    [InlineData("a list made nullable", "event Placed { id: string, lines: list<Line>,", "event Placed { id: string, lines: list<Line>?,")]
    [InlineData("fields reordered", "{ id: string, lines: list<Line>, note: string?, tier: Tier }", "{ tier: Tier, note: string?, id: string, lines: list<Line> }")]
    [InlineData("a new member of an enum with a fallback", "Web, Store, fallback Other", "Web, Store, App, fallback Other")]
    [InlineData("a new record and enum", "enum Tier", "record Gift { wrap: bool }\nenum Size { S }\nenum Tier")]
    [InlineData("a comment and a doc comment", "event Cancelled", "/// Cancelled by the customer.\nevent Cancelled")]
    public async Task Given_a_compatible_change_when_built_then_nothing_is_reported(string change, string find, string replace)
    {
        var diagnostics = await BuildAsync(Edit(find, replace));

        Assert.True(diagnostics.Length == 0, change + ":\n" + string.Join("\n", diagnostics));
    }

    [Fact]
    public async Task Given_a_new_member_of_a_locked_enum_without_a_fallback_when_built_then_CC0022_warns_at_the_member_and_suggests_a_fallback()
    {
        var diagnostics = await BuildAsync(Edit("enum Tier { Gold, Silver }", "enum Tier { Gold, Silver, Bronze }"));

        AssertReported(diagnostics, "/src/Shop.concordance(8,27): warning CC0022: Member 'Bronze' is new in enum 'Tier', whose locked shape has no fallback member");
        Assert.Contains("fallback Unknown", diagnostics[0], StringComparison.Ordinal);
    }

    // No lock, a broken lock.

    [Fact]
    public async Task Given_two_schemas_without_locks_when_built_then_one_CC0025_info_says_how_to_create_a_lock()
    {
        var diagnostics = await AnalyzerHarness.RunAsync(AnalyzerHarness.EmptyCompilation(),
            [new InMemoryAdditionalText("/src/B.concordance", "namespace B;\n"), new InMemoryAdditionalText("/src/A.concordance", "namespace A;\n")],
            [new SchemaLockAnalyzer()]);

        var info = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.Equal(
            "/src/A.concordance(1,1): info CC0025: A.concordance has no lock file, so changes that would break reading stored events are not checked. Create A.concordance.lock once events are stored, and check it in: dotnet build -p:ConcordanceUpdateLock=true",
            AnalyzerHarness.Format(info));
    }

    [Fact]
    public async Task Given_every_schema_locked_when_built_then_no_CC0025_info_is_given()
    {
        var diagnostics = await AnalyzerHarness.RunAsync(AnalyzerHarness.EmptyCompilation(),
            [new InMemoryAdditionalText(SchemaPath, Shipped), new InMemoryAdditionalText(LockPath, LockOf(Shipped))],
            [new SchemaLockAnalyzer()]);

        Assert.DoesNotContain(diagnostics, d => d.Id == "CC0025");
    }

    [Fact]
    public async Task Given_a_lock_that_does_not_parse_when_built_then_CC0024_points_into_the_lock_and_the_schema_is_not_compared()
    {
        var broken = LockOf(Shipped).Replace("  quantity: int\n", "  quantity int\n");

        var diagnostics = await BuildAsync(Edit("tier: Tier }", "tier: string }"), broken);

        var line = broken.Split('\n').ToList().FindIndex(l => l == "  quantity int") + 1;
        AssertReported(diagnostics, $"/src/Shop.concordance.lock({line},3): error CC0024: Expected a field: 'name: type'");
    }

    [Fact]
    public async Task Given_a_schema_with_a_syntax_error_and_a_lock_when_built_then_only_the_syntax_error_is_reported()
    {
        var diagnostics = await BuildAsync(Edit("record Line { sku: string, quantity: int }", "record Line { sku string, quantity: int }"));

        Assert.All(diagnostics, d => Assert.Contains("error CC0001:", d, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_mutated_schemas_and_mutated_locks_when_built_then_the_analyzer_never_throws()
    {
        var locked = LockOf(Shipped);
        var schemas = SchemaMutator.Variants(Shipped, 150, seed: 21).ToList();
        var locks = SchemaMutator.Variants(locked, 150, seed: 22).ToList();

        for (var i = 0; i < schemas.Count; i++)
        {
            // The harness fails the test with the stack trace if an analyzer throws.
            var diagnostics = await BuildAsync(schemas[i], i % 2 == 0 ? locked : locks[i]);
            Assert.All(diagnostics, d => Assert.Matches(@"^/src/Shop\.concordance(\.lock)?\(\d+,\d+\): (error|warning|info) CC\d{4}: ", d));
        }
    }
}
