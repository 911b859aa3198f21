using System.Collections.Generic;
using System.Collections.Immutable;
using Concordance.Schema;
using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers;

/// <summary>
/// Every diagnostic Concordance reports, one descriptor per ID. Each links to its page at
/// <c>docs/diagnostics/{ID}.md</c>; new IDs go into <c>AnalyzerReleases.Unshipped.md</c> too.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>Category of the CC0xxx diagnostics: problems in a <c>.concordance</c> file.</summary>
    public const string SchemaCategory = "Concordance.Schema";

    /// <summary>Category of the CC1xxx diagnostics: I/O or non-determinism reachable from a pure component.</summary>
    public const string PurityCategory = "Concordance.Purity";

    /// <summary>Category of the CC2xxx diagnostics: how C# code wires up the schema's components.</summary>
    public const string WiringCategory = "Concordance.Wiring";

    private const string HelpLinkFormat = "https://github.com/concordance-dotnet/concordance/blob/main/docs/diagnostics/{0}.md";

    /// <summary>The help link of <paramref name="id"/>: its page in the repository's docs.</summary>
    public static string HelpLink(string id) => string.Format(HelpLinkFormat, id);

    // Schema diagnostics: the checker writes the whole message, so the format is "{0}".

    /// <summary>CC0001: a syntax error in a schema file.</summary>
    public static readonly DiagnosticDescriptor SyntaxError = Schema(SchemaDiagnosticIds.SyntaxError, "Schema syntax error");
    /// <summary>CC0002: a name that refers to nothing declared.</summary>
    public static readonly DiagnosticDescriptor UnknownName = Schema(SchemaDiagnosticIds.UnknownName, "Unknown name in schema");
    /// <summary>CC0003: a name declared twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateName = Schema(SchemaDiagnosticIds.DuplicateName, "Duplicate name in schema");
    /// <summary>CC0004: a command that no aggregate handles (warning).</summary>
    public static readonly DiagnosticDescriptor CommandNotHandled = Schema(SchemaDiagnosticIds.CommandNotHandled, "Command is handled by no aggregate", DiagnosticSeverity.Warning);
    /// <summary>CC0005: a command handled by two aggregates.</summary>
    public static readonly DiagnosticDescriptor CommandHandledTwice = Schema(SchemaDiagnosticIds.CommandHandledTwice, "Command is handled by more than one aggregate");
    /// <summary>CC0006: an event emitted by two aggregates.</summary>
    public static readonly DiagnosticDescriptor EventEmittedTwice = Schema(SchemaDiagnosticIds.EventEmittedTwice, "Event is emitted by more than one aggregate");
    /// <summary>CC0007: an aggregate's command or event without the aggregate's key field.</summary>
    public static readonly DiagnosticDescriptor MissingAggregateKey = Schema(SchemaDiagnosticIds.MissingAggregateKey, "Message lacks the aggregate's key field");
    /// <summary>CC0008: an event a process manager handles without the process key field.</summary>
    public static readonly DiagnosticDescriptor MissingProcessKey = Schema(SchemaDiagnosticIds.MissingProcessKey, "Event lacks the process manager's key field");
    /// <summary>CC0009: a process sends a command that no aggregate handles.</summary>
    public static readonly DiagnosticDescriptor SendNotHandled = Schema(SchemaDiagnosticIds.SendNotHandled, "Sent command is handled by no aggregate");
    /// <summary>CC0010: a subscription to an event nobody emits (warning).</summary>
    public static readonly DiagnosticDescriptor EventNeverEmitted = Schema(SchemaDiagnosticIds.EventNeverEmitted, "Subscribed event is emitted by nobody", DiagnosticSeverity.Warning);
    /// <summary>CC0011: a process manager whose end can never be reached.</summary>
    public static readonly DiagnosticDescriptor UnreachableProcessEnd = Schema(SchemaDiagnosticIds.UnreachableProcessEnd, "Process manager end is unreachable");
    /// <summary>CC0012: a gap in an event's version chain.</summary>
    public static readonly DiagnosticDescriptor VersionGap = Schema(SchemaDiagnosticIds.VersionGap, "Event version chain has a gap");
    /// <summary>CC0013: a type used where it is not allowed.</summary>
    public static readonly DiagnosticDescriptor InvalidType = Schema(SchemaDiagnosticIds.InvalidType, "Type not allowed here");
    /// <summary>CC0014: a name of the wrong kind.</summary>
    public static readonly DiagnosticDescriptor WrongKind = Schema(SchemaDiagnosticIds.WrongKind, "Name of the wrong kind");
    /// <summary>CC0015: a name that is not usable in the generated C#.</summary>
    public static readonly DiagnosticDescriptor InvalidName = Schema(SchemaDiagnosticIds.InvalidName, "Name not usable in generated code");

    /// <summary>CC0026: a C# type two schema files of one project both generate.</summary>
    public static readonly DiagnosticDescriptor DuplicateAcrossFiles = Schema(SchemaDiagnosticIds.DuplicateAcrossFiles, "Type generated by two schema files");
    /// <summary>CC0027: a name too long for .NET metadata once generated.</summary>
    public static readonly DiagnosticDescriptor NameTooLong = Schema(SchemaDiagnosticIds.NameTooLong, "Name too long for generated code");
    /// <summary>CC0028: generated code that would exceed a limit of the C# compiler.</summary>
    public static readonly DiagnosticDescriptor CompilerLimitExceeded = Schema(SchemaDiagnosticIds.CompilerLimitExceeded, "Schema too large for the C# compiler");
    /// <summary>CC0029: more fields and generated types than one project builds within 2 GB.</summary>
    public static readonly DiagnosticDescriptor SchemaTooLargeToBuild = Schema(SchemaDiagnosticIds.SchemaTooLargeToBuild, "Schema too large to build in one project");

    /// <summary>Every schema descriptor, in ID order.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> SchemaDescriptors = ImmutableArray.Create(
        SyntaxError, UnknownName, DuplicateName, CommandNotHandled, CommandHandledTwice, EventEmittedTwice,
        MissingAggregateKey, MissingProcessKey, SendNotHandled, EventNeverEmitted, UnreachableProcessEnd,
        VersionGap, InvalidType, WrongKind, InvalidName, DuplicateAcrossFiles, NameTooLong, CompilerLimitExceeded, SchemaTooLargeToBuild);

    // The shipped-schema gate (SchemaLockAnalyzer): the comparer writes the whole message too.

    /// <summary>CC0016: a locked event, event version or the namespace is gone.</summary>
    public static readonly DiagnosticDescriptor LockedEventRemoved = Schema(SchemaDiagnosticIds.LockedEventRemoved, "Locked event or event version removed");
    /// <summary>CC0017: a field of a locked event version or record is gone (removed or renamed).</summary>
    public static readonly DiagnosticDescriptor LockedFieldRemoved = Schema(SchemaDiagnosticIds.LockedFieldRemoved, "Field of a locked event or record removed or renamed");
    /// <summary>CC0018: a field of a locked event version or record changed type.</summary>
    public static readonly DiagnosticDescriptor LockedFieldTypeChanged = Schema(SchemaDiagnosticIds.LockedFieldTypeChanged, "Field of a locked event or record changed type");
    /// <summary>CC0019: a nullable field of a locked event version or record became required.</summary>
    public static readonly DiagnosticDescriptor LockedFieldMadeRequired = Schema(SchemaDiagnosticIds.LockedFieldMadeRequired, "Nullable field of a locked event or record made required");
    /// <summary>CC0020: a required field added to a locked event version or record.</summary>
    public static readonly DiagnosticDescriptor RequiredFieldAdded = Schema(SchemaDiagnosticIds.RequiredFieldAdded, "Required field added to a locked event or record");
    /// <summary>CC0021: a member of a locked enum is gone (removed or renamed).</summary>
    public static readonly DiagnosticDescriptor LockedEnumMemberRemoved = Schema(SchemaDiagnosticIds.LockedEnumMemberRemoved, "Member of a locked enum removed or renamed");
    /// <summary>CC0022: a member added to a locked enum without a fallback member (warning).</summary>
    public static readonly DiagnosticDescriptor EnumMemberAddedWithoutFallback = Schema(SchemaDiagnosticIds.EnumMemberAddedWithoutFallback, "Enum member added where older builds cannot read it", DiagnosticSeverity.Warning);
    /// <summary>CC0023: a locked upcast is gone.</summary>
    public static readonly DiagnosticDescriptor LockedUpcastRemoved = Schema(SchemaDiagnosticIds.LockedUpcastRemoved, "Locked upcast removed");
    /// <summary>CC0024: a lock file that cannot be read.</summary>
    public static readonly DiagnosticDescriptor MalformedLock = Schema(SchemaDiagnosticIds.MalformedLock, "Schema lock file cannot be read");
    /// <summary>CC0025: a schema without a lock file (info, once per project).</summary>
    public static readonly DiagnosticDescriptor NoLock = Schema(SchemaDiagnosticIds.NoLock, "Schema has no lock file", DiagnosticSeverity.Info);

    /// <summary>Every descriptor of the shipped-schema gate, in ID order.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> LockDescriptors = ImmutableArray.Create(
        LockedEventRemoved, LockedFieldRemoved, LockedFieldTypeChanged, LockedFieldMadeRequired, RequiredFieldAdded,
        LockedEnumMemberRemoved, EnumMemberAddedWithoutFallback, LockedUpcastRemoved, MalformedLock, NoLock);

    private static readonly Dictionary<string, DiagnosticDescriptor> SchemaById = BuildIndex(SchemaDescriptors.AddRange(LockDescriptors));

    /// <summary>The descriptor for a schema diagnostic ID; null for an ID this assembly does not know.</summary>
    public static DiagnosticDescriptor? ForSchemaId(string id) =>
        SchemaById.TryGetValue(id, out var descriptor) ? descriptor : null;

    // Purity diagnostics. Message arguments: {0} the root member, {1} the impure member, {2} "" or " through A → B", {3} the list entry's message.
    /// <summary>CC1001: I/O (file system, network, console, processes, database and messaging clients).</summary>
    public static readonly DiagnosticDescriptor InputOutput = Purity(
        "CC1001", "A component reaches I/O",
        "{0} reaches {1}{2}: file, network, console, process and database access belong in a gateway",
        "Aggregates, projectors and process managers must be pure functions of their inputs. File system, network, console, process, database and messaging access makes replay repeat side effects and depend on the outside world; move it to a gateway.");

    /// <summary>CC1002: clocks and stopwatches.</summary>
    public static readonly DiagnosticDescriptor Clock = Purity(
        "CC1002", "A component reads the clock",
        "{0} reaches {1}{2}: take the time from the command or event metadata",
        "Reading the clock makes a decision or projection differ between the first run and a replay. Take the time from the message (or its metadata) instead.");

    /// <summary>CC1003: random numbers and new GUIDs.</summary>
    public static readonly DiagnosticDescriptor Randomness = Purity(
        "CC1003", "A component uses randomness",
        "{0} reaches {1}{2}: take identifiers and random values from the message",
        "Random numbers and new GUIDs differ on every run, so replaying the log no longer rebuilds the same state. Generate them outside (in the caller or a gateway) and carry them in the message.");

    /// <summary>CC1004: environment variables, machine and process facts.</summary>
    public static readonly DiagnosticDescriptor Environment = Purity(
        "CC1004", "A component reads the environment",
        "{0} reaches {1}{2}: carry configuration and machine facts in the message",
        "Environment variables, machine names, tick counts and other process facts differ between machines and runs, so the same events would not rebuild the same state everywhere.");

    /// <summary>CC1005: threads, thread pool, timers, Task.Delay/Run, awaiting foreign tasks.</summary>
    public static readonly DiagnosticDescriptor Concurrency = Purity(
        "CC1005", "A component starts or awaits concurrent work",
        "{0} reaches {1}{2}: components run one message at a time; only the runtime's own contexts may be awaited",
        "Threads, the thread pool, timers, Task.Delay/Task.Run and awaiting arbitrary tasks make the outcome depend on scheduling. The runtime calls components one message at a time; only its own contexts (ProjectionContext) may be awaited.");

    /// <summary>CC1006: writes to static state, and reads of static state that can change.</summary>
    public static readonly DiagnosticDescriptor StaticState = Purity(
        "CC1006", "A component uses mutable static state",
        "{0} reaches {1}{2}: keep state in the component's state record",
        "Static state survives between messages and is shared between instances, so the result of a message would depend on what ran before it in the same process. Keep state in the state record the runtime passes in.");

    /// <summary>CC1007: members listed in ConcordanceBanned.txt.</summary>
    public static readonly DiagnosticDescriptor BannedByList = Purity(
        "CC1007", "A component reaches a member banned by ConcordanceBanned.txt",
        "{0} reaches {1}{2}: {3}",
        "The member is listed in a ConcordanceBanned.txt additional file of this project.");

    /// <summary>Every purity descriptor, in ID order.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> PurityDescriptors = ImmutableArray.Create(
        InputOutput, Clock, Randomness, Environment, Concurrency, StaticState, BannedByList);

    // Wiring diagnostics: found only once the whole compilation is seen, hence CompilationEnd.

    /// <summary>CC2001: a schema component with no implementing class.</summary>
    public static readonly DiagnosticDescriptor ComponentNotImplemented = new(
        id: "CC2001",
        title: "Schema component has no implementation",
        messageFormat: "{0} '{1}' has no implementation: add a class deriving from {2}",
        category: WiringCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every aggregate, projector, process manager and gateway declared in a .concordance file needs exactly one non-abstract class deriving from its generated base class.",
        helpLinkUri: HelpLink("CC2001"),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>CC2002: a schema component with two or more implementing classes.</summary>
    public static readonly DiagnosticDescriptor ComponentImplementedTwice = new(
        id: "CC2002",
        title: "Schema component has two or more implementations",
        messageFormat: "{0} '{1}' is implemented by '{2}' and also by {3}: keep exactly one non-abstract class deriving from {4}",
        category: WiringCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The runtime must know which class handles a component's messages; two non-abstract classes deriving from the same generated base make that ambiguous.",
        helpLinkUri: HelpLink("CC2002"),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>CC2003: a class deriving from a component's generated base that <c>AddGeneratedComponents()</c> cannot register.</summary>
    public static readonly DiagnosticDescriptor ComponentNotRegistrable = new(
        id: "CC2003",
        title: "Class deriving from a component base cannot be registered",
        messageFormat: "'{0}' derives from {1} but AddGeneratedComponents() cannot register it: {2}; make it a public or internal, non-generic class, or abstract if it is shared code",
        category: WiringCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Generated code registers each component's implementation by name; a private, protected, generic or file-local class cannot be named there, so it would never run.",
        helpLinkUri: HelpLink("CC2003"));

    private static DiagnosticDescriptor Schema(string id, string title, DiagnosticSeverity severity = DiagnosticSeverity.Error) => new(
        id: id,
        title: title,
        messageFormat: "{0}",
        category: SchemaCategory,
        defaultSeverity: severity,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Purity(string id, string title, string message, string description) => new(
        id: id,
        title: title,
        messageFormat: message,
        category: PurityCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: description,
        helpLinkUri: HelpLink(id));

    private static Dictionary<string, DiagnosticDescriptor> BuildIndex(ImmutableArray<DiagnosticDescriptor> descriptors)
    {
        var index = new Dictionary<string, DiagnosticDescriptor>();
        foreach (var descriptor in descriptors) index.Add(descriptor.Id, descriptor);
        return index;
    }
}
