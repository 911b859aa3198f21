using Concordance.Schema.Locking;
using Concordance.Schema.Syntax;
using Concordance.Schema.Tests.Mutations;

namespace Concordance.Schema.Tests.Locking;

/// <summary>The lock file format: what a schema's lock holds, written and read back.</summary>
public sealed class SchemaLockFormatTests
{
    private const string Shop = """
        namespace Shop;
        command Place { id: string }
        event Placed { id: string, lines: list<Line>, tier: Tier? }
        event Placed v2 { id: string, lines: list<Line>, tier: Tier?, notes: map<string, string?> }
        upcast Placed v1 -> v2
        record Line { sku: string, price: Money, quantity: int }
        record Money { amount: decimal, currency: Currency }
        record Unused { x: int }
        enum Currency { Eur, Usd }
        enum Tier { Gold, Silver, fallback Unknown }
        enum Color { Red }
        aggregate Order { key id handle Place -> Placed }
        """;

    private static string Lock(string schema) =>
        SchemaLockWriter.Write(SchemaLockBuilder.Build(SchemaParser.Parse(schema, "Shop.concordance")), "Shop.concordance");

    [Fact]
    public void Given_a_schema_with_versions_records_and_enums_when_locked_then_the_text_holds_every_event_version_what_it_uses_and_the_upcasts()
    {
        var text = Lock(Shop);

        Assert.Equal("""
            # The shipped wire shape of the events of Shop.concordance: every event version,
            # the records and enums they use, and the upcasts between versions. Check it in.
            # The build fails when the schema would no longer read events recorded here.
            # Update it on purpose only: dotnet build -p:ConcordanceUpdateLock=true
            concordance-lock 1
            namespace Shop

            event Placed v1
              id: string
              lines: list<Line>
              tier: Tier?

            event Placed v2
              id: string
              lines: list<Line>
              tier: Tier?
              notes: map<string, string?>

            upcast Placed v1 -> v2

            record Line
              sku: string
              price: Money
              quantity: int

            record Money
              amount: decimal
              currency: Currency

            enum Currency
              Eur
              Usd

            enum Tier
              Gold
              Silver
              fallback Unknown

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Given_a_schema_whose_declarations_move_when_locked_then_the_text_is_the_same()
    {
        var moved = """
            namespace Shop;
            enum Tier { Gold, Silver, fallback Unknown }
            record Money { amount: decimal, currency: Currency }
            upcast Placed v1 -> v2
            event Placed v2 { id: string, lines: list<Line>, tier: Tier?, notes: map<string, string?> }
            enum Currency { Eur, Usd }
            record Line { sku: string, price: Money, quantity: int }
            event Placed { id: string, lines: list<Line>, tier: Tier? }
            command Place { id: string }
            aggregate Order { key id handle Place -> Placed }
            """;

        Assert.Equal(Lock(Shop), Lock(moved));
    }

    [Fact]
    public void Given_a_written_lock_when_read_and_written_again_then_the_text_is_unchanged()
    {
        var text = Lock(Shop);

        var read = SchemaLockReader.Read(text);

        Assert.Empty(read.Diagnostics);
        Assert.Equal(text, SchemaLockWriter.Write(read.Lock!, "Shop.concordance"));
    }

    [Fact]
    public void Given_a_lock_with_windows_line_ends_when_read_then_it_reads_as_the_same_lock()
    {
        var text = Lock(Shop);

        var read = SchemaLockReader.Read(text.Replace("\n", "\r\n"));

        Assert.Empty(read.Diagnostics);
        Assert.Equal(text, SchemaLockWriter.Write(read.Lock!, "Shop.concordance"));
    }

    [Fact]
    public void Given_a_lock_saved_with_a_byte_order_mark_when_read_then_it_reads_as_the_same_lock()
    {
        var text = Lock(Shop);

        var read = SchemaLockReader.Read("\uFEFF" + text);

        Assert.Empty(read.Diagnostics);
        Assert.Equal(text, SchemaLockWriter.Write(read.Lock!, "Shop.concordance"));
    }

    [Fact]
    public void Given_a_read_lock_when_inspected_then_types_keep_nullability_lists_maps_and_the_enum_fallback()
    {
        var read = SchemaLockReader.Read(Lock(Shop)).Lock!;

        var notes = read.Events.Single(e => e.Version == 2).Fields.Single(f => f.Name == "notes").Type;
        Assert.Equal(LockedTypeKind.Map, notes.Kind);
        Assert.Equal(LockedType.Nullable(LockedType.Named("string")), notes.Arguments[1]);
        Assert.Equal("Unknown", read.Enums.Single(e => e.Name == "Tier").Fallback);
        Assert.Equal(new LockedUpcast("Placed", 1, 2), Assert.Single(read.Upcasts));
        Assert.Equal("Shop", read.Namespace);
    }

    [Theory]
    [InlineData("concordance-lock 1\nnamespace Shop\n\nevent Placed v1\n  id: string\nfrobnicate Placed\n", 6, "Expected a declaration")]
    [InlineData("concordance-lock 1\nevent Placed v1\n  id string\n", 3, "Expected a field")]
    [InlineData("concordance-lock 1\nevent Placed v1\n  lines: list<Line\n", 3, "Expected a field")]
    [InlineData("concordance-lock 1\n  id: string\n", 2, "belongs under an 'event', 'record' or 'enum' line")]
    [InlineData("concordance-lock 1\nevent Placed v1\nevent Placed v1\n", 3, "listed twice")]
    [InlineData("concordance-lock 1\nevent Placed v0\n", 2, "Expected a declaration")]
    [InlineData("concordance-lock 1\nenum Tier\n  fallback A\n  fallback B\n", 4, "two fallback members")]
    [InlineData("concordance-lock 1\nupcast Placed v1 v2\n", 2, "Expected a declaration")]
    [InlineData("# comment\n{ \"not\": \"a lock\" }\n", 2, "not a Concordance lock")]
    [InlineData("concordance-lock 9\n", 1, "format 9")]
    [InlineData("", 1, "empty")]
    public void Given_a_malformed_lock_when_read_then_CC0024_points_at_the_bad_line_and_no_lock_is_returned(string text, int line, string messagePart)
    {
        var read = SchemaLockReader.Read(text);

        var diagnostic = Assert.Single(read.Diagnostics);
        Assert.Equal(SchemaDiagnosticIds.MalformedLock, diagnostic.Id);
        Assert.Equal(SchemaSeverity.Error, diagnostic.Severity);
        Assert.Equal(line - 1, read.Lines.GetPosition(diagnostic.Span.Start).Line);
        Assert.Contains(messagePart, diagnostic.Message, StringComparison.Ordinal);
        Assert.Null(read.Lock);
    }

    [Fact]
    public void Given_thousands_of_mutated_and_truncated_locks_when_read_then_the_reader_never_throws_and_spans_stay_inside()
    {
        var text = Lock(Shop);
        var inputs = SchemaMutator.Variants(text, 3_000, seed: 13).Concat(SchemaMutator.Truncations(text, 3))
            .Append(new string('<', 10_000)).Append("concordance-lock 1\nevent E v1\n  x: " + string.Concat(Enumerable.Repeat("list<", 5_000)) + "int" + new string('>', 5_000));

        foreach (var input in inputs)
        {
            var read = SchemaLockReader.Read(input);
            Assert.True(read.Lock is not null || read.Diagnostics.Count > 0, input);
            Assert.All(read.Diagnostics, d => Assert.True(d.Span.Start >= 0 && d.Span.End <= input.Length, input));
        }
    }
}
