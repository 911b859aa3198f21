namespace Concordance.Analyzers.Tests.Infrastructure;

/// <summary>Schemas and C# shared by several tests.</summary>
internal static class Samples
{
    /// <summary>The reference sample's schema, verbatim from the product design.</summary>
    public const string BankSchema = """
        namespace Bank;

        /// Opens a new account. Doc comments flow into the generated XML docs.
        command CreateAccount { accountNumber: string, initialBalance: decimal, minBalance: decimal, customerId: string }
        command DepositFunds  { accountNumber: string, amount: decimal, note: string?, customerId: string }
        command WithdrawFunds { accountNumber: string, amount: decimal, note: string?, customerId: string }
        command WireFunds     { accountNumber: string, amount: decimal, note: string?, customerId: string,
                                wireTransferId: string, targetRoutingNumber: string, targetAccountNumber: string }
        command ReserveFunds  { accountNumber: string, amount: decimal, customerId: string, wireTransferId: string }
        command ReleaseFunds  { accountNumber: string, customerId: string, wireTransferId: string }
        command CommitFunds   { accountNumber: string, customerId: string, wireTransferId: string }

        event AccountCreated        { accountNumber: string, initialBalance: decimal, minBalance: decimal, customerId: string }
        event FundsDeposited        { accountNumber: string, amount: decimal, note: string?, customerId: string }
        event FundsWithdrawn        { accountNumber: string, amount: decimal, note: string?, customerId: string }
        event WireTransferInitiated { accountNumber: string, amount: decimal, note: string?, customerId: string,
                                      wireTransferId: string, targetRoutingNumber: string, targetAccountNumber: string }
        event FundsReserved         { accountNumber: string, amount: decimal, customerId: string, wireTransferId: string }
        event FundsReleased         { accountNumber: string, customerId: string, wireTransferId: string }
        event FundsCommitted        { accountNumber: string, customerId: string, wireTransferId: string }
        /// Outcomes reported by the external wire network.
        event WireTransferSucceeded { wireTransferId: string, note: string? }
        event WireTransferFailed    { wireTransferId: string, note: string? }

        enum TransferStatus { Requested, FundsReserved, Completed, Failed }

        aggregate BankAccount {
            key accountNumber
            state { balance: decimal, minBalance: decimal, customerId: string, reservedFunds: map<string, decimal> }
            handle CreateAccount -> AccountCreated
            handle DepositFunds  -> FundsDeposited
            handle WithdrawFunds -> FundsWithdrawn
            handle WireFunds     -> WireTransferInitiated
            handle ReserveFunds  -> FundsReserved
            handle ReleaseFunds  -> FundsReleased
            handle CommitFunds   -> FundsCommitted
        }

        projector AccountLedger {
            on AccountCreated, FundsDeposited, FundsWithdrawn, FundsReserved, FundsReleased, FundsCommitted
        }

        process InterbankTransfer {
            key wireTransferId
            state { accountNumber: string, customerId: string, amount: decimal, status: TransferStatus }
            start on WireTransferInitiated
            on FundsReserved, WireTransferSucceeded, WireTransferFailed
            end on FundsCommitted, FundsReleased
            send ReserveFunds, CommitFunds, ReleaseFunds
        }

        gateway WireNetwork {
            on FundsReserved
            emit WireTransferSucceeded, WireTransferFailed
        }

        """;

    /// <summary>
    /// Stand-ins for the generator's base classes of the Bank sample: the analyzers only look at
    /// the inheritance, so empty abstract classes of the contract's names are enough.
    /// </summary>
    public const string BankGeneratedBases = """
        namespace Bank
        {
            public abstract partial class BankAccountAggregateBase { }
            public abstract partial class AccountLedgerProjectorBase { }
            public abstract partial class InterbankTransferProcessManagerBase { }
            public abstract partial class WireNetworkGatewayBase { }
        }
        """;

    /// <summary>One implementation of each Bank component, as a user writes them.</summary>
    public const string BankImplementations = """
        namespace MyBank
        {
            public sealed class BankAccount : Bank.BankAccountAggregateBase { }
            public sealed class AccountLedger : Bank.AccountLedgerProjectorBase { }
            public sealed class InterbankTransfer : Bank.InterbankTransferProcessManagerBase { }
            public sealed class WireNetwork : Bank.WireNetworkGatewayBase { }
        }
        """;
}
