using Spectre.Console;

namespace Concordance.Hosting.Commands;

/// <summary>
/// Where the store commands write: standard output through Spectre.Console (plain text when redirected, no colour with
/// <c>NO_COLOR</c>), standard error for one-line errors, and the raw output stream for JSON lines (no re-encoding).
/// </summary>
public sealed class CommandConsole
{
    /// <summary>A console over the given writers.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="outputIsTerminal">Whether <paramref name="output"/> is a terminal (not redirected).</param>
    /// <param name="rawOutput">
    /// The byte stream under <paramref name="output"/>, for JSON lines written as UTF-8 bytes; null to write them
    /// through <paramref name="output"/>.
    /// </param>
    public CommandConsole(TextWriter output, TextWriter error, bool outputIsTerminal, Stream? rawOutput = null)
        : this(AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = outputIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = outputIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = outputIsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        }), error, outputIsTerminal, rawOutput)
    {
    }

    /// <summary>A console over a Spectre.Console console the host already made (the tool's).</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="outputIsTerminal">Whether standard output is a terminal (not redirected).</param>
    /// <param name="rawOutput">The byte stream under standard output, or null.</param>
    public CommandConsole(IAnsiConsole output, TextWriter error, bool outputIsTerminal, Stream? rawOutput = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Out = output;
        Error = error;
        IsTerminal = outputIsTerminal;
        RawOutput = rawOutput;
    }

    /// <summary>
    /// A console over a host's Spectre.Console output (the tool's); JSON lines go straight to the process's standard output
    /// stream when that output is the process's own.
    /// </summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="outputIsTerminal">Whether standard output is a terminal (not redirected).</param>
    public static CommandConsole Over(IAnsiConsole output, TextWriter error, bool outputIsTerminal)
    {
        ArgumentNullException.ThrowIfNull(output);
        var own = ReferenceEquals(output.Profile.Out.Writer, Console.Out);
        return new CommandConsole(output, error, outputIsTerminal, own ? Console.OpenStandardOutput() : null);
    }

    /// <summary>The console of this process.</summary>
    public static CommandConsole FromProcess() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected, Console.OpenStandardOutput());

    /// <summary>Standard output, for text, tables and progress.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether standard output is a terminal; when false, output is plain text a script can read.</summary>
    public bool IsTerminal { get; }

    /// <summary>The byte stream under standard output, or null.</summary>
    public Stream? RawOutput { get; }

    /// <summary>Writes <paramref name="text"/> and a line break to standard output, as is (no markup).</summary>
    public void WriteLine(string text) => Out.Profile.Out.Writer.WriteLine(text);

    /// <summary>Writes one line <c>error: {message}</c> to standard error.</summary>
    public void WriteError(string message) => Error.WriteLine("error: " + message.ReplaceLineEndings(" ").Trim());

    /// <summary>A table with a border on a terminal and none when redirected, so scripts can split columns on spaces.</summary>
    internal Table CreateTable(params string[] columns)
    {
        var table = new Table();
        if (!IsTerminal) table.Border(TableBorder.None);
        foreach (var column in columns) table.AddColumn(new TableColumn(Markup.Escape(column)));
        return table;
    }
}
