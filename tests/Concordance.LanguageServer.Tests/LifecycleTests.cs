using System.Text.Json.Nodes;

namespace Concordance.LanguageServer.Tests;

/// <summary>initialize / initialized / shutdown / exit, and a client that disappears, against the real process.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Initialize_announces_every_capability_and_shutdown_then_exit_ends_the_process_with_code_0()
    {
        await using var client = LspClient.Start();
        var result = await client.ResultAsync("initialize", new JsonObject { ["processId"] = null, ["rootUri"] = null, ["capabilities"] = new JsonObject() });
        var capabilities = result!["capabilities"]!;
        Assert.Equal(2, (int)capabilities["textDocumentSync"]!["change"]!);
        foreach (var provider in new[] { "hoverProvider", "definitionProvider", "referencesProvider", "documentSymbolProvider", "foldingRangeProvider", "documentFormattingProvider" })
        {
            Assert.True((bool)capabilities[provider]!, provider);
        }
        Assert.True((bool)capabilities["renameProvider"]!["prepareProvider"]!);
        Assert.Contains("quickfix", capabilities["codeActionProvider"]!["codeActionKinds"]!.AsArray().Select(k => (string?)k));
        Assert.True((bool)capabilities["semanticTokensProvider"]!["full"]!);
        Assert.NotNull(capabilities["completionProvider"]);
        Assert.Equal("concordance", (string?)result["serverInfo"]!["name"]);
        await client.NotifyAsync("initialized", new JsonObject());

        Assert.Null(await client.ResultAsync("shutdown", null));
        await client.NotifyAsync("exit", null);
        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task Exit_without_shutdown_ends_the_process_with_code_1()
    {
        await using var client = await LspClient.StartInitializedAsync(null);
        await client.NotifyAsync("exit", null);
        Assert.Equal(1, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task A_client_that_disappears_mid_session_ends_the_server_instead_of_leaving_it_hanging()
    {
        await using var client = await LspClient.StartInitializedAsync(null);
        await client.NotifyAsync("textDocument/didOpen", TestWorkspace.Open("file:///tmp/Gone.concordance", "namespace Gone;\ncommand C { id: string }\n"));
        await client.DiagnosticsAsync("file:///tmp/Gone.concordance");
        client.CloseInput();
        Assert.Equal(1, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task Requests_before_initialize_are_refused_with_ServerNotInitialized_and_after_shutdown_with_InvalidRequest()
    {
        await using var client = LspClient.Start();
        var early = await client.RequestAsync("textDocument/hover", TestWorkspace.At("file:///tmp/A.concordance", (0, 0)));
        Assert.Equal(-32002, (int)early["error"]!["code"]!);

        await client.ResultAsync("initialize", new JsonObject { ["capabilities"] = new JsonObject() });
        await client.ResultAsync("shutdown", null);
        var late = await client.RequestAsync("textDocument/documentSymbol", TestWorkspace.Document("file:///tmp/A.concordance"));
        Assert.Equal(-32600, (int)late["error"]!["code"]!);
        await client.NotifyAsync("exit", null);
        Assert.Equal(0, await client.WaitForExitAsync());
    }
}
