using System.CommandLine;
using Concordance.LanguageServer;

namespace Concordance.Tool.LanguageServer;

/// <summary>
/// <c>concordance lsp</c>: the language server on standard input and output, for editors. It takes no console: the
/// protocol owns standard output, and nothing else may write there.
/// </summary>
internal static class LspCommand
{
    public static Command Create()
    {
        // vscode-languageclient adds --stdio when it talks over standard streams; it is the only transport, so it is accepted and changes nothing.
        var stdio = new Option<bool>("--stdio") { Description = "Talk LSP over standard input and output (the default and only transport)." };
        var command = new Command("lsp", "Run the language server for editors (LSP over standard input and output).")
        {
            stdio,
        };
        command.SetAction((_, _) => ConcordanceLanguageServer.RunOnStandardStreamsAsync());
        return command;
    }
}
