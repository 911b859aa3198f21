using System.CommandLine;
using Concordance.LanguageServer;
using Concordance.Tool.CommandLine;

namespace Concordance.Tool.LanguageServer;

/// <summary><c>concordance lsp</c>: the language server on standard input and output, for editors.</summary>
internal static class LspCommand
{
    public static Command Create(ToolConsole console)
    {
        // vscode-languageclient adds --stdio when it talks over standard streams; it is the only transport, so it is accepted and changes nothing.
        var stdio = new Option<bool>("--stdio") { Description = "Talk LSP over standard input and output (the default and only transport)." };
        var command = new Command("lsp", "Run the language server for editors (LSP over standard input and output).")
        {
            stdio,
        };
        _ = console; // the protocol owns standard output: nothing else may write there
        command.SetAction((_, _) => ConcordanceLanguageServer.RunOnStandardStreamsAsync());
        return command;
    }
}
