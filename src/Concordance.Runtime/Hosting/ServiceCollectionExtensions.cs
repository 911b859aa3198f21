using Concordance;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Concordance to a service collection.</summary>
public static class ConcordanceServiceCollectionExtensions
{
    /// <summary>
    /// Adds Concordance and returns a builder; chain <c>.AddGeneratedComponents()</c> to register
    /// the schema's messages and every component implemented in the calling assembly.
    /// Without options the store is in memory.
    /// </summary>
    public static IConcordanceBuilder AddConcordance(this IServiceCollection services) => services.AddConcordance(_ => { });

    /// <summary>
    /// Adds Concordance configured by <paramref name="configure"/> (e.g. <c>o => o.UseSqlite("Data Source=app.db")</c>)
    /// and returns a builder. Calling it again reconfigures the same options.
    /// </summary>
    public static IConcordanceBuilder AddConcordance(this IServiceCollection services, Action<ConcordanceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var catalog = services.FirstOrDefault(d => d.ServiceType == typeof(ComponentCatalog))?.ImplementationInstance as ComponentCatalog;
        if (catalog is null)
        {
            catalog = new ComponentCatalog();
            services.AddSingleton(catalog);
        }
        var options = services.FirstOrDefault(d => d.ServiceType == typeof(ConcordanceOptions))?.ImplementationInstance as ConcordanceOptions;
        if (options is null)
        {
            options = new ConcordanceOptions();
            services.AddSingleton(options);
        }
        configure(options);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IConcordanceStore>(sp => options.StoreFactory(sp));
        services.TryAddSingleton(sp => new MessageSerializer(sp.GetRequiredService<ComponentCatalog>()));
        services.TryAddSingleton(sp => new CommandBus(
            sp.GetRequiredService<IConcordanceStore>(),
            sp.GetServices<IAggregate>(),
            sp.GetRequiredService<MessageSerializer>(),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<CommandBus>()));
        services.TryAddSingleton<ICommandBus>(sp => ArmWorkerStartCheck(sp, sp.GetRequiredService<CommandBus>()));
        AddProcessing(services, options);
        return new ConcordanceBuilder(services, catalog);
    }

    // Projectors, process managers, gateways and the outbox: runners, the query and admin APIs, and the outbox worker
    // (each component's worker is registered with the component, by the builder).
    private static void AddProcessing(IServiceCollection services, ConcordanceOptions options)
    {
        if (services.Any(d => d.ServiceType == typeof(ComponentRunners))) return;
        services.AddSingleton(sp => new ProcessingEnvironment(
            sp.GetRequiredService<IConcordanceStore>(),
            sp.GetRequiredService<MessageSerializer>(),
            sp.GetRequiredService<ComponentCatalog>(),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ICommandBus>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetServices<IAggregate>(),
            sp.GetServices<IGateway>()));
        services.AddSingleton(sp =>
        {
            var projectors = sp.GetServices<IProjector>().ToList();
            options.Processing.CheckReadModelJson(projectors.Count, System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault);
            return new ComponentRunners(projectors, sp.GetServices<IProcessManager>(), sp.GetServices<IGateway>(), sp.GetRequiredService<ProcessingEnvironment>());
        });
        services.AddSingleton(sp => new WorkerStartCheck(
            sp.GetRequiredService<ComponentCatalog>(),
            // Every host registers its lifetime; a provider built straight from a ServiceCollection has none.
            sp.GetService<IHostApplicationLifetime>() is not null,
            sp.GetRequiredService<TimeProvider>(),
            LoggerOf<WorkerStartCheck>(sp)));
        services.AddSingleton<IReadModels>(sp => ArmWorkerStartCheck(sp, new ReadModels(sp.GetRequiredService<ComponentRunners>())));
        services.AddSingleton<IProjectionProgress>(sp => ArmWorkerStartCheck(sp, new ProjectionProgress(sp.GetRequiredService<ComponentRunners>())));
        services.AddSingleton<IDeadLetters>(sp => new DeadLetters(sp.GetRequiredService<ComponentRunners>()));
        services.AddSingleton<IProjectionRebuilder>(sp => new ProjectionRebuilder(sp.GetRequiredService<ComponentRunners>()));
        services.AddSingleton(sp => new ConcordanceWorkers(sp.GetRequiredService<ProcessingEnvironment>()));
        services.AddSingleton<IConcordanceWorkers>(sp => sp.GetRequiredService<ConcordanceWorkers>());
        services.AddSingleton<IProcessingStatus>(sp => new ProcessingStatus(sp.GetRequiredService<ComponentRunners>()));
        services.AddSingleton<IHostedService>(sp => new OutboxWorker(
            sp.GetRequiredService<ComponentRunners>(), LoggerOf<OutboxWorker>(sp), sp.GetRequiredService<WorkerStartCheck>(),
            sp.GetRequiredService<ConcordanceWorkers>().For(ConcordanceWorkers.OutboxName)));
    }

    // Using the bus or the read models is the point where components without a running worker start to matter.
    private static T ArmWorkerStartCheck<T>(IServiceProvider services, T service)
    {
        services.GetRequiredService<WorkerStartCheck>().Arm();
        return service;
    }

    internal static ILogger<T> LoggerOf<T>(IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<T>.Instance;
}
