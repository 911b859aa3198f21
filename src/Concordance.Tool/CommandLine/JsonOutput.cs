using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concordance.Tool.CommandLine;

/// <summary>The <c>--json</c> option and its output: one JSON document per line (JSON lines), camelCase names.</summary>
public static class JsonOutput
{
    /// <summary>The options every command's JSON output uses.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>A new <c>--json</c> option for a command.</summary>
    public static Option<bool> CreateOption() => new("--json") { Description = "Write JSON lines for machines instead of text." };

    /// <summary>Writes <paramref name="value"/> as one line of JSON to standard output.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="console">The console.</param>
    /// <param name="value">The value.</param>
    public static void WriteLine<T>(ToolConsole console, T value) => console.WriteLine(JsonSerializer.Serialize(value, SerializerOptions));
}
