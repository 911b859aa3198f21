using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concordance.Hosting.Commands;

/// <summary>The JSON shapes the commands write, camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StatusLine))]
[JsonSerializable(typeof(DeadLetterLine))]
internal sealed partial class CommandJson : JsonSerializerContext;
