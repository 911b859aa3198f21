using Concordance.Schema.Syntax;

namespace Concordance.Schema.Tests;

public class CheckerTests
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

    private static IReadOnlyList<SchemaDiagnostic> Analyze(string text) => SchemaDocument.Analyze(text, "T.concordance").Diagnostics;

    /// <summary>Asserts exactly one diagnostic with <paramref name="id"/>, on the <paramref name="occurrence"/>-th whole-word <paramref name="target"/> of the text (1-based).</summary>
    private static SchemaDiagnostic AssertOne(string text, string id, string target, int occurrence, string messagePart)
    {
        var diagnostics = Analyze(text);
        var diagnostic = Assert.Single(diagnostics, d => d.Id == id);
        var match = System.Text.RegularExpressions.Regex.Matches(text, @"(?<![\w?])" + System.Text.RegularExpressions.Regex.Escape(target) + @"(?![\w?])")[occurrence - 1];
        Assert.Equal(new SourceSpan(match.Index, target.Length), diagnostic.Span);
        Assert.Contains(messagePart, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(id is SchemaDiagnosticIds.CommandNotHandled or SchemaDiagnosticIds.EventNeverEmitted ? SchemaSeverity.Warning : SchemaSeverity.Error, diagnostic.Severity);
        return diagnostic;
    }

    [Fact]
    public void Given_the_bank_sample_when_checked_then_there_are_no_diagnostics()
    {
        var document = SchemaDocument.Analyze(TestSchemas.Bank, "Bank.concordance");

        Assert.Empty(document.Diagnostics);
        Assert.False(document.HasErrors);
    }

    [Fact]
    public void Given_the_base_schema_when_checked_then_it_is_clean() => Assert.Empty(Analyze(Base));

    [Fact]
    public void Given_a_projector_declared_v0_when_checked_then_CC0012_points_at_the_version() =>
        AssertOne("namespace N;\nevent E { x: int }\ncommand C { x: int }\naggregate A { key x\nhandle C -> E }\nprojector P v0 { on E }",
            SchemaDiagnosticIds.VersionGap, "v0", 1, "versions count up from v1");

    [Fact]
    public void Given_a_syntax_error_when_analyzed_then_the_document_has_CC0001_and_semantic_diagnostics_together()
    {
        var document = SchemaDocument.Analyze(Base + "command Lost { id string }", "T.concordance");

        Assert.Contains(document.Diagnostics, d => d.Id == SchemaDiagnosticIds.SyntaxError);
        Assert.Contains(document.Diagnostics, d => d.Id == SchemaDiagnosticIds.CommandNotHandled);
        Assert.True(document.HasErrors);
    }

    [Fact]
    public void Given_an_unknown_field_type_when_checked_then_CC0002_names_type_field_and_owner()
    {
        AssertOne(Base + "record R { when: Tiemstamp }", SchemaDiagnosticIds.UnknownName, "Tiemstamp", 1, "Unknown type 'Tiemstamp' for field 'when' in record 'R'");
    }

    [Fact]
    public void Given_a_miscased_builtin_when_checked_then_CC0002_suggests_the_builtin()
    {
        AssertOne(Base + "record R { name: String }", SchemaDiagnosticIds.UnknownName, "String", 1, "did you mean 'string'?");
    }

    [Fact]
    public void Given_a_handle_of_an_unknown_command_when_checked_then_CC0002_points_at_it()
    {
        AssertOne(Base.Replace("handle Open -> Opened", "handle Open -> Opened\n    handle Close -> Opened"), SchemaDiagnosticIds.UnknownName, "Close", 1, "Unknown command 'Close' in 'handle' of aggregate 'Account'");
    }

    [Fact]
    public void Given_an_unknown_key_field_when_checked_then_CC0002_points_at_the_key()
    {
        AssertOne(Base.Replace("key id", "key accountId"), SchemaDiagnosticIds.UnknownName, "accountId", 1, "Key 'accountId' of aggregate 'Account' is not a field of any of its messages");
    }

    [Fact]
    public void Given_two_declarations_with_one_name_when_checked_then_CC0003_points_at_the_second()
    {
        AssertOne(Base + "record Opened { x: int }", SchemaDiagnosticIds.DuplicateName, "Opened", 3, "'Opened' is already declared as an event at line 3");
    }

    [Fact]
    public void Given_a_duplicate_field_when_checked_then_CC0003_names_field_and_owner()
    {
        AssertOne(Base + "record R { a: int, a: string }", SchemaDiagnosticIds.DuplicateName, "a", 2, "Field 'a' is declared twice in record 'R'");
    }

    [Fact]
    public void Given_a_duplicate_enum_member_when_checked_then_CC0003_names_the_member()
    {
        AssertOne(Base + "enum E { Red, Green, Red }", SchemaDiagnosticIds.DuplicateName, "Red", 2, "Enum 'E' already has the member 'Red'");
    }

    [Fact]
    public void Given_two_fallback_members_when_checked_then_CC0003_points_at_the_second()
    {
        AssertOne(Base + "enum E { Red, fallback Unknown, fallback Other }", SchemaDiagnosticIds.DuplicateName, "Other", 1, "Enum 'E' already has the fallback member 'Unknown'");
    }

    [Fact]
    public void Given_an_event_twice_in_one_handle_when_checked_then_CC0003_points_at_the_second()
    {
        AssertOne(Base.Replace("-> Opened", "-> Opened, Opened"), SchemaDiagnosticIds.DuplicateName, "Opened", 3, "Event 'Opened' is listed twice in 'handle Open'");
    }

    [Fact]
    public void Given_a_command_in_two_handle_clauses_when_checked_then_CC0003_says_to_merge_them()
    {
        AssertOne(Base.Replace("handle Open -> Opened", "handle Open -> Opened\n    handle Open -> Opened"), SchemaDiagnosticIds.DuplicateName, "Open", 3, "Aggregate 'Account' already handles command 'Open'");
    }

    [Fact]
    public void Given_the_same_event_version_twice_when_checked_then_CC0003_names_the_version()
    {
        AssertOne(Base + "event Opened v1 { id: string }", SchemaDiagnosticIds.DuplicateName, "Opened", 3, "Event 'Opened' v1 is already declared at line 3");
    }

    [Fact]
    public void Given_a_command_no_aggregate_handles_when_checked_then_CC0004_warns()
    {
        AssertOne(Base + "command Close { id: string }", SchemaDiagnosticIds.CommandNotHandled, "Close", 1, "Command 'Close' is not handled by any aggregate: add 'handle Close -> …'");
    }

    [Fact]
    public void Given_a_command_handled_by_two_aggregates_when_checked_then_CC0005_points_at_the_second()
    {
        AssertOne(Base + "event Seen { id: string }\naggregate Audit { key id\n handle Open -> Seen }", SchemaDiagnosticIds.CommandHandledTwice, "Open", 3, "Command 'Open' is already handled by aggregate 'Account' at line 6");
    }

    [Fact]
    public void Given_an_event_emitted_by_two_aggregates_when_checked_then_CC0006_points_at_the_second()
    {
        AssertOne(Base + "command Log { id: string }\naggregate Audit { key id\n handle Log -> Opened }", SchemaDiagnosticIds.EventEmittedTwice, "Opened", 3, "Event 'Opened' is already emitted by aggregate 'Account'");
    }

    [Fact]
    public void Given_an_aggregate_event_without_the_key_when_checked_then_CC0007_points_at_the_reference()
    {
        AssertOne(Base.Replace("event Opened { id: string }", "event Opened { name: string }"), SchemaDiagnosticIds.MissingAggregateKey, "Opened", 2, "Event 'Opened', a command or event of aggregate 'Account', has no key field 'id': add 'id: string'");
    }

    [Fact]
    public void Given_an_aggregate_event_with_the_key_of_another_type_when_checked_then_CC0007_names_both_types()
    {
        AssertOne(Base.Replace("event Opened { id: string }", "event Opened { id: int }"), SchemaDiagnosticIds.MissingAggregateKey, "Opened", 2, "has key field 'id' of type 'int' but the key's type is 'string' (in command 'Open')");
    }

    [Fact]
    public void Given_an_aggregate_without_a_key_clause_when_checked_then_CC0007_points_at_its_name()
    {
        AssertOne(Base.Replace("key id", ""), SchemaDiagnosticIds.MissingAggregateKey, "Account", 1, "Aggregate 'Account' has no 'key' clause");
    }

    private const string WithProcess = Base + """
        command Check { id: string, caseId: string }
        event Checked { caseId: string, id: string }
        event Done { caseId: string, id: string }
        aggregate Case { key caseId
            handle Check -> Checked, Done }
        process Review {
            key caseId
            start on Opened2
            on Checked
            end on Done
            send Check
        }
        event Opened2 { caseId: string }
        command Open2 { caseId: string }
        aggregate Starter { key caseId
            handle Open2 -> Opened2 }

        """;

    [Fact]
    public void Given_a_valid_process_when_checked_then_it_is_clean() => Assert.Empty(Analyze(WithProcess));

    [Fact]
    public void Given_a_process_event_without_the_process_key_when_checked_then_CC0008_points_at_it()
    {
        var text = WithProcess.Replace("on Checked", "on Checked, Opened");
        AssertOne(text, SchemaDiagnosticIds.MissingProcessKey, "Opened", 3, "Event 'Opened', which process 'Review' listens to, has no key field 'caseId'");
    }

    [Fact]
    public void Given_a_send_that_no_aggregate_handles_when_checked_then_CC0009_points_at_it()
    {
        AssertOne(WithProcess.Replace("send Check", "send Check, Close") + "command Close { caseId: string }", SchemaDiagnosticIds.SendNotHandled, "Close", 1, "Process 'Review' sends command 'Close' but no aggregate handles it");
    }

    [Fact]
    public void Given_a_gateway_that_sends_a_handled_command_when_checked_then_it_is_clean()
    {
        Assert.Empty(Analyze(Base + "event Paid { id: string }\ngateway Bank { on Opened\n emit Paid\n send Open }"));
    }

    [Fact]
    public void Given_a_gateway_send_that_no_aggregate_handles_when_checked_then_CC0009_points_at_it()
    {
        AssertOne(Base + "command Close { id: string }\ngateway Bank { on Opened\n send Open, Close }", SchemaDiagnosticIds.SendNotHandled, "Close", 2, "Gateway 'Bank' sends command 'Close' but no aggregate handles it");
    }

    [Fact]
    public void Given_a_gateway_send_of_an_unknown_command_when_checked_then_CC0002_suggests_the_declared_one()
    {
        AssertOne(Base + "gateway Bank { on Opened\n send open }", SchemaDiagnosticIds.UnknownName, "open", 1, "Unknown command 'open' in 'send' of gateway 'Bank': did you mean 'Open'?");
    }

    [Fact]
    public void Given_a_gateway_send_of_an_event_when_checked_then_CC0014_says_a_command_is_expected()
    {
        AssertOne(Base + "gateway Bank { on Opened\n send Opened }", SchemaDiagnosticIds.WrongKind, "Opened", 4, "'Opened' in 'send' of gateway 'Bank' is an event (declared at line 3), but a command is expected here");
    }

    [Fact]
    public void Given_a_command_listed_twice_in_a_gateway_send_when_checked_then_CC0003_points_at_the_second()
    {
        AssertOne(Base + "gateway Bank { on Opened\n send Open, Open }", SchemaDiagnosticIds.DuplicateName, "Open", 4, "Command 'Open' is listed twice in 'send' of gateway 'Bank'");
    }

    [Fact]
    public void Given_a_projector_on_an_event_nobody_emits_when_checked_then_CC0010_warns()
    {
        AssertOne(Base + "event Closed { id: string }\nprojector Ledger { on Opened, Closed }", SchemaDiagnosticIds.EventNeverEmitted, "Closed", 2, "Event 'Closed' in 'on' of projector 'Ledger' is never emitted");
    }

    [Fact]
    public void Given_a_gateway_emit_when_checked_then_its_event_counts_as_emitted()
    {
        Assert.Empty(Analyze(Base + "event Paid { id: string }\ngateway Bank { on Opened\n emit Paid }\nprojector Ledger { on Paid }"));
    }

    [Fact]
    public void Given_a_process_without_end_when_checked_then_CC0011_points_at_the_process()
    {
        AssertOne(WithProcess.Replace("end on Done", "on Done"), SchemaDiagnosticIds.UnreachableProcessEnd, "Review", 1, "Process 'Review' has no 'end on' clause");
    }

    [Fact]
    public void Given_a_process_ending_on_an_event_nobody_emits_when_checked_then_CC0011_points_at_the_event()
    {
        var text = WithProcess.Replace("end on Done", "end on Closed") + "event Closed { caseId: string }";
        AssertOne(text, SchemaDiagnosticIds.UnreachableProcessEnd, "Closed", 1, "End event 'Closed' of process 'Review' is never emitted");
    }

    [Fact]
    public void Given_an_event_version_gap_when_checked_then_CC0012_points_at_the_version()
    {
        AssertOne(Base + "event Opened v3 { id: string }", SchemaDiagnosticIds.VersionGap, "v3", 1, "Event 'Opened' v3 has no v2");
    }

    [Fact]
    public void Given_two_versions_without_upcast_when_checked_then_CC0012_asks_for_the_upcast()
    {
        AssertOne(Base + "event Opened v2 { id: string, name: string }", SchemaDiagnosticIds.VersionGap, "v2", 1, "add 'upcast Opened v1 -> v2'");
    }

    [Fact]
    public void Given_a_complete_version_chain_when_checked_then_it_is_clean()
    {
        Assert.Empty(Analyze(Base + "event Opened v2 { id: string }\nevent Opened v3 { id: string }\nupcast Opened v1 -> v2\nupcast Opened v2 -> v3"));
    }

    [Fact]
    public void Given_an_upcast_skipping_a_version_when_checked_then_CC0012_says_one_at_a_time()
    {
        var text = Base + "event Opened v2 { id: string }\nupcast Opened v1 -> v2\nupcast Opened v2 -> v4";
        AssertOne(text, SchemaDiagnosticIds.VersionGap, "Opened", 5, "an upcast goes one version at a time");
    }

    [Fact]
    public void Given_a_non_string_map_key_when_checked_then_CC0013_points_at_the_key_type()
    {
        AssertOne(Base + "record R { byId: map<int, string> }", SchemaDiagnosticIds.InvalidType, "int", 1, "Map key type 'int' of field 'byId' in record 'R' is not allowed");
    }

    [Fact]
    public void Given_a_doubly_nullable_type_when_checked_then_CC0013_points_at_the_type()
    {
        AssertOne(Base + "record R { note: string?? }", SchemaDiagnosticIds.InvalidType, "string??", 1, "Type 'string??' of field 'note' in record 'R' is nullable twice");
    }

    [Fact]
    public void Given_a_key_of_list_type_when_checked_then_CC0013_points_at_the_key()
    {
        var text = Base.Replace("{ id: string }", "{ id: list<string> }");
        AssertOne(text, SchemaDiagnosticIds.InvalidType, "id", 3, "has type 'list<string>'");
    }

    [Fact]
    public void Given_an_event_in_handle_command_position_when_checked_then_CC0014_names_both_kinds()
    {
        AssertOne(Base.Replace("handle Open -> Opened", "handle Open -> Opened\n    handle Opened -> Opened"), SchemaDiagnosticIds.WrongKind, "Opened", 3, "'Opened' in 'handle' of aggregate 'Account' is an event (declared at line 3), but a command is expected here");
    }

    [Fact]
    public void Given_a_record_in_on_when_checked_then_CC0014_points_at_it()
    {
        AssertOne(Base + "record Line { x: int }\nprojector P { on Opened, Line }", SchemaDiagnosticIds.WrongKind, "Line", 2, "'Line' in 'on' of projector 'P' is a record");
    }

    [Fact]
    public void Given_an_event_as_field_type_when_checked_then_CC0014_says_to_declare_a_record()
    {
        AssertOne(Base + "record R { last: Opened }", SchemaDiagnosticIds.WrongKind, "Opened", 3, "which is an event");
    }

    [Fact]
    public void Given_a_CSharp_keyword_as_a_name_when_checked_then_CC0015_points_at_it()
    {
        AssertOne(Base + "record class { x: int }", SchemaDiagnosticIds.InvalidName, "class", 1, "Record name 'class' is a C# keyword");
    }

    [Fact]
    public void Given_a_command_named_like_a_generated_decision_when_checked_then_CC0015_points_at_it()
    {
        var text = Base + "record OpenDecision { x: int }";
        AssertOne(text, SchemaDiagnosticIds.InvalidName, "OpenDecision", 1, "collides with a generated type of the same name (the decision type of 'handle Open' in aggregate 'Account')");
    }

    [Fact]
    public void Given_a_record_named_like_a_gateway_context_when_checked_then_CC0015_points_at_it()
    {
        var text = Base + "gateway Mailer { on Opened }\nrecord MailerGatewayContext { x: int }";
        AssertOne(text, SchemaDiagnosticIds.InvalidName, "MailerGatewayContext", 1, "collides with a generated type of the same name (the context of gateway 'Mailer')");
    }

    [Fact]
    public void Given_a_message_named_like_an_aggregate_base_when_checked_then_CC0015_points_at_it()
    {
        AssertOne(Base + "record AccountAggregateBase { x: int }", SchemaDiagnosticIds.InvalidName, "AccountAggregateBase", 1, "the base class of aggregate 'Account'");
    }

    [Fact]
    public void Given_fields_that_become_one_property_when_checked_then_CC0015_names_both()
    {
        AssertOne(Base + "record R { total: int, Total: int }", SchemaDiagnosticIds.InvalidName, "Total", 1, "Field 'Total' and field 'total' of record 'R' both become the C# property 'Total'");
    }

    [Fact]
    public void Given_every_diagnostic_when_checked_then_each_span_is_inside_the_text()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "Broken.concordance"));
        var diagnostics = Analyze(text);

        var ids = diagnostics.Select(d => d.Id).ToHashSet();
        for (var n = 1; n <= 15; n++) Assert.Contains("CC" + n.ToString("0000"), ids);
        Assert.All(diagnostics, d => Assert.InRange(d.Span.End, d.Span.Start, text.Length));
    }
}
