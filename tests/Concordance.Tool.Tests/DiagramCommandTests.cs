using System.Text.RegularExpressions;

namespace Concordance.Tool.Tests;

/// <summary><c>concordance diagram</c>: Mermaid that a real renderer draws, and the README's copy kept current.</summary>
public sealed class DiagramCommandTests : IDisposable
{
    private static readonly string BankFolder = Path.Combine(ToolProcess.RepositoryRoot, "samples", "BankAccount");

    private static readonly string[] BankNames =
    [
        "CreateAccount", "DepositFunds", "WithdrawFunds", "WireFunds", "ReserveFunds", "ReleaseFunds", "CommitFunds",
        "BankAccount", "AccountCreated", "FundsDeposited", "FundsWithdrawn", "WireTransferInitiated", "FundsReserved",
        "FundsReleased", "FundsCommitted", "WireTransferSucceeded", "WireTransferFailed", "AccountLedger", "InterbankTransfer", "WireNetwork",
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Diagram_of_the_bank_schema_renders_in_mermaid_and_the_pictures_name_every_component_and_message()
    {
        var run = ToolProcess.Run(BankFolder, "diagram", "Bank.concordance", "--out", Path.Combine(_folder.Path, "bank.md"));
        Assert.True(run.ExitCode == 0, run.ToString());

        var (render, svgs) = MermaidRenderer.Render(File.ReadAllText(Path.Combine(_folder.Path, "bank.md")), _folder.Path);
        Assert.True(render.ExitCode == 0, render.ToString());
        Assert.Equal(2, svgs.Count);
        var flowchart = svgs[0];
        Assert.StartsWith("<svg", flowchart.TrimStart());
        foreach (var name in BankNames) Assert.Contains(">" + name + "<", flowchart);

        var sequence = svgs[1];
        foreach (var name in new[] { "BankAccount", "InterbankTransfer", "WireNetwork", "WireTransferInitiated", "ReserveFunds", "FundsReserved", "WireTransferSucceeded", "CommitFunds", "FundsCommitted", "ReleaseFunds", "FundsReleased" })
            Assert.Contains(">" + name + "<", sequence);
    }

    [Fact]
    public void A_broken_mermaid_diagram_makes_the_renderer_fail_so_the_rendering_test_can_fail()
    {
        var (render, svgs) = MermaidRenderer.Render("### Broken\n\n```mermaid\nflowchart LR\n    cmd_Pay[/\"Pay\"/] -->|send agg_Order\n```\n", _folder.Path);
        Assert.NotEqual(0, render.ExitCode);
        Assert.Contains("Parse error", render.Error + render.Output);
        Assert.Empty(svgs);
    }

    [Fact]
    public void Diagram_draws_who_handles_emits_subscribes_sends_and_brings_in()
    {
        var run = ToolProcess.Run(BankFolder, "diagram");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("cmd_WireFunds --> agg_BankAccount", run.Output);
        Assert.Contains("agg_BankAccount --> evt_WireTransferInitiated", run.Output);
        Assert.Contains("evt_FundsDeposited --> prj_AccountLedger", run.Output);
        Assert.Contains("evt_WireTransferInitiated -->|start| pm_InterbankTransfer", run.Output);
        Assert.Contains("evt_FundsCommitted -->|end| pm_InterbankTransfer", run.Output);
        Assert.Contains("pm_InterbankTransfer -.->|send| cmd_ReserveFunds", run.Output);
        Assert.Contains("evt_FundsReserved --> gw_WireNetwork", run.Output);
        Assert.Contains("gw_WireNetwork -.->|emit| evt_WireTransferSucceeded", run.Output);
        Assert.Contains("### Process InterbankTransfer", run.Output);
    }

    [Fact]
    public void Diagram_draws_a_gateway_that_sends_a_command_in_the_flowchart_and_in_the_process_sequence()
    {
        _folder.Write("Shop.concordance", """
            namespace Shop;
            command Place { orderId: string }
            command Confirm { orderId: string }
            event Placed { orderId: string }
            event Confirmed { orderId: string }
            aggregate Order { key orderId
                handle Place -> Placed
                handle Confirm -> Confirmed }
            process Fulfilment { key orderId
                start on Placed
                end on Confirmed }
            gateway Payments { on Placed
                send Confirm }
            """);
        var run = ToolProcess.Run(_folder.Path, "diagram");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("gw_Payments -.->|send| cmd_Confirm", run.Output);
        var sequence = run.Output[run.Output.IndexOf("sequenceDiagram", StringComparison.Ordinal)..];
        Assert.Contains("""
                participant P0 as Order
                participant P1 as Fulfilment
                participant P2 as Payments
                P0-)P1: Placed
                Note over P1: starts
                P0-)P2: Placed
                P2->>P0: Confirm
                P0-)P1: Confirmed
                Note over P1: ends
            """, sequence);
    }

    [Fact]
    public void Readme_shows_the_bank_diagram_exactly_as_the_tool_draws_it_now()
    {
        var readme = File.ReadAllText(Path.Combine(ToolProcess.RepositoryRoot, "README.md")).ReplaceLineEndings("\n");
        var match = Regex.Match(readme, @"<!-- concordance diagram samples/BankAccount/Bank\.concordance -->\n(.*?)<!-- end of diagram -->", RegexOptions.Singleline);
        Assert.True(match.Success, "README.md has no generated diagram block");

        var run = ToolProcess.Run(BankFolder, "diagram", "Bank.concordance");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(run.Output.ReplaceLineEndings("\n"), match.Groups[1].Value);
    }

    [Fact]
    public void Diagram_of_a_schema_with_syntax_errors_draws_what_it_can_reports_the_errors_and_exits_one()
    {
        _folder.Write("Shop.concordance", "namespace Shop;\ncommand Pay { id: string }\naggregate Order { key id handle Pay -> }\nevent Paid { id string }\n");
        var run = ToolProcess.Run(_folder.Path, "diagram");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cmd_Pay --> agg_Order", run.Output);
        Assert.Matches(@"Shop\.concordance:\d+:\d+: error CC0001: ", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public void Diagram_to_a_file_in_a_missing_folder_is_one_error_line_and_exit_code_two()
    {
        var run = ToolProcess.Run(BankFolder, "diagram", "--out", Path.Combine(_folder.Path, "no", "such", "folder", "d.md"));
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.StartsWith("error: ", run.Error);
    }
}
