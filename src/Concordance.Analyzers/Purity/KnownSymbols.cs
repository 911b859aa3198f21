using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers.Purity;

/// <summary>The runtime and BCL types the purity rules recognise, resolved once per compilation.</summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation)
    {
        Aggregate = compilation.GetTypeByMetadataName("Concordance.IAggregate");
        Projector = compilation.GetTypeByMetadataName("Concordance.IProjector");
        ProcessManager = compilation.GetTypeByMetadataName("Concordance.IProcessManager");
        Gateway = compilation.GetTypeByMetadataName("Concordance.IGateway");
        Event = compilation.GetTypeByMetadataName("Concordance.IEvent");
        ProjectionContext = compilation.GetTypeByMetadataName("Concordance.ProjectionContext");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
    }

    public INamedTypeSymbol? Aggregate { get; }

    public INamedTypeSymbol? Projector { get; }

    public INamedTypeSymbol? ProcessManager { get; }

    public INamedTypeSymbol? Gateway { get; }

    public INamedTypeSymbol? Event { get; }

    public INamedTypeSymbol? ProjectionContext { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    /// <summary>The known symbols, or null when the compilation has no component interface (nothing to analyze).</summary>
    public static KnownSymbols? TryCreate(Compilation compilation)
    {
        var known = new KnownSymbols(compilation);
        return known.Aggregate is null && known.Projector is null && known.ProcessManager is null ? null : known;
    }

    /// <summary>True for Task, Task&lt;T&gt;, ValueTask and ValueTask&lt;T&gt;.</summary>
    public bool IsTaskType(ITypeSymbol? type)
    {
        var definition = type?.OriginalDefinition;
        return definition is not null &&
            (SymbolEqualityComparer.Default.Equals(definition, Task) ||
             SymbolEqualityComparer.Default.Equals(definition, TaskOfT) ||
             SymbolEqualityComparer.Default.Equals(definition, ValueTask) ||
             SymbolEqualityComparer.Default.Equals(definition, ValueTaskOfT));
    }
}
