using System.CommandLine;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Concordance.Hosting.Commands;

/// <summary>
/// The store commands: <c>events</c> (with <c>export</c> and <c>import</c>), <c>status</c> and <c>dead-letters</c>, on a
/// store named on the command line (the <c>concordance</c> tool) or on an application's own store and components
/// (<c>RunConcordanceCommandsAsync</c> on the host, which adds <c>projections rebuild</c>
/// and <c>dead-letters retry</c>).
/// </summary>
public static class StoreCommands
{
    /// <summary>
    /// The commands for a store named on the command line: <c>--db FILE</c> (SQLite, opened read-only by every command
    /// that only reads) or <c>--nats URL [--prefix P]</c>. The tool adds them to its root command.
    /// </summary>
    /// <param name="console">Where the commands write.</param>
    public static IEnumerable<Command> Create(CommandConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        static StoreSource Source() => new CommandLineStoreSource();
        yield return EventsCommand.Create(console, Source);
        yield return StatusCommand.Create(console, Source());
        yield return DeadLettersCommand.Create(console, Source, inApp: null);
    }

    /// <summary>
    /// The commands on the application's own store and components, from <paramref name="services"/> (the provider of a
    /// host with <c>AddConcordance(…)</c>): the store commands, <c>projections rebuild NAME</c> and <c>dead-letters retry</c>.
    /// </summary>
    /// <param name="console">Where the commands write.</param>
    /// <param name="services">The application's services.</param>
    public static IEnumerable<Command> CreateInApp(CommandConsole console, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(services);
        var store = services.GetRequiredService<IConcordanceStore>();
        var status = services.GetRequiredService<IProcessingStatus>();
        StoreSource Source() => new AppStoreSource(store, status);
        yield return EventsCommand.Create(console, Source);
        yield return StatusCommand.Create(console, Source());
        yield return DeadLettersCommand.Create(console, Source, services.GetRequiredService<IDeadLetters>());
        yield return ProjectionsCommand.Create(console, services.GetRequiredService<IProjectionRebuilder>());
    }
}
