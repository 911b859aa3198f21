using System.Text.RegularExpressions;
using Concordance.Schema.Locking;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Tests.Locking;

/// <summary>The gate's rules, one change each: what breaks reading stored events and what does not.</summary>
public sealed class SchemaLockComparerTests
{
    private const string Shipped = """
        namespace Shop;
        command Place { id: string }
        event Placed { id: string, lines: list<Line>, note: string?, tags: list<string?> }
        record Line { sku: string, quantity: int, tier: Tier }
        enum Tier { Gold, Silver }
        aggregate Order { key id handle Place -> Placed }
        """;

    private static IReadOnlyList<SchemaDiagnostic> Compare(string shipped, string current)
    {
        var locked = SchemaLockReader.Read(SchemaLockWriter.Write(SchemaLockBuilder.Build(SchemaParser.Parse(shipped, "Shop.concordance")), "Shop.concordance")).Lock!;
        return SchemaLockComparer.Compare(locked, SchemaParser.Parse(current, "Shop.concordance"));
    }

    /// <summary>Asserts one diagnostic, on the first whole-word <paramref name="target"/> followed by <paramref name="after"/>.</summary>
    private static void AssertOne(string current, string id, string target, string messagePart, string shipped = Shipped, string after = "")
    {
        var diagnostic = Assert.Single(Compare(shipped, current));
        Assert.Equal(id, diagnostic.Id);
        var match = Regex.Match(current, @"(?<![\w?<])" + Regex.Escape(target) + @"(?![\w])(?=" + Regex.Escape(after) + ")");
        Assert.True(match.Success, target);
        Assert.Equal(new SourceSpan(match.Index, target.Length), diagnostic.Span);
        Assert.Contains(messagePart, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_schema_as_locked_when_compared_then_nothing_is_reported() => Assert.Empty(Compare(Shipped, Shipped));

    [Fact]
    public void Given_a_nested_nullable_element_made_required_when_compared_then_CC0019_is_at_the_type() =>
        AssertOne(Shipped.Replace("tags: list<string?>", "tags: list<string>"), SchemaDiagnosticIds.LockedFieldMadeRequired, "list<string>", "from 'list<string?>' to 'list<string>'");

    [Fact]
    public void Given_a_list_element_relaxed_to_nullable_when_compared_then_nothing_is_reported() =>
        Assert.Empty(Compare(Shipped, Shipped.Replace("lines: list<Line>", "lines: list<Line?>?")));

    [Fact]
    public void Given_a_list_turned_into_a_map_when_compared_then_CC0018_is_at_the_type() =>
        AssertOne(Shipped.Replace("lines: list<Line>", "lines: map<string, Line>"), SchemaDiagnosticIds.LockedFieldTypeChanged, "map<string, Line>", "from 'list<Line>' to 'map<string, Line>'");

    [Fact]
    public void Given_a_removed_field_and_a_new_field_of_another_type_when_compared_then_CC0017_is_at_the_event_without_a_rename_guess()
    {
        var diagnostics = Compare(Shipped, Shipped.Replace("note: string?", "count: int?"));

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(SchemaDiagnosticIds.LockedFieldRemoved, diagnostic.Id);
        Assert.DoesNotContain("renamed", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_field_renamed_to_a_required_name_when_compared_then_only_the_rename_is_reported_not_a_new_required_field() =>
        AssertOne(Shipped.Replace("{ id: string,", "{ orderId: string,").Replace("key id", "key orderId").Replace("Place { id: string }", "Place { orderId: string }"),
            SchemaDiagnosticIds.LockedFieldRemoved, "orderId", "renamed to 'orderId'?", after: ": string, lines");

    [Fact]
    public void Given_a_record_field_removed_when_compared_then_CC0017_names_the_record_and_the_event_storing_it() =>
        AssertOne(Shipped.Replace("record Line { sku: string, quantity: int, tier: Tier }", "record Line { sku: string, tier: Tier }"),
            SchemaDiagnosticIds.LockedFieldRemoved, "Line", "record 'Line' (stored inside event Placed v1)", after: " {");

    [Fact]
    public void Given_an_enum_member_renamed_when_compared_then_CC0021_is_at_the_new_member_with_a_rename_guess() =>
        AssertOne(Shipped.Replace("Gold, Silver", "Gold, Argent"), SchemaDiagnosticIds.LockedEnumMemberRemoved, "Argent", "renamed to 'Argent'?");

    [Fact]
    public void Given_an_enum_member_added_without_a_locked_fallback_when_compared_then_CC0022_is_a_warning_at_the_member()
    {
        AssertOne(Shipped.Replace("Gold, Silver", "Gold, Silver, Bronze"), SchemaDiagnosticIds.EnumMemberAddedWithoutFallback, "Bronze", "fallback");
        Assert.Equal(SchemaSeverity.Warning, Compare(Shipped, Shipped.Replace("Gold, Silver", "Gold, Silver, Bronze")).Single().Severity);
    }

    [Fact]
    public void Given_a_fallback_declared_together_with_a_new_member_when_compared_then_CC0022_still_warns_because_running_builds_lack_the_fallback() =>
        AssertOne(Shipped.Replace("Gold, Silver", "Gold, Silver, Bronze, fallback Unknown"), SchemaDiagnosticIds.EnumMemberAddedWithoutFallback, "Bronze", "locked shape has no fallback");

    [Fact]
    public void Given_a_namespace_change_when_compared_then_CC0016_is_at_the_namespace() =>
        AssertOne(Shipped.Replace("namespace Shop;", "namespace Store;"), SchemaDiagnosticIds.LockedEventRemoved, "Store", "'Shop.Name'");

    [Fact]
    public void Given_a_changed_older_version_when_compared_then_the_advice_is_to_restore_it_not_to_add_a_version()
    {
        var shipped = Shipped.Replace("aggregate", "event Placed v2 { id: string }\nupcast Placed v1 -> v2\naggregate");

        var diagnostic = Assert.Single(Compare(shipped, shipped.Replace("note: string?", "note: int?")));

        Assert.Equal(SchemaDiagnosticIds.LockedFieldTypeChanged, diagnostic.Id);
        Assert.Contains("Restore 'event Placed v1' as locked", diagnostic.Message, StringComparison.Ordinal);
    }
}
