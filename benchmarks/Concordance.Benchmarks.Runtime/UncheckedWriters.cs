// The generated writers of Ledger.concordance's events and state as the generator wrote them before the write-time
// checks (MessageChecks) were added: the same code with each check call replaced by its argument. The write-checks
// benchmarks measure the checks' cost against these, in one run.
namespace Concordance.Benchmarks.Runtime.Unchecked;

internal static class AccountOpenedWriter
{
    private static readonly global::System.Text.Json.JsonEncodedText EncodedAccountNumber = global::System.Text.Json.JsonEncodedText.Encode("accountNumber"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedInitialBalance = global::System.Text.Json.JsonEncodedText.Encode("initialBalance"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedMinBalance = global::System.Text.Json.JsonEncodedText.Encode("minBalance"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedCustomerId = global::System.Text.Json.JsonEncodedText.Encode("customerId"u8);

    internal static void WriteValue(global::System.Text.Json.Utf8JsonWriter writer, global::Bench.AccountOpened value)
    {
        writer.WriteStartObject();
        writer.WriteString(EncodedAccountNumber, value.AccountNumber);
        writer.WriteNumber(EncodedInitialBalance, value.InitialBalance);
        writer.WriteNumber(EncodedMinBalance, value.MinBalance);
        writer.WriteString(EncodedCustomerId, value.CustomerId);
        writer.WriteEndObject();
    }
}

internal static class FundsDepositedWriter
{
    private static readonly global::System.Text.Json.JsonEncodedText EncodedAccountNumber = global::System.Text.Json.JsonEncodedText.Encode("accountNumber"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedAmount = global::System.Text.Json.JsonEncodedText.Encode("amount"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedNote = global::System.Text.Json.JsonEncodedText.Encode("note"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedCustomerId = global::System.Text.Json.JsonEncodedText.Encode("customerId"u8);

    internal static void WriteValue(global::System.Text.Json.Utf8JsonWriter writer, global::Bench.FundsDeposited value)
    {
        writer.WriteStartObject();
        writer.WriteString(EncodedAccountNumber, value.AccountNumber);
        writer.WriteNumber(EncodedAmount, value.Amount);
        if (value.Note is not { } present2_0) writer.WriteNull(EncodedNote);
        else
        {
            writer.WriteString(EncodedNote, present2_0);
        }
        writer.WriteString(EncodedCustomerId, value.CustomerId);
        writer.WriteEndObject();
    }
}

internal static class FundsWithdrawnWriter
{
    private static readonly global::System.Text.Json.JsonEncodedText EncodedAccountNumber = global::System.Text.Json.JsonEncodedText.Encode("accountNumber"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedAmount = global::System.Text.Json.JsonEncodedText.Encode("amount"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedNote = global::System.Text.Json.JsonEncodedText.Encode("note"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedCustomerId = global::System.Text.Json.JsonEncodedText.Encode("customerId"u8);

    internal static void WriteValue(global::System.Text.Json.Utf8JsonWriter writer, global::Bench.FundsWithdrawn value)
    {
        writer.WriteStartObject();
        writer.WriteString(EncodedAccountNumber, value.AccountNumber);
        writer.WriteNumber(EncodedAmount, value.Amount);
        if (value.Note is not { } present2_0) writer.WriteNull(EncodedNote);
        else
        {
            writer.WriteString(EncodedNote, present2_0);
        }
        writer.WriteString(EncodedCustomerId, value.CustomerId);
        writer.WriteEndObject();
    }
}

internal static class WireTransferInitiatedWriter
{
    private static readonly global::System.Text.Json.JsonEncodedText EncodedAccountNumber = global::System.Text.Json.JsonEncodedText.Encode("accountNumber"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedAmount = global::System.Text.Json.JsonEncodedText.Encode("amount"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedNote = global::System.Text.Json.JsonEncodedText.Encode("note"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedCustomerId = global::System.Text.Json.JsonEncodedText.Encode("customerId"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedWireTransferId = global::System.Text.Json.JsonEncodedText.Encode("wireTransferId"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedTargetRoutingNumber = global::System.Text.Json.JsonEncodedText.Encode("targetRoutingNumber"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedTargetAccountNumber = global::System.Text.Json.JsonEncodedText.Encode("targetAccountNumber"u8);

    internal static void WriteValue(global::System.Text.Json.Utf8JsonWriter writer, global::Bench.WireTransferInitiated value)
    {
        writer.WriteStartObject();
        writer.WriteString(EncodedAccountNumber, value.AccountNumber);
        writer.WriteNumber(EncodedAmount, value.Amount);
        if (value.Note is not { } present2_0) writer.WriteNull(EncodedNote);
        else
        {
            writer.WriteString(EncodedNote, present2_0);
        }
        writer.WriteString(EncodedCustomerId, value.CustomerId);
        writer.WriteString(EncodedWireTransferId, value.WireTransferId);
        writer.WriteString(EncodedTargetRoutingNumber, value.TargetRoutingNumber);
        writer.WriteString(EncodedTargetAccountNumber, value.TargetAccountNumber);
        writer.WriteEndObject();
    }
}

internal static class FundsReservedWriter
{
    private static readonly global::System.Text.Json.JsonEncodedText EncodedAccountNumber = global::System.Text.Json.JsonEncodedText.Encode("accountNumber"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedAmount = global::System.Text.Json.JsonEncodedText.Encode("amount"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedCustomerId = global::System.Text.Json.JsonEncodedText.Encode("customerId"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedWireTransferId = global::System.Text.Json.JsonEncodedText.Encode("wireTransferId"u8);

    internal static void WriteValue(global::System.Text.Json.Utf8JsonWriter writer, global::Bench.FundsReserved value)
    {
        writer.WriteStartObject();
        writer.WriteString(EncodedAccountNumber, value.AccountNumber);
        writer.WriteNumber(EncodedAmount, value.Amount);
        writer.WriteString(EncodedCustomerId, value.CustomerId);
        writer.WriteString(EncodedWireTransferId, value.WireTransferId);
        writer.WriteEndObject();
    }
}

internal static class FundsReleasedWriter
{
    private static readonly global::System.Text.Json.JsonEncodedText EncodedAccountNumber = global::System.Text.Json.JsonEncodedText.Encode("accountNumber"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedCustomerId = global::System.Text.Json.JsonEncodedText.Encode("customerId"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedWireTransferId = global::System.Text.Json.JsonEncodedText.Encode("wireTransferId"u8);

    internal static void WriteValue(global::System.Text.Json.Utf8JsonWriter writer, global::Bench.FundsReleased value)
    {
        writer.WriteStartObject();
        writer.WriteString(EncodedAccountNumber, value.AccountNumber);
        writer.WriteString(EncodedCustomerId, value.CustomerId);
        writer.WriteString(EncodedWireTransferId, value.WireTransferId);
        writer.WriteEndObject();
    }
}

internal static class FundsCommittedWriter
{
    private static readonly global::System.Text.Json.JsonEncodedText EncodedAccountNumber = global::System.Text.Json.JsonEncodedText.Encode("accountNumber"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedCustomerId = global::System.Text.Json.JsonEncodedText.Encode("customerId"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedWireTransferId = global::System.Text.Json.JsonEncodedText.Encode("wireTransferId"u8);

    internal static void WriteValue(global::System.Text.Json.Utf8JsonWriter writer, global::Bench.FundsCommitted value)
    {
        writer.WriteStartObject();
        writer.WriteString(EncodedAccountNumber, value.AccountNumber);
        writer.WriteString(EncodedCustomerId, value.CustomerId);
        writer.WriteString(EncodedWireTransferId, value.WireTransferId);
        writer.WriteEndObject();
    }
}

internal static class AccountStateWriter
{
    private static readonly global::System.Text.Json.JsonEncodedText EncodedBalance = global::System.Text.Json.JsonEncodedText.Encode("balance"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedMinBalance = global::System.Text.Json.JsonEncodedText.Encode("minBalance"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedCustomerId = global::System.Text.Json.JsonEncodedText.Encode("customerId"u8);
    private static readonly global::System.Text.Json.JsonEncodedText EncodedReservedFunds = global::System.Text.Json.JsonEncodedText.Encode("reservedFunds"u8);

    internal static void WriteValue(global::System.Text.Json.Utf8JsonWriter writer, global::Bench.AccountState value)
    {
        writer.WriteStartObject();
        writer.WriteNumber(EncodedBalance, value.Balance);
        writer.WriteNumber(EncodedMinBalance, value.MinBalance);
        writer.WriteString(EncodedCustomerId, value.CustomerId);
        writer.WriteStartObject(EncodedReservedFunds);
        foreach (var pair3_0 in value.ReservedFunds)
        {
            writer.WriteNumber(pair3_0.Key, pair3_0.Value);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
