using Spectre.Console;

namespace Concordance.Tool.CommandLine;

/// <summary>
/// Standard output and standard error of a command. Output goes through Spectre.Console, which writes plain text when
/// the output is redirected and no colour when <c>NO_COLOR</c> is set; errors are plain lines on standard error.
/// </summary>
public sealed class ToolConsole
{
    /// <summary>A console over the given writers.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="outputIsTerminal">Whether <paramref name="output"/> is a terminal (not redirected).</param>
    public ToolConsole(TextWriter output, TextWriter error, bool outputIsTerminal)
    {
        IsTerminal = outputIsTerminal;
        Out = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            // Spectre detects ANSI and colour support and honours NO_COLOR; redirected output is never decorated.
            Ansi = outputIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = outputIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = outputIsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Redirected output is read by scripts: never wrap it at a guessed console width.
        if (!outputIsTerminal) Out.Profile.Width = RedirectedWidth;
        Error = error;
    }

    /// <summary>The line width assumed when output is redirected: wide enough that nothing is wrapped.</summary>
    public const int RedirectedWidth = 4096;

    /// <summary>Standard output, for text, tables and progress.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether standard output is a terminal; when false, output is plain text a script can read.</summary>
    public bool IsTerminal { get; }

    /// <summary>The console of this process.</summary>
    public static ToolConsole FromProcess() => new(Console.Out, Console.Error, !Console.IsOutputRedirected);

    /// <summary>Writes <paramref name="text"/> and a line break to standard output, as is (no markup).</summary>
    /// <param name="text">The text.</param>
    public void WriteLine(string text) => Out.Profile.Out.Writer.WriteLine(text);

    /// <summary>Writes one line <c>error: {message}</c> to standard error.</summary>
    /// <param name="message">What went wrong, on one line.</param>
    public void WriteError(string message) => Error.WriteLine("error: " + OneLine(message));

    /// <summary>Writes one line <c>warning: {message}</c> to standard error.</summary>
    /// <param name="message">What the user should know, on one line.</param>
    public void WriteWarning(string message) => Error.WriteLine("warning: " + OneLine(message));

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
