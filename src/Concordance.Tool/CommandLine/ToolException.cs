namespace Concordance.Tool.CommandLine;

/// <summary>
/// An expected failure a command reports as one line (<c>error: …</c>) on standard error with an exit code, without a
/// stack trace: a missing file, an unreadable store, a name that does not exist.
/// </summary>
public sealed class ToolException : Exception
{
    /// <summary>A failure with <see cref="ExitCodes.UsageOrInputError"/>.</summary>
    /// <param name="message">The line shown after <c>error: </c>.</param>
    public ToolException(string message) : this(message, ExitCodes.UsageOrInputError) { }

    /// <summary>A failure with the given exit code.</summary>
    /// <param name="message">The line shown after <c>error: </c>.</param>
    /// <param name="exitCode">The process's exit code.</param>
    public ToolException(string message, int exitCode) : base(message) => ExitCode = exitCode;

    /// <summary>A failure with <see cref="ExitCodes.UsageOrInputError"/> caused by <paramref name="inner"/>.</summary>
    /// <param name="message">The line shown after <c>error: </c>.</param>
    /// <param name="inner">The exception that caused it.</param>
    public ToolException(string message, Exception inner) : base(message, inner) => ExitCode = ExitCodes.UsageOrInputError;

    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; }
}
