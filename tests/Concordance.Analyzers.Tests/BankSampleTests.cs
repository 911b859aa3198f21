using Concordance.Analyzers.Tests.Infrastructure;

namespace Concordance.Analyzers.Tests;

public sealed class BankSampleTests
{
    [Fact]
    public async Task Given_the_bank_sample_with_one_implementation_per_component_when_analyzed_then_nothing_is_reported()
    {
        var compilation = AnalyzerHarness.Compile(("/src/Bases.cs", Samples.BankGeneratedBases), ("/src/Impl.cs", Samples.BankImplementations));

        var diagnostics = await AnalyzerHarness.RunAsync(compilation, [new InMemoryAdditionalText("/src/Bank.concordance", Samples.BankSchema)]);

        Assert.Empty(diagnostics.Select(AnalyzerHarness.Format));
    }

    [Fact]
    public async Task Given_the_bank_sample_with_CRLF_line_endings_when_analyzed_then_nothing_is_reported()
    {
        var compilation = AnalyzerHarness.Compile(("/src/Bases.cs", Samples.BankGeneratedBases), ("/src/Impl.cs", Samples.BankImplementations));
        var schema = Samples.BankSchema.ReplaceLineEndings("\r\n");

        var diagnostics = await AnalyzerHarness.RunAsync(compilation, [new InMemoryAdditionalText("/src/Bank.concordance", schema)]);

        Assert.Empty(diagnostics.Select(AnalyzerHarness.Format));
    }

    [Fact]
    public async Task Given_the_bank_sample_without_implementations_when_analyzed_then_each_of_the_four_components_is_reported_at_its_name()
    {
        var compilation = AnalyzerHarness.Compile(("/src/Bases.cs", Samples.BankGeneratedBases));

        var diagnostics = await AnalyzerHarness.RunAsync(compilation, [new InMemoryAdditionalText("/src/Bank.concordance", Samples.BankSchema)]);

        Assert.Equal(
            [
                "/src/Bank.concordance(27,11): error CC2001: Aggregate 'BankAccount' has no implementation: add a class deriving from Bank.BankAccountAggregateBase",
                "/src/Bank.concordance(39,11): error CC2001: Projector 'AccountLedger' has no implementation: add a class deriving from Bank.AccountLedgerProjectorBase",
                "/src/Bank.concordance(43,9): error CC2001: Process manager 'InterbankTransfer' has no implementation: add a class deriving from Bank.InterbankTransferProcessManagerBase",
                "/src/Bank.concordance(52,9): error CC2001: Gateway 'WireNetwork' has no implementation: add a class deriving from Bank.WireNetworkGatewayBase",
            ],
            diagnostics.Select(AnalyzerHarness.Format));
    }
}
