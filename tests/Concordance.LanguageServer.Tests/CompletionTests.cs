using System.Text.Json.Nodes;

namespace Concordance.LanguageServer.Tests;

/// <summary>Completion by place. '|' in each text marks the cursor.</summary>
public sealed class CompletionTests(ShopWorkspace shop) : IClassFixture<ShopWorkspace>
{
    private int _documents;

    private async Task<List<string>> LabelsAsync(string textWithCursor)
    {
        textWithCursor = textWithCursor.Replace("\r\n", "\n");
        var cursor = textWithCursor.IndexOf('|');
        var text = textWithCursor.Remove(cursor, 1);
        var uri = await shop.OpenScratchAsync("Completion" + Interlocked.Increment(ref _documents), text);
        var result = await shop.Client.ResultAsync("textDocument/completion", TestWorkspace.At(uri, TestWorkspace.Find(textWithCursor, "|")));
        return result!["items"]!.AsArray().OrderBy(i => (string?)i!["sortText"], StringComparer.Ordinal).Select(i => (string)i!["label"]!).ToList();
    }

    [Fact]
    public async Task At_the_top_level_the_declaration_keywords_are_offered()
    {
        var labels = await LabelsAsync("namespace Shop;\n|\n");
        Assert.Superset(new HashSet<string> { "command", "event", "record", "enum", "aggregate", "projector", "process", "gateway", "upcast" }, labels.ToHashSet());
        Assert.DoesNotContain("handle", labels);
    }

    [Fact]
    public async Task In_a_component_its_clause_keywords_are_offered()
    {
        Assert.Equal(["handle", "key", "state"], (await LabelsAsync("namespace Shop;\naggregate A {\n    |\n}\n")).Order());
        Assert.Equal(["end on", "key", "on", "send", "start on", "state"], (await LabelsAsync("namespace Shop;\nprocess P {\n    key orderId\n    |\n}\n")).Order());
        Assert.Equal(["emit", "on", "send"], (await LabelsAsync("namespace Shop;\ngateway G {\n    |\n}\n")).Order());
    }

    [Fact]
    public async Task After_a_colon_built_in_types_and_the_records_and_enums_of_the_namespace_are_offered()
    {
        var labels = await LabelsAsync("namespace Shop;\nrecord R { at: | }\n");
        Assert.Superset(new HashSet<string> { "string", "timestamp", "guid", "bytes", "list", "map", "Line", "Priority" }, labels.ToHashSet());
        Assert.DoesNotContain("OpenOrder", labels);
        Assert.Contains("Line", await LabelsAsync("namespace Shop;\nrecord R { at: map<string, |> }\n"));
    }

    [Fact]
    public async Task After_handle_the_commands_are_offered_those_no_aggregate_handles_first()
    {
        var labels = await LabelsAsync("namespace Shop;\ncommand Refund { orderId: string }\naggregate A {\n    key orderId\n    handle |\n}\n");
        Assert.Equal("Refund", labels[0]);
        Assert.Superset(new HashSet<string> { "OpenOrder", "CloseOrder", "Charge" }, labels.ToHashSet());
        Assert.DoesNotContain("OrderOpened", labels);
    }

    [Theory]
    [InlineData("aggregate A {\n    key orderId\n    handle OpenOrder -> |\n}")]
    [InlineData("aggregate A {\n    key orderId\n    handle OpenOrder -> OrderOpened, |\n}")]
    [InlineData("projector P {\n    on |\n}")]
    [InlineData("process P {\n    key orderId\n    start on |\n}")]
    [InlineData("process P {\n    key orderId\n    end on OrderOpened, |\n}")]
    [InlineData("gateway G {\n    emit |\n}")]
    [InlineData("upcast |")]
    public async Task Where_an_event_is_expected_the_events_are_offered(string body)
    {
        var labels = await LabelsAsync("namespace Shop;\n" + body + "\n");
        Assert.Superset(new HashSet<string> { "OrderOpened", "OrderClosed", "Charged" }, labels.ToHashSet());
        Assert.DoesNotContain("OpenOrder", labels);
        Assert.DoesNotContain("Line", labels);
    }

    [Theory]
    [InlineData("process P {\n    key orderId\n    send Charge, |\n}")]
    [InlineData("gateway G {\n    on OrderOpened\n    send |\n}")]
    public async Task After_send_in_a_process_or_a_gateway_the_commands_are_offered(string body)
    {
        var labels = await LabelsAsync("namespace Shop;\n" + body + "\n");
        Assert.Superset(new HashSet<string> { "OpenOrder", "CloseOrder", "Charge" }, labels.ToHashSet());
        Assert.DoesNotContain("Charged", labels);
    }

    [Fact]
    public async Task After_key_the_fields_of_the_components_messages_are_offered_those_all_carry_first()
    {
        var labels = await LabelsAsync("namespace Shop;\naggregate A {\n    key |\n    handle OpenOrder -> OrderOpened\n}\n");
        Assert.True(labels.IndexOf("orderId") >= 0 && labels.IndexOf("orderId") < labels.IndexOf("priority"), string.Join(", ", labels));
        Assert.Contains("customer", labels);
        Assert.DoesNotContain("amount", labels);
    }

    [Fact]
    public async Task Mid_word_in_a_document_a_keystroke_broke_the_names_of_the_last_good_parse_are_still_offered()
    {
        var good = "namespace Mid;\naggregate L {\n    key id\n}\ncommand Local { id: string }\n";
        var uri = await shop.OpenScratchAsync("MidWord", good);
        // The user types 'handle Lo' and, below, an unterminated comment swallows the rest of the file.
        var broken = "namespace Mid;\naggregate L {\n    key id\n    handle Lo\n/* unfinished\n}\ncommand Local { id: string }\n";
        await shop.Client.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = 2 },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = broken }),
        });
        Assert.Contains(await shop.Client.DiagnosticsAsync(uri, 2), d => (string?)d!["code"] == "CC0001");
        var result = await shop.Client.ResultAsync("textDocument/completion", TestWorkspace.At(uri, TestWorkspace.Find(broken, "handle Lo", 0, "handle Lo".Length)));
        Assert.Contains(result!["items"]!.AsArray(), i => (string?)i!["label"] == "Local");
    }
}
