namespace Concordance.LanguageServer.Tests;

/// <summary>publishDiagnostics equal what the build's schema analyzers report for the same text: code, severity, message, span.</summary>
public sealed class DiagnosticsTests
{
    private const string Project = "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n";

    [Fact]
    public async Task A_broken_schema_gets_the_builds_diagnostics_as_it_is_opened_and_as_it_is_edited()
    {
        using var workspace = new TestWorkspace();
        workspace.Write("App.csproj", Project);
        var text = """
            namespace Shop;
            command Open { id: string }
            command Forgotten { id: string }
            event Opened { name: string }
            event Moved { id: string }
            event Moved v3 { id: string }
            record Receipt { when: Tiemstamp, total decimal }
            aggregate Account {
                key id
                handle Open -> Opened
                handle Close -> Opened
            }
            projector Ledger { on Nothing }
            """.Replace("\r\n", "\n");
        var path = workspace.Write("Shop.concordance", text);
        var uri = TestWorkspace.Uri(path);
        await using var client = await LspClient.StartInitializedAsync(workspace.Root);

        await client.NotifyAsync("textDocument/didOpen", TestWorkspace.Open(uri, text));
        var published = BuildDiagnostics.FromLsp(await client.DiagnosticsAsync(uri, 1));
        var build = await BuildDiagnostics.OfAsync([path], path);
        Assert.Equal(build, published);
        foreach (var id in new[] { "CC0001", "CC0002", "CC0004", "CC0007", "CC0012", "CC0025" }) Assert.Contains(id, published.Select(d => d.Id));
        Assert.Contains(published, d => d is { Id: "CC0004", Severity: 2 });
        Assert.Contains(published, d => d is { Id: "CC0025", Severity: 3 });

        // Fix the key: 'name' becomes 'id' in Opened (one edit of four characters).
        var at = TestWorkspace.Find(text, "name: string");
        await client.NotifyAsync("textDocument/didChange", TestWorkspace.Change(uri, 2, at, 4, "id"));
        text = text.Replace("event Opened { name: string }", "event Opened { id: string }");
        File.WriteAllText(path, text);
        var edited = BuildDiagnostics.FromLsp(await client.DiagnosticsAsync(uri, 2));
        Assert.Equal(await BuildDiagnostics.OfAsync([path], path), edited);
        Assert.DoesNotContain(edited, d => d.Id == "CC0007" && d.Message.Contains("'Opened'"));
    }

    [Fact]
    public async Task The_shipped_schema_gate_reports_a_field_removed_from_a_locked_event_as_the_build_does()
    {
        using var workspace = new TestWorkspace();
        workspace.Write("Bank/BankAccount.csproj", Project);
        var sample = Path.Combine(LspClient.RepositoryRoot, "samples", "BankAccount");
        var text = File.ReadAllText(Path.Combine(sample, "Bank.concordance")).Replace("\r\n", "\n");
        var path = workspace.Write("Bank/Bank.concordance", text);
        workspace.Write("Bank/Bank.concordance.lock", File.ReadAllText(Path.Combine(sample, "Bank.concordance.lock")));
        var uri = TestWorkspace.Uri(path);
        await using var client = await LspClient.StartInitializedAsync(workspace.Root);

        await client.NotifyAsync("textDocument/didOpen", TestWorkspace.Open(uri, text));
        Assert.Empty(await client.DiagnosticsAsync(uri, 1));
        Assert.Empty(await BuildDiagnostics.OfAsync([path], path));

        // Remove 'note: string?, ' from FundsDeposited: stored events have it.
        var declaration = "event FundsDeposited        { accountNumber: string, amount: decimal, note: string?, customerId: string }";
        var at = TestWorkspace.Find(text, declaration, 0, declaration.IndexOf("note", StringComparison.Ordinal));
        await client.NotifyAsync("textDocument/didChange", TestWorkspace.Change(uri, 2, at, "note: string?, ".Length, ""));
        File.WriteAllText(path, text.Replace("amount: decimal, note: string?, customerId: string }\nevent FundsWithdrawn", "amount: decimal, customerId: string }\nevent FundsWithdrawn"));
        var published = BuildDiagnostics.FromLsp(await client.DiagnosticsAsync(uri, 2));
        Assert.Contains(published, d => d.Id == "CC0017");
        Assert.Equal(await BuildDiagnostics.OfAsync([path], path), published);
    }

    [Fact]
    public async Task Checks_across_the_files_of_a_project_are_reported_in_the_open_file_as_the_build_does()
    {
        using var workspace = new TestWorkspace();
        workspace.Write("App.csproj", Project);
        var orders = workspace.Write("Orders.concordance", "namespace Shop;\ncommand Pay { id: string }\nevent Paid { id: string }\naggregate Till {\n    key id\n    handle Pay -> Paid\n}\n");
        var billingText = "namespace Shop;\nrecord Pay { amount: decimal }\n";
        var billing = workspace.Write("Billing/Billing.concordance", billingText);
        await using var client = await LspClient.StartInitializedAsync(workspace.Root);

        await client.NotifyAsync("textDocument/didOpen", TestWorkspace.Open(TestWorkspace.Uri(billing), billingText));
        var published = BuildDiagnostics.FromLsp(await client.DiagnosticsAsync(TestWorkspace.Uri(billing), 1));
        var build = await BuildDiagnostics.OfAsync([orders, billing], billing);
        Assert.Equal(build, published);
        Assert.Contains(published, d => d.Id == "CC0026" && d.Message.Contains("../Orders.concordance"));
    }

    [Fact]
    public async Task Closing_a_document_clears_its_diagnostics()
    {
        await using var client = await LspClient.StartInitializedAsync(null);
        var uri = "file:///tmp/concordance-lsp-close/Closing.concordance";
        await client.NotifyAsync("textDocument/didOpen", TestWorkspace.Open(uri, "namespace A;\ncommand C { x: Nope }\n"));
        Assert.Contains(await client.DiagnosticsAsync(uri, 1), d => (string?)d!["code"] == "CC0002");
        await client.NotifyAsync("textDocument/didClose", TestWorkspace.Document(uri));
        Assert.Empty(await client.DiagnosticsAsync(uri));
    }

    [Fact]
    public async Task A_lock_file_created_beside_an_open_schema_turns_the_gate_on_when_the_client_reports_the_change()
    {
        using var workspace = new TestWorkspace();
        workspace.Write("Bank.csproj", Project);
        var sample = Path.Combine(LspClient.RepositoryRoot, "samples", "BankAccount");
        var text = File.ReadAllText(Path.Combine(sample, "Bank.concordance")).Replace("\r\n", "\n");
        var path = workspace.Write("Bank.concordance", text);
        var uri = TestWorkspace.Uri(path);
        await using var client = await LspClient.StartInitializedAsync(workspace.Root);

        await client.NotifyAsync("textDocument/didOpen", TestWorkspace.Open(uri, text));
        Assert.Equal("CC0025", (string?)Assert.Single(await client.DiagnosticsAsync(uri, 1))!["code"]);

        var lockPath = workspace.Write("Bank.concordance.lock", File.ReadAllText(Path.Combine(sample, "Bank.concordance.lock")));
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new System.Text.Json.Nodes.JsonObject
        {
            ["changes"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["uri"] = TestWorkspace.Uri(lockPath), ["type"] = 1 }),
        });
        Assert.Empty(await client.DiagnosticsAsync(uri, 1));
        Assert.Equal(await BuildDiagnostics.OfAsync([path], path), []);
    }
}
