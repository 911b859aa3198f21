using System.Text.Json.Nodes;

namespace Concordance.LanguageServer.Tests;

/// <summary>Hover, outline, semantic tokens, folding and quick fixes on the Shop project.</summary>
public sealed class EditorFeatureTests(ShopWorkspace shop) : IClassFixture<ShopWorkspace>
{
    private async Task<string> HoverAsync(string uri, (int Line, int Character) at) =>
        (string)(await shop.Client.ResultAsync("textDocument/hover", TestWorkspace.At(uri, at)))!["contents"]!["value"]!;

    [Fact]
    public async Task Hover_on_a_command_shows_its_doc_its_declaration_and_the_record_and_handler_the_generator_writes()
    {
        var generated = GeneratedCode.For(shop.OrdersPath, ShopWorkspace.Orders);
        var hover = await HoverAsync(shop.OrdersUri, TestWorkspace.Find(ShopWorkspace.Orders, "command OpenOrder", 0, 9));
        Assert.Contains("Opens an order.", hover);
        Assert.Contains("```concordance\ncommand OpenOrder { orderId: string, customer: string, lines: list<Line>, priority: Priority }\n```", hover);
        var record = GeneratedCode.Line(generated, "public sealed partial record OpenOrder(");
        Assert.Contains(record.TrimEnd('{', ' ').TrimEnd(';') + ";", hover);
        Assert.Contains(GeneratedCode.Line(generated, "public abstract OpenOrderDecision Handle("), hover);
    }

    [Fact]
    public async Task Hover_on_an_aggregate_reference_shows_the_base_class_with_every_Handle_and_Apply_the_generator_writes()
    {
        var generated = GeneratedCode.For(shop.OrdersPath, ShopWorkspace.Orders);
        var hover = await HoverAsync(shop.OrdersUri, TestWorkspace.Find(ShopWorkspace.Orders, "aggregate Order", 0, 11));
        Assert.Contains("The life of one order.", hover);
        Assert.Contains(GeneratedCode.Line(generated, "public abstract partial class OrderAggregateBase"), hover);
        foreach (var member in new[] { "public abstract OpenOrderDecision Handle(", "public abstract CloseOrderDecision Handle(", "public abstract OrderState? Apply(OrderOpened", "public abstract OrderState? Apply(OrderClosed" })
        {
            Assert.Contains(GeneratedCode.Line(generated, member), hover);
        }
    }

    [Fact]
    public async Task Hover_on_a_use_in_another_file_and_on_a_field_describe_the_declaration()
    {
        var billingUse = await HoverAsync(shop.BillingUri, TestWorkspace.Find(ShopWorkspace.Billing, "end on OrderClosed", 0, 9));
        Assert.Contains("public sealed partial record OrderClosed(string OrderId, DateTimeOffset At) : IEvent;", billingUse);
        var field = await HoverAsync(shop.OrdersUri, TestWorkspace.Find(ShopWorkspace.Orders, "lines: map", 0, 1));
        Assert.Contains("public IReadOnlyDictionary<string, int> Lines { get; } // in OrderState", field);
        var builtIn = await HoverAsync(shop.OrdersUri, TestWorkspace.Find(ShopWorkspace.Orders, "timestamp", 0, 1));
        Assert.Contains("DateTimeOffset", builtIn);
    }

    [Fact]
    public async Task Hover_on_a_gateway_shows_the_HandleAsync_the_generator_writes_with_its_typed_context()
    {
        var generated = GeneratedCode.For(Path.Combine(shop.Root, "Billing", "Billing.concordance"), ShopWorkspace.Billing);
        var hover = await HoverAsync(shop.BillingUri, TestWorkspace.Find(ShopWorkspace.Billing, "gateway Mailer", 0, 9));
        Assert.Contains(GeneratedCode.Line(generated, "public abstract Task HandleAsync(Charged @event"), hover);
    }

    [Fact]
    public async Task The_outline_lists_declarations_with_their_fields_members_and_clauses()
    {
        var symbols = (await shop.Client.ResultAsync("textDocument/documentSymbol", TestWorkspace.Document(shop.OrdersUri)))!.AsArray();
        Assert.Equal(["Shop", "Line", "Priority", "OpenOrder", "CloseOrder", "OrderOpened", "OrderClosed", "Order"], symbols.Select(s => (string)s!["name"]!));
        var order = symbols.Single(s => (string?)s!["name"] == "Order")!;
        Assert.Equal(["key orderId", "open", "lines", "handle OpenOrder", "handle CloseOrder"], order["children"]!.AsArray().Select(c => (string)c!["name"]!));
        var priority = symbols.Single(s => (string?)s!["name"] == "Priority")!;
        Assert.Equal(["Low", "High", "Unknown"], priority["children"]!.AsArray().Select(c => (string)c!["name"]!));
    }

    [Fact]
    public async Task Semantic_tokens_colour_keywords_names_by_kind_fields_and_comments()
    {
        var legend = shop.Client.Capabilities!["semanticTokensProvider"]!["legend"]!["tokenTypes"]!.AsArray().Select(t => (string)t!).ToArray();
        var data = (await shop.Client.ResultAsync("textDocument/semanticTokens/full", TestWorkspace.Document(shop.OrdersUri)))!["data"]!.AsArray().Select(n => (int)n!).ToArray();
        var lines = ShopWorkspace.Orders.Split('\n');
        var tokens = new Dictionary<string, string>();
        int line = 0, character = 0;
        for (var i = 0; i < data.Length; i += 5)
        {
            line += data[i];
            character = data[i] == 0 ? character + data[i + 1] : data[i + 1];
            var text = lines[line].Substring(character, data[i + 2]);
            tokens.TryAdd(text, legend[data[i + 3]]);
        }
        Assert.Equal("keyword", tokens["aggregate"]);
        Assert.Equal("keyword", tokens["handle"]);
        Assert.Equal("class", tokens["OpenOrder"]);
        Assert.Equal("event", tokens["OrderOpened"]);
        Assert.Equal("struct", tokens["Line"]);
        Assert.Equal("enum", tokens["Priority"]);
        Assert.Equal("property", tokens["orderId"]);
        Assert.Equal("type", tokens["timestamp"]);
        Assert.Equal("comment", tokens["/// A line of an order."]);
        Assert.Equal("namespace", tokens["Shop"]);
    }

    [Fact]
    public async Task Folding_ranges_cover_each_multi_line_declaration()
    {
        var ranges = (await shop.Client.ResultAsync("textDocument/foldingRange", TestWorkspace.Document(shop.OrdersUri)))!.AsArray();
        var aggregate = TestWorkspace.Find(ShopWorkspace.Orders, "aggregate Order").Line;
        var close = ShopWorkspace.Orders.Split('\n').Length - 1;
        Assert.Contains(ranges, r => (int)r!["startLine"]! == aggregate && (int)r["endLine"]! == close);
    }

    [Fact]
    public async Task Quick_fixes_replace_an_unknown_name_add_the_missing_key_field_and_add_the_missing_upcast_and_each_clears_its_diagnostic()
    {
        var text = "namespace Fixes;\ncommand Open { id: string }\nevent Opened { name: string }\nevent Moved { id: string }\nevent Moved v2 { id: string }\naggregate Account {\n    key id\n    handle Opne -> Opened\n}\n";
        var uri = await shop.OpenScratchAsync("Fixes", text);

        async Task<string> FixAsync(string code, string at, int offset, int version)
        {
            var position = TestWorkspace.Find(text, at, 0, offset);
            var parameters = TestWorkspace.Document(uri);
            parameters["range"] = TestWorkspace.Range(position, position);
            parameters["context"] = new JsonObject { ["diagnostics"] = new JsonArray() };
            var actions = (await shop.Client.ResultAsync("textDocument/codeAction", parameters))!.AsArray();
            var action = actions.First(a => (string?)a!["diagnostics"]![0]!["code"] == code)!;
            var fixedText = TestWorkspace.Apply(text, action["edit"]!["changes"]![uri]!.AsArray());
            await shop.Client.NotifyAsync("textDocument/didChange", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = version },
                ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = fixedText }),
            });
            var diagnostics = await shop.Client.DiagnosticsAsync(uri, version);
            var remaining = diagnostics.Where(d => (string?)d!["code"] == code && ((string)d["message"]!).Contains(code == "CC0002" ? "'Opne'" : code == "CC0007" ? "'Opened'" : "upcast")).ToList();
            Assert.True(remaining.Count == 0, fixedText + "\n" + string.Join("\n", remaining.Select(d => d!.ToJsonString())));
            return fixedText;
        }

        text = await FixAsync("CC0002", "Opne", 1, 2);
        Assert.Contains("handle Open -> Opened", text);
        text = await FixAsync("CC0007", "-> Opened", 4, 3);
        Assert.Contains("event Opened { name: string, id: string }", text);
        text = await FixAsync("CC0012", "v2", 1, 4);
        Assert.Contains("event Moved v2 { id: string }\nupcast Moved v1 -> v2", text.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Formatting_gives_the_text_concordance_format_writes_and_refuses_a_file_with_syntax_errors()
    {
        var messy = "namespace Layout;\ncommand   Open{id:string,note :string?,}\naggregate A { key id; handle Open->Opened }\nevent Opened{id:string}\n";
        var uri = await shop.OpenScratchAsync("Layout", messy);
        var edits = (await shop.Client.ResultAsync("textDocument/formatting", Formatting(uri)))!.AsArray();
        Assert.Equal(Concordance.Schema.Formatting.SchemaFormatter.Format(messy), TestWorkspace.Apply(messy, edits));

        var broken = await shop.OpenScratchAsync("Broken", "namespace Layout2;\ncommand Open { id string }\n");
        var refused = await shop.Client.RequestAsync("textDocument/formatting", Formatting(broken));
        Assert.Contains("syntax error", (string)refused["error"]!["message"]!);
    }

    private static JsonObject Formatting(string uri)
    {
        var parameters = TestWorkspace.Document(uri);
        parameters["options"] = new JsonObject { ["tabSize"] = 4, ["insertSpaces"] = true };
        return parameters;
    }
}
