using System.CommandLine;
using Concordance.Tool.CommandLine;
using Concordance.Tool.Schema;

namespace Concordance.Tool;

/// <summary>
/// The <c>concordance</c> command line: the root command composed from one class per area, and the conventions every
/// command shares (help, version, exit codes, one-line errors).
/// </summary>
public static class ToolCommandLine
{
    /// <summary>The environment variable that makes an unexpected error print its stack trace.</summary>
    public const string TraceVariable = "CONCORDANCE_TRACE";

    /// <summary>The root command with every area's commands. Each area adds its commands in one line here.</summary>
    /// <param name="console">Where the commands write.</param>
    public static RootCommand Create(ToolConsole console)
    {
        var root = new RootCommand("Concordance: format, check, lock and draw .concordance schemas.");
        root.AddCommands(SchemaCommands.Create(console));
        root.Add(LanguageServer.LspCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Returns <see cref="ExitCodes.Success"/>, <see cref="ExitCodes.Findings"/>
    /// or <see cref="ExitCodes.UsageOrInputError"/>; an error is one line on standard error, never a stack trace.
    /// </summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="console">Where the commands write.</param>
    public static async Task<int> RunAsync(string[] args, ToolConsole console)
    {
        var root = Create(console);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) console.WriteError(error.Message);
            console.Error.WriteLine($"Run '{string.Join(' ', CommandPath(parsed).Prepend("concordance"))} --help' for usage.");
            return ExitCodes.UsageOrInputError;
        }

        var invocation = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            Output = console.Out.Profile.Out.Writer,
            Error = console.Error,
        };
        try
        {
            return await parsed.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (ToolException e)
        {
            console.WriteError(e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            console.WriteError("cancelled");
            return ExitCodes.UsageOrInputError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            console.WriteError(e.Message);
            return ExitCodes.UsageOrInputError;
        }
        catch (Exception e)
        {
            // A bug, not the user's mistake: still one line, and the whole trace only when asked for.
            console.WriteError($"unexpected {e.GetType().Name}: {e.Message} (set {TraceVariable}=1 for details)");
            if (Environment.GetEnvironmentVariable(TraceVariable) == "1") console.Error.WriteLine(e);
            return ExitCodes.UsageOrInputError;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var names = new Stack<string>();
        for (var result = parsed.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
            names.Push(result.Command.Name);
        return names;
    }

    private static void AddCommands(this Command parent, IEnumerable<Command> commands)
    {
        foreach (var command in commands) parent.Add(command);
    }
}
