using Microsoft.CodeAnalysis;
using Xunit;
using static Concordance.Generators.Tests.GeneratorHarness;

namespace Concordance.Generators.Tests;

/// <summary>Generated code plus a user's code under the strictest settings: warnings as errors, nullable, XML docs required.</summary>
public sealed class CompileTests
{
    private static readonly string BankImplementation = File.ReadAllText(Path.Combine(ComponentsDirectory, "Bank.cs"));

    private static (string, string) Bank => ("/schemas/Bank.concordance", ReadSchema("Bank"));

    private static (string, string) Notifications => ("/schemas/Notifications.concordance", ReadSchema("Notifications"));

    /// <summary>A class of namespace Probe whose one method gets <paramref name="parameter"/> and runs <paramref name="call"/>.</summary>
    private static string GatewayProbe(string parameter, string call) => $$"""
        namespace Probe;
        /// <summary>Probe.</summary>
        public static class Gateways
        {
            /// <summary>Sends or emits through a gateway's context.</summary>
            /// <param name="context">The context.</param>
            /// <returns>The call's task.</returns>
            public static global::System.Threading.Tasks.Task Probe({{parameter}} context) => {{call}};
        }
        """;

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

    [Theory]
    [InlineData("global::Samples.Notifications.MailerGatewayContext", "context.EmitAsync(new global::Samples.Notifications.Notified(\"u\", \"t\"))", "Notified")]
    [InlineData("global::Samples.Notifications.MailerGatewayContext", "context.EmitAsync(new global::Samples.Notifications.UserSignedUp(\"u\", \"e\"))", "UserSignedUp")]
    [InlineData("global::Bank.WireNetworkGatewayContext", "context.EmitAsync(new global::Bank.FundsReserved(\"A\", 1m, \"C\", \"W\"))", "FundsReserved")]
    [InlineData("global::Samples.Notifications.MailerGatewayContext", "context.EmitAsync((global::Concordance.IEvent)new global::Samples.Notifications.EmailBounced(\"u\", \"r\"))", "IEvent")]
    public void Given_a_gateway_context_and_an_event_its_gateway_does_not_emit_when_compiled_then_it_is_a_conversion_error(string parameter, string call, string message)
    {
        var (_, result, output) = Run([Bank, Notifications], [GatewayProbe(parameter, call)]);

        Assert.Empty(GeneratorFailures(result));
        var problems = Problems(output);
        Assert.True(problems.Count == 1, Describe(problems));
        Assert.Equal("CS1503", problems[0].Id);
        Assert.Contains(message, problems[0].GetMessage());
    }

    [Theory]
    [InlineData("context.SendAsync(new global::Samples.Notifications.SignUp(\"u\", \"e\"))", "SignUp")]
    [InlineData("context.SendAsync((global::Concordance.ICommand)new global::Samples.Notifications.Notify(\"u\", \"t\"))", "ICommand")]
    public void Given_a_gateway_context_and_a_command_its_gateway_does_not_send_when_compiled_then_it_is_a_conversion_error(string call, string message)
    {
        var (_, result, output) = Run([Notifications], [GatewayProbe("global::Samples.Notifications.MailerGatewayContext", call)]);

        Assert.Empty(GeneratorFailures(result));
        var problems = Problems(output);
        Assert.True(problems.Count == 1, Describe(problems));
        Assert.Equal("CS1503", problems[0].Id);
        Assert.Contains(message, problems[0].GetMessage());
    }

    [Fact]
    public void Given_a_gateway_that_declares_no_send_when_its_context_sends_a_command_then_there_is_no_SendAsync_to_call()
    {
        var (_, _, output) = Run([Bank], [GatewayProbe("global::Bank.WireNetworkGatewayContext", "context.SendAsync(new global::Bank.DepositFunds(\"A\", 1m, null, \"C\"))")]);

        var problems = Problems(output);
        Assert.True(problems.Count == 1, Describe(problems));
        Assert.Equal("CS1061", problems[0].Id);
        Assert.Contains("SendAsync", problems[0].GetMessage());
    }

    [Fact]
    public void Given_a_gateway_context_when_code_looks_for_the_runtime_context_behind_it_then_none_is_reachable()
    {
        var (_, _, output) = Run([Notifications], [GatewayProbe("global::Samples.Notifications.MailerGatewayContext",
            "((global::Concordance.GatewayContext)context).SendAsync(new global::Samples.Notifications.SignUp(\"u\", \"e\"))")]);

        var problems = Problems(output);
        Assert.True(problems.Count == 1, Describe(problems));
        Assert.Equal("CS0030", problems[0].Id);
    }

    [Fact]
    public void Given_a_gateway_handler_that_emits_and_sends_only_its_declared_messages_when_compiled_then_there_is_no_diagnostic()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;
            using Samples.Notifications;

            namespace Probe;

            /// <summary>Emits a bounce and sends a note, both declared by the Mailer gateway.</summary>
            public sealed class Courier : MailerGatewayBase
            {
                /// <inheritdoc />
                public override async Task HandleAsync(UserSignedUp @event, MailerGatewayContext context, CancellationToken cancellationToken)
                {
                    await context.EmitAsync(new EmailBounced(@event.UserId, "full mailbox"), cancellationToken);
                    global::Concordance.CommandResult result = await context.SendAsync(new Notify(@event.UserId, "bounced"), cancellationToken);
                    if (!result.IsAccepted) await context.EmitAsync(new EmailBounced(@event.UserId, result.RejectionReason ?? ""));
                }
            }
            """;

        var (_, result, output) = Run([Notifications], [source]);

        Assert.Empty(GeneratorFailures(result));
        var problems = Problems(output);
        Assert.True(problems.Count == 0, Describe(problems));
    }
}
