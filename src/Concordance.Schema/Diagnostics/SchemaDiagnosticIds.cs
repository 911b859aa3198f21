namespace Concordance.Schema;

/// <summary>
/// The IDs of every schema diagnostic (CC0xxx). Each has a page at
/// <c>docs/diagnostics/{ID}.md</c>; the analyzer turns them into Roslyn diagnostics.
/// </summary>
public static class SchemaDiagnosticIds
{
    /// <summary>Syntax error: an unexpected or missing token, with a hint.</summary>
    public const string SyntaxError = "CC0001";
    /// <summary>A name that refers to nothing declared (type, command, event, field).</summary>
    public const string UnknownName = "CC0002";
    /// <summary>A name declared twice (declaration, field, enum member, handle clause).</summary>
    public const string DuplicateName = "CC0003";
    /// <summary>A command that no aggregate handles (warning).</summary>
    public const string CommandNotHandled = "CC0004";
    /// <summary>A command handled by two aggregates.</summary>
    public const string CommandHandledTwice = "CC0005";
    /// <summary>An event emitted by two aggregates.</summary>
    public const string EventEmittedTwice = "CC0006";
    /// <summary>A command or event of an aggregate without its key field, or with the key of another type.</summary>
    public const string MissingAggregateKey = "CC0007";
    /// <summary>An event a process manager listens to without the process key field.</summary>
    public const string MissingProcessKey = "CC0008";
    /// <summary>A <c>send</c> of a command that no aggregate handles.</summary>
    public const string SendNotHandled = "CC0009";
    /// <summary>A subscription to an event that nobody emits (warning).</summary>
    public const string EventNeverEmitted = "CC0010";
    /// <summary>A process manager whose end can never be reached.</summary>
    public const string UnreachableProcessEnd = "CC0011";
    /// <summary>An event's version chain has a gap (missing version or missing upcast).</summary>
    public const string VersionGap = "CC0012";
    /// <summary>A type used where it is not allowed (non-string map key, nested nullable, key of a collection type…).</summary>
    public const string InvalidType = "CC0013";
    /// <summary>A name of the wrong kind (an event where a command is expected, a record used as a message…).</summary>
    public const string WrongKind = "CC0014";
    /// <summary>A name that is not a valid C# identifier once generated, or collides with generated names.</summary>
    public const string InvalidName = "CC0015";

    // The shipped-schema gate: a change that would stop the schema reading events recorded in its lock.

    /// <summary>A locked event, event version or the schema's namespace (which qualifies stored event types) is gone.</summary>
    public const string LockedEventRemoved = "CC0016";
    /// <summary>A field of a locked event version or record is gone (removed or renamed).</summary>
    public const string LockedFieldRemoved = "CC0017";
    /// <summary>A field of a locked event version or record changed type.</summary>
    public const string LockedFieldTypeChanged = "CC0018";
    /// <summary>A nullable field of a locked event version or record became required.</summary>
    public const string LockedFieldMadeRequired = "CC0019";
    /// <summary>A required field was added to a locked event version or record: stored events lack it.</summary>
    public const string RequiredFieldAdded = "CC0020";
    /// <summary>A member of a locked enum is gone (removed or renamed).</summary>
    public const string LockedEnumMemberRemoved = "CC0021";
    /// <summary>A member added to a locked enum that has no fallback member: older builds cannot read it (warning).</summary>
    public const string EnumMemberAddedWithoutFallback = "CC0022";
    /// <summary>A locked upcast is gone.</summary>
    public const string LockedUpcastRemoved = "CC0023";
    /// <summary>A <c>.concordance.lock</c> file that cannot be read; reported in the lock file.</summary>
    public const string MalformedLock = "CC0024";
    /// <summary>A project with schemas and no lock: nothing is checked; says how to create one (info, once per project).</summary>
    public const string NoLock = "CC0025";

    // Names and sizes across the project and against the compiler's limits.

    /// <summary>A C# type that two schema files of one project would both generate (same namespace and name); reported in both files.</summary>
    public const string DuplicateAcrossFiles = "CC0026";
    /// <summary>A name whose generated C# name is longer than .NET metadata allows (1,023 UTF-8 bytes, CS7013).</summary>
    public const string NameTooLong = "CC0027";
    /// <summary>A schema whose generated code would exceed a limit of the C# compiler (string literals over 0xFFFFFF bytes, CS8103).</summary>
    public const string CompilerLimitExceeded = "CC0028";
    /// <summary>A schema (or the schemas of a project together) with more fields and generated types than one project builds within 2 GB (<c>SchemaTypeNames.MaxBuildSize</c>).</summary>
    public const string SchemaTooLargeToBuild = "CC0029";
}
