using Concordance;
using System.Net.Http.Json;

namespace Bank;

/// <summary>
/// The bank's connection to the interbank wire network: once funds are reserved for a wire, asks
/// the network to settle it and records the network's answer as an external event.
/// </summary>
/// <param name="network">An HTTP client whose base address is the wire network.</param>
public sealed class WireNetwork(HttpClient network) : WireNetworkGatewayBase
{
    /// <inheritdoc />
    public override async Task HandleAsync(FundsReserved @event, GatewayContext context, CancellationToken cancellationToken)
    {
        using var response = await network.PostAsJsonAsync($"wires/{Uri.EscapeDataString(@event.WireTransferId)}/settle",
            new SettlementRequest(@event.AccountNumber, @event.Amount), cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<SettlementAnswer>(cancellationToken)
            ?? throw new InvalidOperationException($"The wire network sent no answer for wire transfer {@event.WireTransferId}.");
        IEvent outcome = answer.Approved
            ? new WireTransferSucceeded(@event.WireTransferId, answer.Note)
            : new WireTransferFailed(@event.WireTransferId, answer.Note);
        await context.EmitAsync(outcome, cancellationToken);
    }

    /// <summary>What the bank asks the network to settle.</summary>
    public sealed record SettlementRequest(string AccountNumber, decimal Amount);

    /// <summary>The network's answer.</summary>
    public sealed record SettlementAnswer(bool Approved, string? Note);
}
