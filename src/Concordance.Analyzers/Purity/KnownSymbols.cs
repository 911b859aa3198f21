using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers.Purity;

/// <summary>The runtime and BCL types the purity rules recognise, resolved once per compilation.</summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation, INamedTypeSymbol? aggregate, INamedTypeSymbol? projector, INamedTypeSymbol? processManager)
    {
        Aggregate = aggregate;
        Projector = projector;
        ProcessManager = processManager;
        var runtime = (aggregate ?? projector ?? processManager)!.ContainingAssembly;
        Gateway = Find(compilation, runtime, "Concordance.IGateway");
        Event = Find(compilation, runtime, "Concordance.IEvent");
        ProjectionContext = Find(compilation, runtime, "Concordance.ProjectionContext");
        var core = compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly;
        Task = Find(compilation, core, "System.Threading.Tasks.Task");
        TaskOfT = Find(compilation, core, "System.Threading.Tasks.Task`1");
        ValueTask = Find(compilation, core, "System.Threading.Tasks.ValueTask");
        ValueTaskOfT = Find(compilation, core, "System.Threading.Tasks.ValueTask`1");
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
        var aggregate = compilation.GetTypeByMetadataName("Concordance.IAggregate");
        var projector = aggregate?.ContainingAssembly.GetTypeByMetadataName("Concordance.IProjector") ?? compilation.GetTypeByMetadataName("Concordance.IProjector");
        var processManager = (aggregate ?? projector)?.ContainingAssembly.GetTypeByMetadataName("Concordance.IProcessManager") ?? compilation.GetTypeByMetadataName("Concordance.IProcessManager");
        return aggregate is null && projector is null && processManager is null ? null : new KnownSymbols(compilation, aggregate, projector, processManager);
    }

    // A lookup in the assembly that defines the type (the runtime's, the core library's) is one
    // dictionary probe; the compilation's lookup searches every referenced assembly.
    private static INamedTypeSymbol? Find(Compilation compilation, IAssemblySymbol? home, string metadataName) =>
        home?.GetTypeByMetadataName(metadataName) ?? compilation.GetTypeByMetadataName(metadataName);

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
