using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

// Release tracking lines for CC1001–CC1007 are handed to the lead, who folds these descriptors
// into DiagnosticDescriptors.cs and AnalyzerReleases.Unshipped.md at merge.
#pragma warning disable RS2008

namespace Concordance.Analyzers.Purity;

/// <summary>The purity rules: one ID per kind of impurity, all errors by default.</summary>
internal static class PurityDescriptors
{
    /// <summary>Category shared by all purity rules (for .editorconfig and rule sets).</summary>
    public const string Category = "Concordance.Purity";

    /// <summary>Base of the help links; each rule's page is <c>{HelpLinkBase}CC1xxx.md</c>.</summary>
    public const string HelpLinkBase = "https://github.com/concordance-dotnet/concordance/blob/main/docs/diagnostics/";

    // Message arguments: {0} the root member, {1} the impure member, {2} "" or " through A → B", {3} the list entry's message.
    public static readonly DiagnosticDescriptor InputOutput = Create(
        "CC1001", "A component reaches I/O",
        "{0} reaches {1}{2}: file, network, console, process and database access belong in a gateway",
        "Aggregates, projectors and process managers must be pure functions of their inputs. File system, network, console, process, database and messaging access makes replay repeat side effects and depend on the outside world; move it to a gateway.");

    public static readonly DiagnosticDescriptor Clock = Create(
        "CC1002", "A component reads the clock",
        "{0} reaches {1}{2}: take the time from the command or event metadata",
        "Reading the clock makes a decision or projection differ between the first run and a replay. Take the time from the message (or its metadata) instead.");

    public static readonly DiagnosticDescriptor Randomness = Create(
        "CC1003", "A component uses randomness",
        "{0} reaches {1}{2}: take identifiers and random values from the message",
        "Random numbers and new GUIDs differ on every run, so replaying the log no longer rebuilds the same state. Generate them outside (in the caller or a gateway) and carry them in the message.");

    public static readonly DiagnosticDescriptor Environment = Create(
        "CC1004", "A component reads the environment",
        "{0} reaches {1}{2}: carry configuration and machine facts in the message",
        "Environment variables, machine names, tick counts and other process facts differ between machines and runs, so the same events would not rebuild the same state everywhere.");

    public static readonly DiagnosticDescriptor Concurrency = Create(
        "CC1005", "A component starts or awaits concurrent work",
        "{0} reaches {1}{2}: components run one message at a time; only the runtime's own contexts may be awaited",
        "Threads, the thread pool, timers, Task.Delay/Task.Run and awaiting arbitrary tasks make the outcome depend on scheduling. The runtime calls components one message at a time; only its own contexts (ProjectionContext) may be awaited.");

    public static readonly DiagnosticDescriptor StaticState = Create(
        "CC1006", "A component writes mutable static state",
        "{0} reaches {1}{2}: keep state in the component's state record",
        "Static state survives between messages and is shared between instances, so the result of a message would depend on what ran before it in the same process. Keep state in the state record the runtime passes in.");

    public static readonly DiagnosticDescriptor BannedByList = Create(
        "CC1007", "A component reaches a member banned by ConcordanceBanned.txt",
        "{0} reaches {1}{2}: {3}",
        "The member is listed in a ConcordanceBanned.txt additional file of this project.");

    /// <summary>All purity descriptors, in ID order.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
        InputOutput, Clock, Randomness, Environment, Concurrency, StaticState, BannedByList);

    /// <summary>The descriptor reporting <paramref name="category"/>.</summary>
    public static DiagnosticDescriptor For(ImpurityCategory category) => category switch
    {
        ImpurityCategory.InputOutput => InputOutput,
        ImpurityCategory.Clock => Clock,
        ImpurityCategory.Randomness => Randomness,
        ImpurityCategory.Environment => Environment,
        ImpurityCategory.Concurrency => Concurrency,
        ImpurityCategory.StaticState => StaticState,
        _ => BannedByList,
    };

    private static DiagnosticDescriptor Create(string id, string title, string message, string description) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: description, helpLinkUri: HelpLinkBase + id + ".md");
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
    /// <summary>CC1006: writes to mutable static state.</summary>
    StaticState,
    /// <summary>CC1007: members listed by the user in ConcordanceBanned.txt.</summary>
    BannedByList,
}
