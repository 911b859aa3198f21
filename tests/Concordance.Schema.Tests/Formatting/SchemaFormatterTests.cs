using Concordance.Schema.Formatting;

namespace Concordance.Schema.Tests.Formatting;

/// <summary>The canonical layout, example by example.</summary>
public sealed class SchemaFormatterTests
{
    [Fact]
    public void A_short_message_is_written_on_one_line_with_single_spaces()
    {
        Assert.Equal(
            "namespace Shop;\n\ncommand Pay { orderId: string, amount: decimal, tags: map<string, list<int?>> }\n",
            SchemaFormatter.Format("namespace   Shop ;\ncommand Pay{orderId:string,\n   amount : decimal,tags:map< string,list <int ? > >,}"));
    }

    [Fact]
    public void A_message_too_long_for_one_line_gets_one_field_per_line()
    {
        var fields = string.Join(", ", Enumerable.Range(1, 9).Select(i => $"someRatherLongFieldName{i}: string"));
        var formatted = SchemaFormatter.Format($"namespace Shop;\nevent Placed v2 {{ {fields} }}\n");
        Assert.Equal(
            "namespace Shop;\n\nevent Placed v2 {\n" + string.Join(",\n", Enumerable.Range(1, 9).Select(i => $"    someRatherLongFieldName{i}: string")) + "\n}\n",
            formatted);
    }

    [Fact]
    public void A_comment_inside_a_message_puts_one_field_per_line_and_stays_where_it_was()
    {
        Assert.Equal(
            "namespace Shop;\n\n/// Pays an order.\ncommand Pay {\n    /// The order.\n    orderId: string, // the key\n    amount: decimal /* in euros */\n}\n",
            SchemaFormatter.Format("namespace Shop;\n/// Pays an order.\ncommand Pay {\n  /// The order.\norderId: string, // the key\namount: decimal /* in euros */ }"));
    }

    [Fact]
    public void A_component_has_one_clause_per_line_and_loses_its_optional_semicolons()
    {
        Assert.Equal(
            "namespace Shop;\n\naggregate Order {\n    key orderId\n    state { total: decimal }\n    handle Pay -> Paid, Noted\n}\n\nprojector Sales {\n    on Paid\n}\n",
            SchemaFormatter.Format("namespace Shop;\naggregate Order { key orderId; state {total:decimal}; handle Pay->Paid,Noted; }\nprojector Sales { on Paid }"));
    }

    [Fact]
    public void Blank_lines_between_declarations_are_kept_once_and_added_around_a_declaration_of_several_lines()
    {
        Assert.Equal(
            "namespace Shop;\n\ncommand A { id: string }\ncommand B { id: string }\n\ncommand C { id: string }\n\ngateway G {\n    on X\n    emit Y\n    send A\n}\nupcast X v1 -> v2\n".Replace("}\nupcast", "}\n\nupcast"),
            SchemaFormatter.Format("namespace Shop;\ncommand A { id: string }\ncommand B { id: string }\n\n\n\ncommand C { id: string }\ngateway G { on X\nemit Y\nsend A }\nupcast X v1 -> v2;"));
    }

    [Fact]
    public void Windows_line_breaks_stay_windows_line_breaks()
    {
        Assert.Equal("namespace Shop;\r\n\r\nenum Colour { Red, Green, fallback Unknown }\r\n",
            SchemaFormatter.Format("namespace Shop;\r\nenum Colour {Red,Green,fallback Unknown,}\r\n"));
    }

    [Fact]
    public void A_schema_with_a_syntax_error_is_not_formatted_and_the_error_says_where()
    {
        const string broken = "namespace Shop;\ncommand Pay { id string }\n";
        var error = Assert.Throws<SchemaFormatException>(() => SchemaFormatter.Format(broken));
        var diagnostic = Assert.Single(error.Errors);
        Assert.Equal(SchemaDiagnosticIds.SyntaxError, diagnostic.Id);
        Assert.False(SchemaFormatter.TryFormat(broken, out var formatted, out _));
        Assert.Equal(broken, formatted);
        Assert.False(SchemaFormatter.IsFormatted(broken));
    }

    [Fact]
    public void A_doc_comment_before_a_dropped_semicolon_keeps_the_semicolon_so_the_doc_does_not_move_to_the_next_declaration()
    {
        const string text = "namespace Shop;\n\nupcast X v1 -> v2\n/// not a doc of Pay\n;\ncommand Pay { id: string }\n";
        var formatted = SchemaFormatter.Format(text);
        Assert.Null(SchemaParser.Parse(formatted, "x").Declarations.Single(d => d.Name.Text == "Pay").Doc);
        Assert.Equal(formatted, SchemaFormatter.Format(formatted));
    }
}
