using Microsoft.CodeAnalysis;
using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

/// <summary>Generated code plus a user's code under the strictest settings: warnings as errors, nullable, XML docs required.</summary>
public sealed class CompileTests
{
    private static readonly string BankImplementation = File.ReadAllText(Path.Combine(ComponentsDirectory, "Bank.cs"));

    private static (string, string) Bank => ("/schemas/Bank.concordance", ReadSchema("Bank"));

    [Fact]
    public void Given_the_Bank_sample_and_implementations_of_all_four_component_kinds_when_compiled_then_there_is_no_diagnostic()
    {
        var (_, result, output) = Run([Bank], [BankImplementation]);

        Assert.Empty(GeneratorFailures(result));
        var problems = Problems(output);
        Assert.True(problems.Count == 0, Describe(problems));
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        Assert.True(emit.Success, Describe(emit.Diagnostics));
    }

    [Fact]
    public void Given_every_sample_schema_and_its_components_when_compiled_together_then_there_is_no_diagnostic()
    {
        var schemas = Directory.GetFiles(SchemasDirectory, "*.concordance").Select(p => ($"/schemas/{Path.GetFileName(p)}", File.ReadAllText(p)));

        var (_, result, output) = Run(schemas, SnapshotTests.ComponentSources);

        Assert.Empty(GeneratorFailures(result));
        var problems = Problems(output);
        Assert.True(problems.Count == 0, Describe(problems));
    }

    [Theory]
    [InlineData("BankAccountScenario s", "s.Given(new global::Bank.WireTransferSucceeded(\"W\", null))", "WireTransferSucceeded")]
    [InlineData("BankAccountScenario s", "s.When(new global::Bank.CreateAccount(\"A\", 1m, 0m, \"C\")).ThenEvents(new global::Bank.WireTransferFailed(\"W\", null))", "WireTransferFailed")]
    [InlineData("AccountLedgerScenario s", "s.Given(new global::Bank.WireTransferInitiated(\"A\", 1m, null, \"C\", \"W\", \"R\", \"T\"))", "WireTransferInitiated")]
    [InlineData("InterbankTransferScenario s", "s.Given(new global::Bank.AccountCreated(\"A\", 1m, 0m, \"C\"))", "AccountCreated")]
    [InlineData("InterbankTransferScenario s", "s.Then(new global::Bank.CreateAccount(\"A\", 1m, 0m, \"C\"))", "CreateAccount")]
    public void Given_a_generated_scenario_and_another_components_message_when_compiled_then_it_is_a_conversion_error(string parameter, string call, string message)
    {
        var source = $$"""
            namespace Probe;
            /// <summary>Probe.</summary>
            public static class Scenarios
            {
                /// <summary>Passes a message the component does not own.</summary>
                /// <param name="s">The scenario.</param>
                public static void Probe(global::Bank.Testing.{{parameter}}) => {{call}};
            }
            """;

        var (_, _, output) = Run([Bank], [BankImplementation, source]);

        var problems = Problems(output);
        Assert.True(problems.Count == 1, Describe(problems));
        Assert.Equal("CS1503", problems[0].Id);
        Assert.Contains(message, problems[0].GetMessage());
    }

    [Fact]
    public void Given_a_handler_that_returns_an_undeclared_event_when_compiled_then_it_is_a_conversion_error()
    {
        const string source = """
            namespace Probe;
            /// <summary>Probe.</summary>
            public static class Decisions
            {
                /// <summary>Returns an event CreateAccount does not declare.</summary>
                /// <returns>Nothing valid.</returns>
                public static global::Bank.CreateAccountDecision Decide() => new global::Bank.FundsDeposited("A", 1m, null, "C");
            }
            """;

        var (_, _, output) = Run([Bank], [source]);

        Assert.Contains(Problems(output), d => d.Id == "CS0029" && d.GetMessage().Contains("FundsDeposited"));
    }

    [Fact]
    public void Given_Emit_with_an_undeclared_event_when_compiled_then_it_is_an_argument_error()
    {
        const string source = """
            namespace Probe;
            /// <summary>Probe.</summary>
            public static class Decisions
            {
                /// <summary>Emits an event CreateAccount does not declare.</summary>
                /// <returns>Nothing valid.</returns>
                public static global::Bank.CreateAccountDecision Decide() =>
                    global::Bank.CreateAccountDecision.Emit(new global::Bank.AccountCreated("A", 1m, 0m, "C"), new global::Bank.FundsDeposited("A", 1m, null, "C"));
            }
            """;

        var (_, _, output) = Run([Bank], [source]);

        Assert.Contains(Problems(output), d => d.Id == "CS1503" && d.GetMessage().Contains("FundsDeposited"));
    }

    [Fact]
    public void Given_a_process_that_sends_an_undeclared_command_when_compiled_then_it_is_an_argument_error()
    {
        const string source = """
            namespace Probe;
            /// <summary>Probe.</summary>
            public static class Outcomes
            {
                /// <summary>Sends a command InterbankTransfer does not declare.</summary>
                /// <returns>Nothing valid.</returns>
                public static global::Bank.InterbankTransferOutcome Decide() =>
                    global::Bank.InterbankTransferOutcome.Complete(new global::Bank.DepositFunds("A", 1m, null, "C"));
            }
            """;

        var (_, _, output) = Run([Bank], [source]);

        Assert.Contains(Problems(output), d => d.Id == "CS1503" && d.GetMessage().Contains("DepositFunds"));
    }

    [Fact]
    public void Given_a_declared_upcast_without_its_implementation_when_compiled_then_the_partial_method_is_reported_missing()
    {
        var (_, _, output) = Run([("/schemas/Versions.concordance", ReadSchema("Versions"))], []);

        Assert.Contains(Problems(output), d => d.Id == "CS8795" && d.GetMessage().Contains("Upcast"));
    }
}
