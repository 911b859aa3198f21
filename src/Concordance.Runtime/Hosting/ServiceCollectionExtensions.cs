using Concordance;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.TryAddSingleton<ICommandBus>(sp => sp.GetRequiredService<CommandBus>());
        return new ConcordanceBuilder(services, catalog);
    }
}
