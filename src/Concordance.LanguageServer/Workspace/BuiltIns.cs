namespace Concordance.LanguageServer.Workspace;

/// <summary>The schema language's fixed vocabulary: built-in types with their C# spelling, and the keywords by place.</summary>
internal static class BuiltIns
{
    /// <summary>Each built-in type and the C# type the generator writes for it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["string"] = "string",
        ["bool"] = "bool",
        ["int"] = "int",
        ["long"] = "long",
        ["decimal"] = "decimal",
        ["double"] = "double",
        ["guid"] = "System.Guid",
        ["timestamp"] = "System.DateTimeOffset",
        ["date"] = "System.DateOnly",
        ["duration"] = "System.TimeSpan",
        ["bytes"] = "byte[]",
    };

    public static bool IsBuiltInType(string name) => Types.ContainsKey(name);

    /// <summary>Keywords that start a declaration.</summary>
    public static readonly string[] TopLevel = ["command", "event", "record", "enum", "aggregate", "projector", "process", "gateway", "upcast"];

    public static readonly string[] AggregateClauses = ["key", "state", "handle"];
    public static readonly string[] ProcessClauses = ["key", "state", "start on", "on", "end on", "send"];
    public static readonly string[] ProjectorClauses = ["on"];
    public static readonly string[] GatewayClauses = ["on", "emit", "send"];

    /// <summary>Every word the language reserves somewhere, for colouring.</summary>
    public static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "namespace", "command", "event", "record", "enum", "aggregate", "projector", "process", "gateway", "upcast",
        "key", "state", "handle", "on", "start", "end", "send", "emit", "fallback", "list", "map",
    };
}
