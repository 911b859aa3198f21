using System;
using System.Collections.Generic;
using System.Text;
using Concordance.Schema.Syntax;

namespace Concordance.Schema;

/// <summary>
/// The one home of the generated-name convention: how a schema name becomes the names of the C# types and members
/// the generator writes (<c>{Aggregate}AggregateBase</c>, <c>{Command}Decision</c>, <c>{Stem}Schema</c>, <c>{Event}V{n}</c>…),
/// the members generated records already have, and the metadata limits those names must fit. The checker, the
/// generator and the analyzers all read it, so the names they reason about are the names that get written.
/// </summary>
public static class GeneratedNames
{
    /// <summary>Suffix of an aggregate's generated base class.</summary>
    public const string AggregateBaseSuffix = "AggregateBase";

    /// <summary>Suffix of a projector's generated base class.</summary>
    public const string ProjectorBaseSuffix = "ProjectorBase";

    /// <summary>Suffix of a process manager's generated base class.</summary>
    public const string ProcessManagerBaseSuffix = "ProcessManagerBase";

    /// <summary>Suffix of a gateway's generated base class.</summary>
    public const string GatewayBaseSuffix = "GatewayBase";

    /// <summary>Suffix of a gateway's typed context, which sends and emits only the gateway's declared messages.</summary>
    public const string GatewayContextSuffix = "GatewayContext";

    /// <summary>Suffix of the state record of an aggregate or process.</summary>
    public const string StateSuffix = "State";

    /// <summary>Suffix of the per-command decision type of an aggregate.</summary>
    public const string DecisionSuffix = "Decision";

    /// <summary>Suffix of a process manager's outcome type.</summary>
    public const string OutcomeSuffix = "Outcome";

    /// <summary>Suffix of every generated JSON converter.</summary>
    public const string JsonConverterSuffix = "JsonConverter";

    /// <summary>Suffix of the schema-level static class.</summary>
    public const string SchemaClassSuffix = "Schema";

    /// <summary>Suffix of the typed test scenario of an aggregate, projector or process manager.</summary>
    public const string ScenarioSuffix = "Scenario";

    /// <summary>
    /// The namespace, inside the schema's, of the typed test kit (<c>{Namespace}.Testing.{Name}Scenario</c>): while a
    /// schema has a component with a scenario, no type of the schema's namespace may take this name.
    /// </summary>
    public const string TestKitNamespace = "Testing";

    /// <summary>What separates an old event version's name from its number: <c>OpenedV1</c>.</summary>
    public const string VersionPrefix = "V";

    /// <summary>The method an old event version with an upcast gets.</summary>
    public const string UpcastMethod = "Upcast";

    /// <summary>The stem used when a file name gives no usable one.</summary>
    public const string FallbackStem = "Schema";

    /// <summary>The base suffixes of the four component kinds, in the order aggregate, projector, process manager, gateway.</summary>
    public static IReadOnlyList<string> ComponentBaseSuffixes { get; } =
        new[] { AggregateBaseSuffix, ProjectorBaseSuffix, ProcessManagerBaseSuffix, GatewayBaseSuffix };

    /// <summary>
    /// Members every generated record has (compiler-synthesised or inherited) or that generated code calls unqualified
    /// inside the record: a property of one of these names does not compile (CS8859 for <c>Clone</c>, CS8866 for
    /// <c>ReferenceEquals</c>, CS0102/CS0108 for the others).
    /// </summary>
    public static IReadOnlyCollection<string> ReservedMemberNames { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Clone", "EqualityContract", "Equals", "GetHashCode", "ToString", "GetType", "Deconstruct", "PrintMembers",
        "MemberwiseClone", "Finalize", "ReferenceEquals",
    };

    /// <summary>The longest name .NET metadata holds, in UTF-8 bytes: a type's namespace-qualified name and every member name (CS7013).</summary>
    public const int MaxMetadataNameBytes = 1023;

    /// <summary>
    /// What the generator may add around a field's property name in metadata (<c>&lt;Name&gt;k__BackingField</c>, a converter's
    /// <c>EncodedName</c>), in bytes: a property name longer than the limit minus this cannot be written.
    /// </summary>
    public const int MemberDecorationBytes = 32;

    /// <summary><c>{name}AggregateBase</c>.</summary>
    public static string AggregateBase(string name) => name + AggregateBaseSuffix;

    /// <summary><c>{name}ProjectorBase</c>.</summary>
    public static string ProjectorBase(string name) => name + ProjectorBaseSuffix;

    /// <summary><c>{name}ProcessManagerBase</c>.</summary>
    public static string ProcessManagerBase(string name) => name + ProcessManagerBaseSuffix;

    /// <summary><c>{name}GatewayBase</c>.</summary>
    public static string GatewayBase(string name) => name + GatewayBaseSuffix;

    /// <summary><c>{name}GatewayContext</c>: the typed context a gateway's handlers receive.</summary>
    public static string GatewayContext(string name) => name + GatewayContextSuffix;

    /// <summary><c>{name}State</c>.</summary>
    public static string State(string name) => name + StateSuffix;

    /// <summary><c>{command}Decision</c>.</summary>
    public static string Decision(string command) => command + DecisionSuffix;

    /// <summary><c>{process}Outcome</c>.</summary>
    public static string Outcome(string process) => process + OutcomeSuffix;

    /// <summary><c>{typeName}JsonConverter</c>.</summary>
    public static string JsonConverter(string typeName) => typeName + JsonConverterSuffix;

    /// <summary><c>Testing.{name}Scenario</c>: the typed test scenario, relative to the schema's namespace.</summary>
    public static string Scenario(string name) => TestKitNamespace + "." + name + ScenarioSuffix;

    /// <summary><c>{stem}Schema</c>.</summary>
    public static string SchemaClass(string stem) => stem + SchemaClassSuffix;

    /// <summary>The type of an old event version: <c>{name}V{version}</c> (the latest version is just <c>{name}</c>).</summary>
    public static string EventVersion(string name, int version) => name + VersionPrefix + version;

    /// <summary>The generated base of a component kind (<c>{name}AggregateBase</c>…); null for a kind that has none.</summary>
    public static string? ComponentBase(DeclarationKind kind, string name) => kind switch
    {
        DeclarationKind.Aggregate => AggregateBase(name),
        DeclarationKind.Projector => ProjectorBase(name),
        DeclarationKind.Process => ProcessManagerBase(name),
        DeclarationKind.Gateway => GatewayBase(name),
        _ => null,
    };

    /// <summary>The C# property a field becomes: its first letter upper-cased when it is a lower-case letter.</summary>
    public static string PropertyName(string field) =>
        field.Length == 0 || !char.IsLower(field[0]) ? field : char.ToUpperInvariant(field[0]) + field.Substring(1);

    /// <summary>The file's name up to its first dot, as written: <c>Bank</c> for <c>/src/Bank.concordance</c>.</summary>
    public static string FileStem(string path)
    {
        if (string.IsNullOrEmpty(path)) return string.Empty;
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        var name = path.Substring(slash + 1);
        var dot = name.IndexOf('.');
        return dot > 0 ? name.Substring(0, dot) : name;
    }

    /// <summary>
    /// The stem as an identifier, the prefix of <c>{Stem}Schema</c> and the namespace of a file that declares none:
    /// every character that is not a letter, digit or underscore becomes <c>_</c>, a leading digit gets a <c>_</c>
    /// before it and a leading lower-case letter is upper-cased; <see cref="FallbackStem"/> when nothing usable is left.
    /// </summary>
    public static string Stem(string path)
    {
        var builder = new StringBuilder();
        foreach (var c in FileStem(path)) builder.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        if (builder.Length == 0) return FallbackStem;
        if (char.IsDigit(builder[0])) builder.Insert(0, '_');
        if (char.IsLower(builder[0])) builder[0] = char.ToUpperInvariant(builder[0]);
        var result = builder.ToString();
        // Double underscores are reserved for the compiler; the upper-cased first letter rules out keywords.
        return result.StartsWith("__", StringComparison.Ordinal) || !FitsMetadata(SchemaClass(result)) ? FallbackStem : result;
    }

    /// <summary>The size of <paramref name="name"/> in metadata: its UTF-8 bytes.</summary>
    public static int MetadataBytes(string name) => Encoding.UTF8.GetByteCount(name);

    /// <summary>True when <paramref name="name"/> fits the metadata limit (<see cref="MaxMetadataNameBytes"/>).</summary>
    public static bool FitsMetadata(string name) => MetadataBytes(name) <= MaxMetadataNameBytes;

    /// <summary>True when the type <paramref name="typeName"/> in <paramref name="ns"/> fits: metadata limits the namespace-qualified name.</summary>
    public static bool FitsMetadata(string ns, string typeName) =>
        (ns.Length == 0 ? 0 : MetadataBytes(ns) + 1) + MetadataBytes(typeName) <= MaxMetadataNameBytes;

    /// <summary>True when a field's property <paramref name="property"/> fits, with room for what the generator adds around it.</summary>
    public static bool FitsMetadataAsMember(string property) =>
        MetadataBytes(property) + MemberDecorationBytes <= MaxMetadataNameBytes;
}
