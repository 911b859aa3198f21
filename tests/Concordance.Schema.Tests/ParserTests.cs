using Concordance.Schema.Syntax;
using static Concordance.Schema.Tests.TestSchemas;

namespace Concordance.Schema.Tests;

public class ParserTests
{
    [Fact]
    public void Given_the_bank_sample_when_parsed_then_there_are_no_diagnostics_and_every_declaration_is_there()
    {
        var file = SchemaParser.Parse(Bank, "Bank.concordance");

        Assert.Empty(file.Diagnostics);
        Assert.Equal("Bank", file.Namespace?.Text);
        Assert.Equal("Bank.concordance", file.Path);
        Assert.Equal(7, file.Declarations.Count(d => d.Kind == DeclarationKind.Command));
        Assert.Equal(9, file.Declarations.Count(d => d.Kind == DeclarationKind.Event));
        Assert.Single(file.Declarations.OfType<EnumSyntax>());
        Assert.Single(file.Declarations.OfType<AggregateSyntax>());
        Assert.Single(file.Declarations.OfType<ProjectorSyntax>());
        Assert.Single(file.Declarations.OfType<ProcessSyntax>());
        Assert.Single(file.Declarations.OfType<GatewaySyntax>());
    }

    [Fact]
    public void Given_the_bank_sample_when_parsed_then_the_aggregate_has_its_key_state_and_handles()
    {
        var file = Parse(Bank);
        var account = Single<AggregateSyntax>(file, "BankAccount");

        Assert.Equal("accountNumber", account.Key?.Text);
        Assert.Equal(new[] { "balance", "minBalance", "customerId", "reservedFunds" }, account.State.Select(f => f.Name.Text));
        var reserved = account.State[3].Type!;
        Assert.Equal(TypeSyntaxKind.Map, reserved.Kind);
        Assert.Equal("string", reserved.Arguments[0].Name?.Text);
        Assert.Equal("decimal", reserved.Arguments[1].Name?.Text);
        Assert.Equal("map<string, decimal>", Bank.Substring(reserved.Span.Start, reserved.Span.Length));
        Assert.Equal(7, account.Handles.Count);
        Assert.Equal("WireFunds", account.Handles[3].Command.Text);
        Assert.Equal(new[] { "WireTransferInitiated" }, account.Handles[3].Events.Select(e => e.Text));
    }

    [Fact]
    public void Given_the_bank_sample_when_parsed_then_the_process_has_every_clause()
    {
        var process = Single<ProcessSyntax>(Parse(Bank), "InterbankTransfer");

        Assert.Equal("wireTransferId", process.Key?.Text);
        Assert.Equal(4, process.State.Count);
        Assert.Equal("TransferStatus", process.State[3].Type?.Name?.Text);
        Assert.Equal(new[] { "WireTransferInitiated" }, process.StartOn.Select(n => n.Text));
        Assert.Equal(new[] { "FundsReserved", "WireTransferSucceeded", "WireTransferFailed" }, process.On.Select(n => n.Text));
        Assert.Equal(new[] { "FundsCommitted", "FundsReleased" }, process.EndOn.Select(n => n.Text));
        Assert.Equal(new[] { "ReserveFunds", "CommitFunds", "ReleaseFunds" }, process.Send.Select(n => n.Text));
    }

    [Fact]
    public void Given_the_bank_sample_when_parsed_then_projector_gateway_and_enum_are_complete()
    {
        var file = Parse(Bank);

        Assert.Equal(6, Single<ProjectorSyntax>(file, "AccountLedger").On.Count);
        var gateway = Single<GatewaySyntax>(file, "WireNetwork");
        Assert.Equal(new[] { "FundsReserved" }, gateway.On.Select(n => n.Text));
        Assert.Equal(new[] { "WireTransferSucceeded", "WireTransferFailed" }, gateway.Emit.Select(n => n.Text));
        Assert.Equal(new[] { "Requested", "FundsReserved", "Completed", "Failed" },
            Single<EnumSyntax>(file, "TransferStatus").Members.Select(m => m.Name.Text));
    }

    [Fact]
    public void Given_a_gateway_with_send_clauses_when_parsed_then_its_commands_are_listed_in_order_beside_on_and_emit()
    {
        var file = Parse("namespace T;\ngateway Mailer {\n    send Notify, Remind\n    on SignedUp\n    emit Bounced\n    send Escalate\n}\n");

        Assert.Empty(file.Diagnostics);
        var gateway = Single<GatewaySyntax>(file, "Mailer");
        Assert.Equal(new[] { "Notify", "Remind", "Escalate" }, gateway.Send.Select(n => n.Text));
        Assert.Equal(new[] { "SignedUp" }, gateway.On.Select(n => n.Text));
        Assert.Equal(new[] { "Bounced" }, gateway.Emit.Select(n => n.Text));
    }

    [Fact]
    public void Given_a_gateway_send_without_a_name_when_parsed_then_CC0001_asks_for_a_command_and_the_next_clause_still_parses()
    {
        var file = Parse("namespace T;\ngateway Mailer {\n    send\n    emit Bounced\n}\n");

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(SchemaDiagnosticIds.SyntaxError, diagnostic.Id);
        Assert.Contains("Expected a command name after 'send' in gateway 'Mailer'", diagnostic.Message);
        Assert.Equal(new[] { "Bounced" }, Single<GatewaySyntax>(file, "Mailer").Emit.Select(n => n.Text));
    }

    [Fact]
    public void Given_doc_comments_when_parsed_then_they_attach_to_the_next_declaration()
    {
        var file = Parse(Bank);

        Assert.Equal("Opens a new account. Doc comments flow into the generated XML docs.", Single<MessageSyntax>(file, "CreateAccount").Doc);
        Assert.Equal("Outcomes reported by the external wire network.", Single<MessageSyntax>(file, "WireTransferSucceeded").Doc);
        Assert.Null(Single<MessageSyntax>(file, "DepositFunds").Doc);
    }

    [Fact]
    public void Given_multi_line_docs_on_fields_and_members_when_parsed_then_lines_join_with_newlines()
    {
        var file = Parse("""
            namespace N;
            /// First line.
            ///  Indented second line.
            record Address {
                /// The street.
                street: string, // not a doc
                //// not a doc either
                city: string
            }
            enum Color { /// Like the sky.
                Blue, Red }
            """);

        Assert.Empty(file.Diagnostics);
        var address = Single<MessageSyntax>(file, "Address");
        Assert.Equal("First line.\n Indented second line.", address.Doc);
        Assert.Equal("The street.", address.Fields[0].Doc);
        Assert.Null(address.Fields[1].Doc);
        Assert.Equal("Like the sky.", Single<EnumSyntax>(file, "Color").Members[0].Doc);
    }

    [Fact]
    public void Given_an_enum_with_a_fallback_member_when_parsed_then_only_that_member_is_the_fallback()
    {
        var file = Parse("""
            namespace N;
            enum Status { fallback, Active, /// Read for values this build does not know.
                fallback Unknown }
            """);

        Assert.Empty(file.Diagnostics);
        var status = Single<EnumSyntax>(file, "Status");
        Assert.Equal(new[] { "fallback", "Active", "Unknown" }, status.Members.Select(m => m.Name.Text));
        Assert.Equal(new[] { false, false, true }, status.Members.Select(m => m.IsFallback));
        Assert.Equal("Unknown", status.Fallback?.Name.Text);
        Assert.Equal("Read for values this build does not know.", status.Fallback?.Doc);
    }

    [Fact]
    public void Given_every_type_shape_when_parsed_then_the_type_tree_matches()
    {
        var file = Parse("""
            namespace N;
            record R { a: string, b: int?, c: list<Line>, d: map<string, list<decimal?>>, e: guid??, }
            """);

        Assert.Empty(file.Diagnostics);
        var fields = Single<MessageSyntax>(file, "R").Fields;
        Assert.Equal(TypeSyntaxKind.Named, fields[0].Type!.Kind);
        Assert.Equal(TypeSyntaxKind.Nullable, fields[1].Type!.Kind);
        Assert.Equal("int", fields[1].Type!.Arguments[0].Name?.Text);
        Assert.Equal(TypeSyntaxKind.List, fields[2].Type!.Kind);
        Assert.Equal("Line", fields[2].Type!.Arguments[0].Name?.Text);
        var map = fields[3].Type!;
        Assert.Equal(TypeSyntaxKind.Map, map.Kind);
        Assert.Equal(TypeSyntaxKind.Nullable, map.Arguments[1].Arguments[0].Kind);
        Assert.Equal(TypeSyntaxKind.Nullable, fields[4].Type!.Arguments[0].Kind);
    }

    [Fact]
    public void Given_versioned_events_and_an_upcast_when_parsed_then_versions_are_read()
    {
        const string text = """
            namespace N;
            event Created v1 { id: string }
            event Created v2 { id: string, name: string }
            upcast Created v1 -> v2
            """;
        var file = Parse(text);

        Assert.Empty(file.Diagnostics);
        var events = file.Declarations.OfType<MessageSyntax>().ToList();
        Assert.Equal(new int?[] { 1, 2 }, events.Select(e => e.Version));
        Assert.Equal(new SourceSpan(text.IndexOf("v1", StringComparison.Ordinal), 2), events[0].VersionSpan);
        var upcast = file.Declarations.OfType<UpcastSyntax>().Single();
        Assert.Equal(("Created", 1, 2), (upcast.Name.Text, upcast.From, upcast.To));
    }

    [Fact]
    public void Given_comments_and_semicolons_between_clauses_when_parsed_then_they_are_accepted()
    {
        var file = Parse("""
            namespace N; /* block
            comment */
            command C { id: string }
            event E { id: string }
            aggregate A { key id; state { n: int }; handle C -> E; }
            projector P { on E; on E }
            """);

        Assert.Empty(file.Diagnostics);
        Assert.Equal(2, Single<ProjectorSyntax>(file, "P").On.Count);
    }

    [Fact]
    public void Given_a_file_without_namespace_when_parsed_then_CC0001_hints_at_it_and_declarations_still_parse()
    {
        var file = Parse("command C { id: string }");

        Assert.Null(file.Namespace);
        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(SchemaDiagnosticIds.SyntaxError, diagnostic.Id);
        Assert.Equal(new SourceSpan(0, 7), diagnostic.Span);
        Assert.Contains("namespace Bank;", diagnostic.Message);
        Assert.Single(file.Declarations);
    }

    [Fact]
    public void Given_a_missing_colon_when_parsed_then_the_hint_names_the_field_and_the_type_is_still_read()
    {
        const string text = "namespace N;\ncommand Pay { amount decimal, note: string }";
        var file = Parse(text);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Contains("expected ':' after field name 'amount'", diagnostic.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(text.IndexOf("decimal", StringComparison.Ordinal), diagnostic.Span.Start);
        var pay = Single<MessageSyntax>(file, "Pay");
        Assert.Equal("decimal", pay.Fields[0].Type?.Name?.Text);
        Assert.Equal("note", pay.Fields[1].Name.Text);
    }

    [Fact]
    public void Given_an_unclosed_aggregate_when_parsed_then_the_hint_names_it_and_the_next_declaration_survives()
    {
        const string text = """
            namespace N;
            aggregate BankAccount {
                key id
                handle C -> E
            event E { id: string }
            """;
        var file = Parse(text);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Contains("expected '}' to close aggregate 'BankAccount'", diagnostic.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(text.IndexOf("event", StringComparison.Ordinal), diagnostic.Span.Start);
        Assert.Single(Single<AggregateSyntax>(file, "BankAccount").Handles);
        Assert.Single(Single<MessageSyntax>(file, "E").Fields);
    }

    [Fact]
    public void Given_a_broken_declaration_in_the_middle_when_parsed_then_the_others_are_all_in_the_tree()
    {
        var broken = Bank.Replace("command WithdrawFunds { accountNumber: string, amount: decimal,", "command WithdrawFunds { accountNumber: string, amount: $$ %% decimal :: ,", StringComparison.Ordinal);
        var file = Parse(broken);

        Assert.NotEmpty(file.Diagnostics);
        Assert.All(file.Diagnostics, d => Assert.Equal(SchemaDiagnosticIds.SyntaxError, d.Id));
        var clean = Parse(Bank);
        Assert.Equal(clean.Declarations.Select(d => d.Name.Text), file.Declarations.Select(d => d.Name.Text));
        Assert.Equal(7, Single<AggregateSyntax>(file, "BankAccount").Handles.Count);
        Assert.Equal(3, Single<ProcessSyntax>(file, "InterbankTransfer").Send.Count);
    }

    [Fact]
    public void Given_garbage_between_declarations_when_parsed_then_one_diagnostic_and_both_declarations()
    {
        const string text = "namespace N;\ncommand A { x: int }\n@@@ what is this ??? {{ }\ncommand B { y: int }";
        var file = Parse(text);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(new SourceSpan(text.IndexOf('@'), 3), diagnostic.Span);
        Assert.Equal(new[] { "A", "B" }, file.Declarations.Select(d => d.Name.Text));
    }

    [Fact]
    public void Given_a_projector_with_a_version_when_parsed_then_the_version_and_its_span_are_kept()
    {
        const string text = "namespace N;\nevent E { x: int }\nprojector P v2 { on E }\nprojector Q { on E }";
        var file = Parse(text);

        Assert.Empty(file.Diagnostics);
        var projector = Single<ProjectorSyntax>(file, "P");
        Assert.Equal(2, projector.Version);
        Assert.Equal(new SourceSpan(text.IndexOf("v2", StringComparison.Ordinal), 2), projector.VersionSpan);
        Assert.Equal(new[] { "E" }, projector.On.Select(o => o.Text));
        Assert.Equal(1, Single<ProjectorSyntax>(file, "Q").EffectiveVersion);
    }

    [Fact]
    public void Given_a_version_on_a_command_when_parsed_then_CC0001_says_only_events_are_versioned()
    {
        const string text = "namespace N;\ncommand C v2 { x: int }";
        var file = Parse(text);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(new SourceSpan(text.IndexOf("v2", StringComparison.Ordinal), 2), diagnostic.Span);
        Assert.Contains("Only events are versioned", diagnostic.Message);
        Assert.Null(Single<MessageSyntax>(file, "C").Version);
    }

    [Fact]
    public void Given_a_missing_comma_between_fields_when_parsed_then_both_fields_are_kept()
    {
        var file = Parse("namespace N;\nrecord R {\n  a: int\n  b: string\n}");

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Contains("Expected ',' after field 'a'", diagnostic.Message);
        Assert.Equal(2, Single<MessageSyntax>(file, "R").Fields.Count);
    }

    [Fact]
    public void Given_a_handle_without_arrow_when_parsed_then_the_hint_shows_the_form()
    {
        var file = Parse("namespace N;\naggregate A {\n  key id\n  handle C E\n}");

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Contains("Expected '->' after 'handle C'", diagnostic.Message);
        Assert.Equal("E", Single<AggregateSyntax>(file, "A").Handles[0].Events.Single().Text);
    }

    [Fact]
    public void Given_an_unterminated_block_comment_when_parsed_then_CC0001_points_at_its_start()
    {
        const string text = "namespace N;\ncommand C { x: int }\n/* never closed";
        var file = Parse(text);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(new SourceSpan(text.IndexOf("/*", StringComparison.Ordinal), 2), diagnostic.Span);
        Assert.Single(file.Declarations);
    }

    [Fact]
    public void Given_types_nested_past_the_limit_when_parsed_then_one_nesting_too_deep_diagnostic()
    {
        var text = "namespace N;\nrecord R { a: " + string.Concat(Enumerable.Repeat("list<", 10_000)) + "int" + new string('>', 10_000) + ", b: int }";
        var file = Parse(text);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Contains("nesting too deep", diagnostic.Message);
        Assert.Equal(new[] { "a", "b" }, Single<MessageSyntax>(file, "R").Fields.Select(f => f.Name.Text));
    }

    [Fact]
    public void Given_unclosed_nesting_past_the_limit_when_parsed_then_diagnostics_stay_few()
    {
        var text = "namespace N;\nrecord R { a: " + string.Concat(Enumerable.Repeat("map<string, ", 10_000)) + "\ncommand C { x: int }";
        var file = Parse(text);

        Assert.InRange(file.Diagnostics.Count, 1, 3);
        Assert.Single(Single<MessageSyntax>(file, "C").Fields);
    }

    [Fact]
    public void Given_a_huge_identifier_when_parsed_then_messages_shorten_it()
    {
        var huge = new string('x', 100_000);
        var file = Parse("namespace N;\ncommand C { " + huge + " }");

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.True(diagnostic.Message.Length < 300);
        Assert.Equal(huge, Single<MessageSyntax>(file, "C").Fields[0].Name.Text);
    }

    [Fact]
    public void Given_an_empty_file_when_parsed_then_only_the_namespace_is_missing()
    {
        var file = Parse("");

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(new SourceSpan(0, 0), diagnostic.Span);
        Assert.Empty(file.Declarations);
    }

    [Fact]
    public void Given_a_field_without_type_before_a_line_break_when_parsed_then_the_next_field_is_kept()
    {
        const string text = "namespace N;\nrecord R {\n  a:\n  b: int\n}";
        var file = Parse(text);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Contains("Expected a type for field 'a'", diagnostic.Message);
        Assert.Equal(new SourceSpan(text.IndexOf("a:", StringComparison.Ordinal) + 2, 0), diagnostic.Span);
        var fields = Single<MessageSyntax>(file, "R").Fields;
        Assert.Null(fields[0].Type);
        Assert.Equal("int", fields[1].Type?.Name?.Text);
    }
}
