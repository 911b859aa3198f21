using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using NATS.Client.Core;

namespace Concordance.Hosting.Commands;

/// <summary>An expected failure a command reports as one line on standard error with an exit code: a missing file, an unreachable store, an unknown name.</summary>
internal sealed class CommandFailure(string message, int exitCode = CommandExitCodes.UsageOrInputError) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The exit codes of the store commands, the same as every <c>concordance</c> command's.</summary>
public static class CommandExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran and found something wrong (a dead letter retried and failed again).</summary>
    public const int Findings = 1;

    /// <summary>The command could not run: a usage error, a missing or unreadable file, an unreachable store, an unknown name.</summary>
    public const int UsageOrInputError = 2;
}

/// <summary>Runs a command's work and turns every failure into one line on standard error and an exit code, never a stack trace.</summary>
internal static class CommandRun
{
    public static async Task<int> GuardAsync(CommandConsole console, Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var (message, code) = Describe(ex);
            console.WriteError(message);
            return code;
        }
    }

    internal static (string Message, int ExitCode) Describe(Exception ex) => ex switch
    {
        CommandFailure failure => (failure.Message, failure.ExitCode),
        OperationCanceledException => ("cancelled.", CommandExitCodes.UsageOrInputError),
        SqliteException { SqliteErrorCode: 26 } => ("the file is not a SQLite database (SQLite: file is not a database).", CommandExitCodes.UsageOrInputError),
        SqliteException sqlite => ($"SQLite: {sqlite.Message}", CommandExitCodes.UsageOrInputError),
        NatsException or SocketException or TimeoutException => ($"NATS: {Innermost(ex).Message}", CommandExitCodes.UsageOrInputError),
        FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException => (ex.Message, CommandExitCodes.UsageOrInputError),
        InvalidOperationException or ArgumentException or FormatException or System.Text.Json.JsonException => (ex.Message, CommandExitCodes.UsageOrInputError),
        _ => ($"{ex.GetType().Name}: {ex.Message}", CommandExitCodes.UsageOrInputError),
    };

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner) ex = inner;
        return ex;
    }
}
