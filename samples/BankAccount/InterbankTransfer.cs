using Concordance;
namespace Bank;

/// <summary>
/// Moves a wire transfer through its steps: reserve the funds, wait for the wire network's answer,
/// then commit the hold (approved) or release it (declined). Ends when the hold is settled.
/// </summary>
public sealed class InterbankTransfer : InterbankTransferProcessManagerBase
{
    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(WireTransferInitiated @event, InterbankTransferState? state) =>
        Continue(
            new InterbankTransferState(@event.AccountNumber, @event.CustomerId, @event.Amount, TransferStatus.Requested),
            new ReserveFunds(@event.AccountNumber, @event.Amount, @event.CustomerId, @event.WireTransferId));

    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(FundsReserved @event, InterbankTransferState? state) =>
        Continue(state! with { Status = TransferStatus.FundsReserved });

    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(WireTransferSucceeded @event, InterbankTransferState? state) =>
        Continue(
            state! with { Status = TransferStatus.Completed },
            new CommitFunds(state.AccountNumber, state.CustomerId, @event.WireTransferId));

    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(WireTransferFailed @event, InterbankTransferState? state) =>
        Continue(
            state! with { Status = TransferStatus.Failed },
            new ReleaseFunds(state.AccountNumber, state.CustomerId, @event.WireTransferId));

    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(FundsCommitted @event, InterbankTransferState? state) => Complete();

    /// <inheritdoc />
    public override InterbankTransferOutcome Handle(FundsReleased @event, InterbankTransferState? state) => Complete();
}
