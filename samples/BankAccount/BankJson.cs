using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bank;

/// <summary>
/// JSON type information for the application's own types, written by System.Text.Json's source generator, so the
/// sample needs no reflection and publishes with NativeAOT: the ledger's read model (registered with
/// <c>o.Processing.AddReadModelJson(BankJson.Default)</c>, see <see cref="BankStory.BuildHost"/>) and the wire network's
/// HTTP messages. Web defaults (camelCase), as the runtime's read-model JSON has.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AccountView))]
[JsonSerializable(typeof(SettlementRequest))]
[JsonSerializable(typeof(SettlementAnswer))]
public sealed partial class BankJson : JsonSerializerContext;
