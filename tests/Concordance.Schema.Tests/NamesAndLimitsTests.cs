using System.Globalization;
using System.Text;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Tests;

/// <summary>Names C# or .NET metadata cannot take, and schemas too large for the compiler, are schema errors at their place.</summary>
public sealed class NamesAndLimitsTests
{
    private const string Base = """
        namespace T;
        command Open { id: string }
        event Opened { id: string }
        aggregate Account {
            key id
            handle Open -> Opened
        }

        """;

    private static IReadOnlyList<SchemaDiagnostic> Analyze(string text, string path = "T.concordance") => SchemaDocument.Analyze(text, path).Diagnostics;

    private static SourceSpan SpanOf(string text, string target) => new(text.IndexOf(target, StringComparison.Ordinal), target.Length);

    [Theory]
    [InlineData("clone", "Clone")]
    [InlineData("referenceEquals", "ReferenceEquals")]
    [InlineData("equalityContract", "EqualityContract")]
    public void Given_a_field_that_becomes_a_member_records_have_when_checked_then_CC0015_is_at_the_field(string field, string property)
    {
        var text = Base + "event Done { id: string, " + field + ": string }\n";

        var diagnostic = Assert.Single(Analyze(text), d => d.Id == SchemaDiagnosticIds.InvalidName);

        Assert.Equal(SpanOf(text, field + ":") with { Length = field.Length }, diagnostic.Span);
        Assert.Contains("becomes the property '" + property + "', which every generated record already has", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_record_named_Testing_beside_an_aggregate_when_checked_then_CC0015_says_the_test_scenarios_namespace_takes_the_name()
    {
        var text = Base + "record Testing { x: int }\n";

        var diagnostic = Assert.Single(Analyze(text), d => d.Id == SchemaDiagnosticIds.InvalidName);

        Assert.Equal(SpanOf(text, "Testing"), diagnostic.Span);
        Assert.Contains("the namespace of the test scenario of aggregate 'Account'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Empty(Analyze("namespace T;\nrecord Testing { x: int }\n"));
    }

    [Fact]
    public void Given_a_projector_whose_base_fits_but_whose_scenario_does_not_when_checked_then_CC0027_names_the_scenario()
    {
        // T. + name + ProjectorBase fits in 1,023 bytes; T.Testing. + name + Scenario does not.
        var name = "P" + new string('p', 1023 - 2 - 13 - 1);
        var text = Base + "projector " + name + " { on Opened }\n";

        var diagnostic = Assert.Single(Analyze(text), d => d.Id == SchemaDiagnosticIds.NameTooLong);

        Assert.Equal(SpanOf(text, name), diagnostic.Span);
        Assert.StartsWith("The test scenario of projector", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_record_name_of_2000_characters_when_checked_then_CC0027_is_at_the_name_and_names_the_limit()
    {
        var name = "R" + new string('a', 1999);
        var text = Base + "record " + name + " { x: int }\n";

        var diagnostic = Assert.Single(Analyze(text), d => d.Id == SchemaDiagnosticIds.NameTooLong);

        Assert.Equal(SpanOf(text, name), diagnostic.Span);
        Assert.Equal(SchemaSeverity.Error, diagnostic.Severity);
        Assert.Contains("takes 2,002 bytes, over the limit of 1,023 bytes (CS7013)", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_record_name_whose_converter_alone_is_too_long_when_checked_then_CC0027_names_the_converter()
    {
        // T. + name + JsonConverter = 1,024 bytes: the record fits, its converter does not.
        var name = "R" + new string('a', 1023 - 2 - 13);
        var text = Base + "record " + name + " { x: int }\n";

        var diagnostic = Assert.Single(Analyze(text), d => d.Id == SchemaDiagnosticIds.NameTooLong);

        Assert.Equal(SpanOf(text, name), diagnostic.Span);
        Assert.Contains("' takes 1,024 bytes", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_names_that_fit_the_metadata_limit_when_checked_then_nothing_is_reported()
    {
        var name = "R" + new string('a', 1023 - 2 - 13 - 1);
        var field = "f" + new string('b', 1023 - 32 - 1);

        Assert.Empty(Analyze(Base + "record " + name + " { " + field + ": int }\n"));
    }

    [Fact]
    public void Given_a_field_name_too_long_for_its_property_when_checked_then_CC0027_is_at_the_field()
    {
        var field = "f" + new string('b', 1023 - 32);
        var text = Base + "record R { " + field + ": int }\n";

        var diagnostic = Assert.Single(Analyze(text), d => d.Id == SchemaDiagnosticIds.NameTooLong);

        Assert.Equal(SpanOf(text, field), diagnostic.Span);
        Assert.StartsWith("Field 'fbbb", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("so at most 991 bytes", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_namespace_too_long_for_the_schema_class_when_checked_then_one_CC0027_is_at_the_namespace()
    {
        var ns = "N" + new string('a', 1020);
        var text = "namespace " + ns + ";\nrecord R { x: int }\n";

        var diagnostic = Assert.Single(Analyze(text), d => d.Id == SchemaDiagnosticIds.NameTooLong);

        Assert.Equal(SpanOf(text, ns), diagnostic.Span);
        Assert.Contains("shorten the namespace", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_enum_member_name_too_long_when_checked_then_CC0027_is_at_the_member()
    {
        var member = "M" + new string('m', 1000);
        var text = Base + "enum Shade { Light, " + member + " }\n";

        var diagnostic = Assert.Single(Analyze(text), d => d.Id == SchemaDiagnosticIds.NameTooLong);

        Assert.Equal(SpanOf(text, member), diagnostic.Span);
    }

    [Fact]
    public void Given_a_schema_whose_generated_literals_exceed_the_compilers_limit_when_checked_then_CC0028_is_at_the_namespace()
    {
        // 20,000 distinct field names of 400 characters, each quoted as a JSON name and twice for ToString: about 48 MB of UTF-16 literals.
        var text = LargeSchema(records: 1_000, fields: 20, nameLength: 400);

        var diagnostic = Assert.Single(Analyze(text, "Big.concordance"), d => d.Id == SchemaDiagnosticIds.CompilerLimitExceeded);

        Assert.Equal(SpanOf(text, "Big"), diagnostic.Span);
        Assert.Contains("over the C# compiler's limit of 16,777,215 bytes (0xFFFFFF, CS8103)", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_6215_record_schema_of_ordinary_names_when_checked_then_CC0028_is_not_reported()
    {
        // Its field names repeat from record to record, and the compiler keeps each distinct literal once.
        Assert.DoesNotContain(Analyze(LargeSchema(records: 6_215, fields: 20), "Big.concordance"), d => d.Id == SchemaDiagnosticIds.CompilerLimitExceeded);
    }

    [Fact]
    public void Given_a_schema_of_exactly_the_build_size_limit_when_checked_then_CC0029_is_not_reported()
    {
        var text = SchemaOfBuildSize(SchemaTypeNames.MaxBuildSize);

        Assert.Equal(SchemaTypeNames.MaxBuildSize, SchemaTypeNames.Of(SchemaParser.Parse(text, "Big.concordance")).BuildSize);
        Assert.DoesNotContain(Analyze(text, "Big.concordance"), d => d.Id == SchemaDiagnosticIds.SchemaTooLargeToBuild);
    }

    [Fact]
    public void Given_a_schema_one_field_over_the_build_size_limit_when_checked_then_CC0029_is_at_the_declaration_that_passes_it()
    {
        var text = SchemaOfBuildSize(SchemaTypeNames.MaxBuildSize + 1);
        var last = text.Substring(text.LastIndexOf("record ", StringComparison.Ordinal) + "record ".Length).Split(' ')[0];

        var diagnostic = Assert.Single(Analyze(text, "Big.concordance"), d => d.Id == SchemaDiagnosticIds.SchemaTooLargeToBuild);

        Assert.Equal(SchemaSeverity.Error, diagnostic.Severity);
        Assert.Equal(new SourceSpan(text.LastIndexOf(last, StringComparison.Ordinal), last.Length), diagnostic.Span);
        Assert.Contains(" together; the limit is " + SchemaTypeNames.MaxBuildSize.ToString("N0", CultureInfo.InvariantCulture) + " for a project", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("record '" + last + "' is the first declaration past the limit", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_issues_6215_record_schema_when_checked_then_CC0029_names_its_fields_its_types_and_the_limit()
    {
        var text = LargeSchema(records: 6_215, fields: 20);

        var diagnostic = Assert.Single(Analyze(text, "Big.concordance"), d => d.Id == SchemaDiagnosticIds.SchemaTooLargeToBuild);

        // 20 fields and 2 types (the record, its converter) per record, and the schema class: record 1,090 passes 24,000.
        Assert.Equal(
            "This schema is too large to build in one project: 124,300 fields and 12,431 generated C# types, 136,731 together; the limit is 24,000 for a project "
            + "(past it the C# compiler needs more than 2 GB of memory to compile the generated code); record 'Record1090' is the first declaration past the limit: "
            + "split its messages across several projects.",
            diagnostic.Message);
        Assert.Equal(new SourceSpan(text.IndexOf("Record1090 ", StringComparison.Ordinal), "Record1090".Length), diagnostic.Span);
    }

    [Fact]
    public void Given_a_command_an_event_and_an_aggregate_when_sized_then_each_generated_type_and_field_counts()
    {
        var size = SchemaTypeNames.Of(SchemaParser.Parse(Base + "event Closed v1 { id: string, at: timestamp }\nevent Closed v2 { id: string }\nupcast Closed v1 -> v2\n", "T.concordance"));

        // Types: the schema class; Open, Opened, Closed, ClosedV1, each with its converter; AccountAggregateBase, AccountState
        // and its converter, AccountScenario, OpenDecision. Fields: Open 1, Opened 1, Closed v1 2, v2 1, the empty state 0.
        Assert.Equal(14, size.GeneratedTypeCount);
        Assert.Equal(5, size.Fields);
        Assert.Equal(19, size.BuildSize);
    }

    /// <summary>A schema whose fields and generated types come to exactly <paramref name="size"/>: records of 20 fields (22 each, with the record's converter), one with what remains.</summary>
    internal static string SchemaOfBuildSize(int size)
    {
        var remaining = size - 1; // the schema class
        var sb = new StringBuilder("namespace Big;\n");
        var r = 0;
        while (remaining > 0)
        {
            // A record is its fields and two types; the last one takes what remains (up to 21 fields).
            var fields = remaining >= 24 ? 20 : remaining - 2;
            sb.Append("record Record").Append(r++).Append(" { ");
            for (var f = 0; f < fields; f++) sb.Append(f == 0 ? "" : ", ").Append("field").Append(f).Append(": string");
            sb.Append(" }\n");
            remaining -= fields + 2;
        }
        return sb.ToString();
    }

    /// <summary>
    /// Records of string and decimal fields: with the default <paramref name="nameLength"/>, the issue's shape (ordinary
    /// names, the same in every record); with a longer one, names distinct per record, padded to that length.
    /// </summary>
    internal static string LargeSchema(int records, int fields, int nameLength = 0)
    {
        var sb = new StringBuilder("namespace Big;\n");
        for (var r = 0; r < records; r++)
        {
            sb.Append("record Record").Append(r).Append(" { ");
            for (var f = 0; f < fields; f++)
            {
                var name = nameLength == 0 ? "field" + f : ("field" + f + "_" + r + "_").PadRight(nameLength, 'x');
                sb.Append(f == 0 ? "" : ", ").Append(name).Append(f % 2 == 0 ? ": string" : ": decimal");
            }
            sb.Append(" }\n");
        }
        return sb.ToString();
    }
}
