namespace Concordance.LanguageServer.Protocol;

/// <summary>JSON-RPC and LSP error codes.</summary>
internal static class ErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int ServerNotInitialized = -32002;
    public const int RequestFailed = -32803;
}

/// <summary>A request that fails with a JSON-RPC error the client is told about.</summary>
internal sealed class RequestException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
