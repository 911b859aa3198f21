using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Concordance.LanguageServer.Tests;

/// <summary>What a broken or hostile client sends: each gets an error response, and the server goes on answering.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task Malformed_headers_get_a_parse_error_and_the_next_well_formed_request_is_answered()
    {
        await using var client = await LspClient.StartInitializedAsync(null);

        await client.SendRawAsync(Encoding.ASCII.GetBytes("Content-Length: twelve\r\n\r\n"));
        Assert.Equal(-32700, (int)(await client.WaitForUnsolicitedResponseAsync())["error"]!["code"]!);

        await client.SendRawAsync(Encoding.ASCII.GetBytes("Content-Type: application/json\r\nthis is no header\r\n\r\n"));
        Assert.Equal(-32700, (int)(await client.WaitForUnsolicitedResponseAsync())["error"]!["code"]!);

        // A length over the limit is refused without waiting for gigabytes; the bytes after it are skipped up to the next header.
        await client.SendRawAsync(Encoding.ASCII.GetBytes("Content-Length: 99999999999\r\n\r\n{\"junk\":1}"));
        Assert.Equal(-32700, (int)(await client.WaitForUnsolicitedResponseAsync())["error"]!["code"]!);

        var answer = await client.RequestAsync("textDocument/semanticTokens/full", TestWorkspace.Document("file:///tmp/None.concordance"));
        Assert.Equal(-32602, (int)answer["error"]!["code"]!);
    }

    [Fact]
    public async Task A_body_that_is_not_json_or_not_a_request_gets_an_error_and_the_server_goes_on()
    {
        await using var client = await LspClient.StartInitializedAsync(null);

        var garbage = Encoding.UTF8.GetBytes("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": ");
        await client.SendRawAsync([.. Encoding.ASCII.GetBytes("Content-Length: " + garbage.Length + "\r\n\r\n"), .. garbage]);
        var parseError = await client.WaitForUnsolicitedResponseAsync();
        Assert.Equal(-32700, (int)parseError["error"]!["code"]!);
        Assert.Null(parseError["id"]);

        byte[] notUtf8 = [0x7B, 0xFF, 0xFE, 0x7D];
        await client.SendRawAsync([.. Encoding.ASCII.GetBytes("Content-Length: 4\r\n\r\n"), .. notUtf8]);
        Assert.Equal(-32700, (int)(await client.WaitForUnsolicitedResponseAsync())["error"]!["code"]!);

        var deep = new string('[', 5000) + new string(']', 5000);
        await client.SendRawAsync(Encoding.ASCII.GetBytes("Content-Length: " + deep.Length + "\r\n\r\n" + deep));
        Assert.Equal(-32700, (int)(await client.WaitForUnsolicitedResponseAsync())["error"]!["code"]!);

        await client.SendAsync(JsonNode.Parse("[1, 2, 3]")!);
        Assert.Equal(-32600, (int)(await client.WaitForUnsolicitedResponseAsync())["error"]!["code"]!);

        await client.SendAsync(JsonNode.Parse("{\"jsonrpc\": \"2.0\", \"id\": 99}")!);
        var noMethod = await client.WaitForUnsolicitedResponseAsync();
        Assert.Equal(-32600, (int)noMethod["error"]!["code"]!);
        Assert.Equal(99, (int)noMethod["id"]!);

        var wrongShape = await client.RequestAsync("textDocument/hover", new JsonObject { ["textDocument"] = "not an object", ["position"] = 3 });
        Assert.Equal(-32602, (int)wrongShape["error"]!["code"]!);

        Assert.Null(await client.ResultAsync("shutdown", null));
    }

    [Fact]
    public async Task Unknown_methods_get_MethodNotFound_and_unknown_notifications_are_ignored()
    {
        await using var client = await LspClient.StartInitializedAsync(null);
        await client.NotifyAsync("$/someExtension", new JsonObject { ["x"] = 1 });
        await client.NotifyAsync("workspace/unheardOf", null);
        var response = await client.RequestAsync("concordance/teleport", new JsonObject());
        Assert.Equal(-32601, (int)response["error"]!["code"]!);
        Assert.Contains("concordance/teleport", (string)response["error"]!["message"]!);
    }

    [Fact]
    public async Task Requests_about_a_document_that_was_never_opened_get_InvalidParams()
    {
        await using var client = await LspClient.StartInitializedAsync(null);
        var uri = "file:///nowhere/Never.concordance";
        foreach (var method in new[] { "textDocument/hover", "textDocument/completion", "textDocument/definition" })
        {
            var response = await client.RequestAsync(method, TestWorkspace.At(uri, (0, 0)));
            Assert.Equal(-32602, (int)response["error"]!["code"]!);
            Assert.Contains("not open", (string)response["error"]!["message"]!);
        }
        // A change to it is a notification: nothing to answer, and the server goes on.
        await client.NotifyAsync("textDocument/didChange", TestWorkspace.Change(uri, 2, (0, 0), 0, "x"));
        await client.NotifyAsync("textDocument/didOpen", TestWorkspace.Open(uri, "namespace Now;"));
        var symbols = (await client.ResultAsync("textDocument/documentSymbol", TestWorkspace.Document(uri)))!.AsArray();
        Assert.Equal("Now", (string?)Assert.Single(symbols)!["name"]);
    }

    [Fact]
    public async Task A_two_megabyte_document_is_analysed_and_edited_without_stalling_the_server()
    {
        await using var client = await LspClient.StartInitializedAsync(null);
        var text = new StringBuilder("namespace Big;\n");
        for (var i = 0; text.Length < 2 * 1024 * 1024; i++)
        {
            text.Append("/// Command ").Append(i).Append(".\ncommand Do").Append(i).Append(" { id: string, amount: decimal, note: string?, lines: list<string> }\n");
        }
        var uri = "file:///tmp/Big.concordance";
        var watch = Stopwatch.StartNew();
        await client.NotifyAsync("textDocument/didOpen", TestWorkspace.Open(uri, text.ToString()));
        var diagnostics = await client.DiagnosticsAsync(uri, 1);
        Assert.Contains(diagnostics, d => (string?)d!["code"] == "CC0004"); // no aggregate handles the commands: warnings, not a failure

        await client.NotifyAsync("textDocument/didChange", TestWorkspace.Change(uri, 2, (2, 8), 0, "X"));
        var after = await client.DiagnosticsAsync(uri, 2);
        Assert.Contains(after, d => ((string?)d!["message"])!.Contains("'XDo0'"));
        var hover = await client.ResultAsync("textDocument/hover", TestWorkspace.At(uri, (2, 10)));
        Assert.Contains("public sealed partial record XDo0(string Id, decimal Amount, string? Note, IReadOnlyList<string> Lines) : ICommand;", (string)hover!["contents"]!["value"]!);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(40), "took " + watch.Elapsed);
    }
}
