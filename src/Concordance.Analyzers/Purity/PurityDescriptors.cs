using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers.Purity;

/// <summary>Maps each kind of impurity to its diagnostic.</summary>
internal static class PurityDescriptors
{
    /// <summary>The descriptor reporting <paramref name="category"/>.</summary>
    public static DiagnosticDescriptor For(ImpurityCategory category) => category switch
    {
        ImpurityCategory.InputOutput => DiagnosticDescriptors.InputOutput,
        ImpurityCategory.Clock => DiagnosticDescriptors.Clock,
        ImpurityCategory.Randomness => DiagnosticDescriptors.Randomness,
        ImpurityCategory.Environment => DiagnosticDescriptors.Environment,
        ImpurityCategory.Concurrency => DiagnosticDescriptors.Concurrency,
        ImpurityCategory.StaticState => DiagnosticDescriptors.StaticState,
        _ => DiagnosticDescriptors.BannedByList,
    };
}

/// <summary>Kinds of impurity, one diagnostic ID each.</summary>
internal enum ImpurityCategory
{
    /// <summary>CC1001: file system, network, console, processes, database and messaging clients.</summary>
    InputOutput,
    /// <summary>CC1002: clocks and stopwatches.</summary>
    Clock,
    /// <summary>CC1003: random numbers and new GUIDs.</summary>
    Randomness,
    /// <summary>CC1004: environment variables, machine and process facts, tick counts.</summary>
    Environment,
    /// <summary>CC1005: threads, thread pool, timers, Task.Delay/Run, awaiting foreign tasks.</summary>
    Concurrency,
    /// <summary>CC1006: writes to static state, and reads of static state that can change.</summary>
    StaticState,
    /// <summary>CC1007: members listed by the user in ConcordanceBanned.txt.</summary>
    BannedByList,
}
