using System.Net.Http.Json;
using Concordance;
using Concordance.Storage;

namespace Bank;

/// <summary>
/// The bank's connection to the interbank wire network: once funds are reserved for a wire, asks the network to
/// settle it (an HTTP call — a gateway is the one component allowed to do I/O) and records the network's answer as
/// <see cref="WireTransferSucceeded"/> or <see cref="WireTransferFailed"/>, which the InterbankTransfer process turns
/// into CommitFunds or ReleaseFunds.
/// </summary>
/// <param name="network">The HTTP link to the wire network.</param>
/// <param name="instructions">Finds where the customer asked the wire to go.</param>
public sealed class WireNetwork(WireNetworkClient network, WireInstructions instructions) : WireNetworkGatewayBase
{
    /// <inheritdoc />
    public override async Task HandleAsync(FundsReserved @event, WireNetworkGatewayContext context, CancellationToken cancellationToken)
    {
        var wire = await instructions.FindAsync(@event.AccountNumber, @event.WireTransferId, cancellationToken);
        var answer = await network.SettleAsync(@event.WireTransferId,
            new SettlementRequest(@event.AccountNumber, @event.Amount, wire.TargetRoutingNumber, wire.TargetAccountNumber), cancellationToken);
        // The context takes only the schema's 'emit' events. Emitted ids derive from the FundsReserved event: if this
        // handler runs again (at-least-once delivery), the outcome is recorded once.
        if (answer.Approved)
            await context.EmitAsync(new WireTransferSucceeded(@event.WireTransferId, answer.Note), cancellationToken);
        else
            await context.EmitAsync(new WireTransferFailed(@event.WireTransferId, answer.Note), cancellationToken);
    }
}

/// <summary>The bank's HTTP link to the wire network (see <see cref="SimulatedWireNetwork"/> for the protocol).</summary>
/// <param name="http">A client whose base address is the wire network.</param>
public sealed class WireNetworkClient(HttpClient http)
{
    /// <summary>Asks the network to settle wire <paramref name="wireTransferId"/>; returns its answer.</summary>
    /// <exception cref="HttpRequestException">The network could not be reached or failed (the gateway is retried).</exception>
    public async Task<SettlementAnswer> SettleAsync(string wireTransferId, SettlementRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"wires/{Uri.EscapeDataString(wireTransferId)}/settle", request, BankJson.Default.SettlementRequest, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(BankJson.Default.SettlementAnswer, cancellationToken)
            ?? throw new HttpRequestException($"The wire network sent no answer for wire transfer {wireTransferId}.");
    }
}

/// <summary>
/// Finds the instruction a wire transfer was initiated with: its <see cref="WireTransferInitiated"/> event.
/// </summary>
/// <remarks>
/// <para>
/// The gateway reacts to <see cref="FundsReserved"/>, which (by the schema) carries the account, amount and wire id
/// but not where the money goes. That instruction is recorded once, in the account's own stream, as the
/// <see cref="WireTransferInitiated"/> event with the same wire id; this class reads it back from the event store.
/// </para>
/// <para>
/// Why the event store and not a read model or a second subscription: the event is the source of truth and is
/// guaranteed to be there — ReserveFunds is only sent by the InterbankTransfer process after it handled
/// WireTransferInitiated, so FundsReserved is always later in the same stream. A read model would be eventually
/// consistent (the projector might not have seen the event yet), and the schema gives the gateway no subscription to
/// WireTransferInitiated. Reading is side-effect free; only the gateway, which may do I/O, uses it.
/// </para>
/// </remarks>
/// <param name="store">The store whose event log holds the account's stream.</param>
/// <param name="serializer">Turns stored events back into messages.</param>
/// <param name="account">The account aggregate; its schema name is the stream category.</param>
public sealed class WireInstructions(IConcordanceStore store, MessageSerializer serializer, BankAccount account)
{
    /// <summary>The <see cref="WireTransferInitiated"/> event of wire <paramref name="wireTransferId"/> in account <paramref name="accountNumber"/>'s stream.</summary>
    /// <exception cref="InvalidOperationException">The account's stream has no such wire.</exception>
    public async Task<WireTransferInitiated> FindAsync(string accountNumber, string wireTransferId, CancellationToken cancellationToken)
    {
        var stream = new StreamId(((IAggregate)account).Name, accountNumber);
        await foreach (var stored in store.Events.ReadStreamAsync(stream, 1, cancellationToken))
        {
            if (stored.Type == InitiatedType && serializer.Deserialize(stored) is WireTransferInitiated wire && wire.WireTransferId == wireTransferId)
                return wire;
        }
        throw new InvalidOperationException($"Stream {stream} has no WireTransferInitiated for wire transfer {wireTransferId}.");
    }

    // The stable schema name stored events carry ("Bank.WireTransferInitiated"): only those are read as messages.
    private static readonly string InitiatedType = BankSchema.MessageTypes.Single(t => t.ClrType == typeof(WireTransferInitiated)).Name;
}
