using System.CommandLine;
using Concordance.Hosting.Commands;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// In-app commands, as <c>dotnet run -- concordance …</c>: the commands that need the application's own components
/// (rebuilding a projection, retrying a dead letter) run inside it, on its store.
/// </summary>
public static class ConcordanceCommandsHostExtensions
{
    /// <summary>The first argument that makes the application run a command instead of itself.</summary>
    public const string CommandName = "concordance";

    /// <summary>True when <paramref name="args"/> ask for a command (<c>concordance …</c>) rather than the application.</summary>
    /// <param name="args">The application's arguments.</param>
    public static bool IsConcordanceCommand(string[] args) => args is [CommandName, ..];

    /// <summary>
    /// When <paramref name="args"/> start with <c>concordance</c>, runs that command with the application's components and
    /// store (<c>projections rebuild NAME</c>, <c>dead-letters list | show ID | retry ID | retry --all | discard ID</c>,
    /// <c>status</c>, <c>events</c>) without starting the host's workers, disposes the host, and returns the command's exit
    /// code (0 done, 1 findings, 2 usage or input error). Any other arguments run the application as usual
    /// (<see cref="HostingAbstractionsHostExtensions.RunAsync"/>) and return 0 when it stops.
    /// </summary>
    /// <param name="host">The application's host, built with <c>AddConcordance(…)</c> and not started.</param>
    /// <param name="args">The application's arguments.</param>
    /// <param name="console">Where commands write; the process's console by default.</param>
    /// <param name="cancellationToken">Cancels the command or stops the application.</param>
    public static async Task<int> RunConcordanceCommandsAsync(this IHost host, string[] args, CommandConsole? console = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(args);
        if (!IsConcordanceCommand(args))
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        console ??= CommandConsole.FromProcess();
        try
        {
            var commands = new Command(CommandName, "Commands on this application's Concordance store and components.");
            foreach (var command in StoreCommands.CreateInApp(console, host.Services)) commands.Add(command);
            var root = new RootCommand { commands };
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var error in parsed.Errors) console.WriteError(error.Message);
                console.Error.WriteLine($"Run with '{CommandName} --help' for usage.");
                return CommandExitCodes.UsageOrInputError;
            }
            var invocation = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = console.Out.Profile.Out.Writer,
                Error = console.Error,
            };
            try
            {
                return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                var (message, code) = CommandRun.Describe(ex);
                console.WriteError(message);
                return code;
            }
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            else host.Dispose();
        }
    }
}
