namespace Concordance.LanguageServer;

/// <summary>
/// The Concordance language server: LSP 3.17 over a pair of streams (stdin and stdout for <c>concordance lsp</c>),
/// built on the schema library's own parser and checker, so the editor shows exactly what the build reports.
/// </summary>
public static class ConcordanceLanguageServer
{
    /// <summary>
    /// Serves one client until it sends <c>exit</c> or closes <paramref name="input"/>. Never throws for anything the
    /// client sends: malformed frames and JSON get a parse error, unknown methods MethodNotFound.
    /// </summary>
    /// <param name="input">The client's messages (the process's standard input).</param>
    /// <param name="output">Where responses and notifications go (the process's standard output; nothing else may write there).</param>
    /// <param name="log">Where the server notes its own failures (standard error); null for nowhere.</param>
    /// <param name="cancellationToken">Stops serving.</param>
    /// <returns>The process exit code LSP prescribes: 0 when <c>exit</c> follows <c>shutdown</c>, 1 otherwise.</returns>
    public static Task<int> RunAsync(Stream input, Stream output, TextWriter? log = null, CancellationToken cancellationToken = default) =>
        new Server(new Protocol.MessageReader(input), new Protocol.MessageWriter(output), log ?? TextWriter.Null).RunAsync(cancellationToken);

    /// <summary>Serves on the process's standard input and output; what <c>concordance lsp</c> runs.</summary>
    /// <returns>The exit code (see <see cref="RunAsync(Stream, Stream, TextWriter?, CancellationToken)"/>).</returns>
    public static async Task<int> RunOnStandardStreamsAsync()
    {
        using var input = Console.OpenStandardInput();
        using var output = Console.OpenStandardOutput();
        return await RunAsync(input, output, Console.Error).ConfigureAwait(false);
    }
}
