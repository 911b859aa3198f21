using Concordance;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Concordance to a service collection.</summary>
public static class ConcordanceServiceCollectionExtensions
{
    /// <summary>
    /// Adds Concordance and returns a builder; chain <c>.AddGeneratedComponents()</c> to register
    /// the schema's messages and every component implemented in the calling assembly.
    /// </summary>
    public static IConcordanceBuilder AddConcordance(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var catalog = services.FirstOrDefault(d => d.ServiceType == typeof(ComponentCatalog))?.ImplementationInstance as ComponentCatalog;
        if (catalog is null)
        {
            catalog = new ComponentCatalog();
            services.AddSingleton(catalog);
        }
        return new ConcordanceBuilder(services, catalog);
    }
}
