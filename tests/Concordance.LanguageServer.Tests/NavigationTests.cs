using System.Text.Json.Nodes;

namespace Concordance.LanguageServer.Tests;

/// <summary>Go to definition, find references, prepareRename and rename across the schema files of a namespace.</summary>
public sealed class NavigationTests(ShopWorkspace shop) : IClassFixture<ShopWorkspace>
{
    private static (string Uri, int Line, int Character) Site(JsonNode location) =>
        ((string)location["uri"]!, (int)location["range"]!["start"]!["line"]!, (int)location["range"]!["start"]!["character"]!);

    [Fact]
    public async Task Go_to_definition_from_a_closed_file_lands_on_the_declaration_in_the_other_file()
    {
        var at = TestWorkspace.Find(ShopWorkspace.Billing, "start on OrderOpened", 0, "start on ".Length + 2);
        var locations = (await shop.Client.ResultAsync("textDocument/definition", TestWorkspace.At(shop.BillingUri, at)))!.AsArray();
        var (line, character) = TestWorkspace.Find(ShopWorkspace.Orders, "event OrderOpened", 0, "event ".Length);
        Assert.Equal((shop.OrdersUri, line, character), Site(Assert.Single(locations)!));
    }

    [Fact]
    public async Task Go_to_definition_of_a_type_and_of_a_key_lands_on_the_record_and_on_the_key_fields()
    {
        var type = (await shop.Client.ResultAsync("textDocument/definition", TestWorkspace.At(shop.OrdersUri, TestWorkspace.Find(ShopWorkspace.Orders, "list<Line>", 0, 6))))!.AsArray();
        Assert.Equal(TestWorkspace.Find(ShopWorkspace.Orders, "record Line", 0, 7), (Site(Assert.Single(type)!).Line, Site(type[0]!).Character));

        var keys = (await shop.Client.ResultAsync("textDocument/definition", TestWorkspace.At(shop.OrdersUri, TestWorkspace.Find(ShopWorkspace.Orders, "key orderId", 0, 5))))!.AsArray();
        Assert.Equal(4, keys.Count); // orderId of OpenOrder, CloseOrder, OrderOpened, OrderClosed
    }

    [Fact]
    public async Task Find_references_of_an_event_lists_its_uses_in_every_file_of_the_namespace()
    {
        var at = TestWorkspace.Find(ShopWorkspace.Orders, "event OrderClosed", 0, "event ".Length);
        var parameters = TestWorkspace.At(shop.OrdersUri, at);
        parameters["context"] = new JsonObject { ["includeDeclaration"] = false };
        var sites = (await shop.Client.ResultAsync("textDocument/references", parameters))!.AsArray().Select(l => Site(l!)).ToHashSet();
        var handle = TestWorkspace.Find(ShopWorkspace.Orders, "-> OrderClosed", 0, 3);
        var endOn = TestWorkspace.Find(ShopWorkspace.Billing, "end on OrderClosed", 0, 7);
        Assert.Equal(new HashSet<(string, int, int)> { (shop.OrdersUri, handle.Line, handle.Character), (shop.BillingUri, endOn.Line, endOn.Character) }, sites);
    }

    [Fact]
    public async Task Renaming_an_event_edits_its_declaration_and_every_use_across_files()
    {
        var at = TestWorkspace.Find(ShopWorkspace.Orders, "-> OrderOpened", 0, 4);
        var prepared = await shop.Client.ResultAsync("textDocument/prepareRename", TestWorkspace.At(shop.OrdersUri, at));
        Assert.Equal("OrderOpened", (string?)prepared!["placeholder"]);

        var parameters = TestWorkspace.At(shop.OrdersUri, at);
        parameters["newName"] = "OrderPlaced";
        var changes = (await shop.Client.ResultAsync("textDocument/rename", parameters))!["changes"]!.AsObject();
        var orders = TestWorkspace.Apply(ShopWorkspace.Orders, changes[shop.OrdersUri]!.AsArray());
        var billing = TestWorkspace.Apply(ShopWorkspace.Billing, changes[shop.BillingUri]!.AsArray());
        Assert.DoesNotContain("OrderOpened", orders + billing);
        Assert.Contains("event OrderPlaced {", orders);
        Assert.Contains("handle OpenOrder -> OrderPlaced", orders);
        Assert.Contains("start on OrderPlaced", billing);
    }

    [Fact]
    public async Task Renaming_a_key_field_renames_it_in_every_message_of_the_component_and_in_the_key_clauses()
    {
        var at = TestWorkspace.Find(ShopWorkspace.Orders, "command CloseOrder { orderId", 0, "command CloseOrder { ".Length);
        var parameters = TestWorkspace.At(shop.OrdersUri, at);
        parameters["newName"] = "orderNumber";
        var changes = (await shop.Client.ResultAsync("textDocument/rename", parameters))!["changes"]!.AsObject();
        var orders = TestWorkspace.Apply(ShopWorkspace.Orders, changes[shop.OrdersUri]!.AsArray());
        Assert.DoesNotContain("orderId", orders);
        Assert.Contains("key orderNumber", orders);
        // The process's key names the same field of OrderOpened and OrderClosed, so it follows; Billing's own messages keep theirs.
        var billing = TestWorkspace.Apply(ShopWorkspace.Billing, changes[shop.BillingUri]!.AsArray());
        Assert.Contains("process Fulfilment {\n    key orderNumber", billing);
        Assert.Contains("command Charge { orderId: string", billing);
    }

    [Fact]
    public async Task Renaming_a_built_in_type_is_refused_and_renaming_to_a_taken_name_is_refused()
    {
        var builtIn = await shop.Client.RequestAsync("textDocument/prepareRename", TestWorkspace.At(shop.OrdersUri, TestWorkspace.Find(ShopWorkspace.Orders, "timestamp", 0, 2)));
        Assert.NotNull(builtIn["error"]);

        var parameters = TestWorkspace.At(shop.OrdersUri, TestWorkspace.Find(ShopWorkspace.Orders, "record Line", 0, 8));
        parameters["newName"] = "Charge";
        var taken = await shop.Client.RequestAsync("textDocument/rename", parameters);
        Assert.Contains("already declared", (string)taken["error"]!["message"]!);
    }
}
