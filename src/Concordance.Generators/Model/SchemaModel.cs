namespace Concordance.Generators.Model;

// The generator's view of one .concordance file: plain, equatable values that hold only what the
// emitters need. Everything here is already valid: the ModelBuilder dropped what would not compile.

/// <summary>The shape of a field's type.</summary>
internal enum FieldTypeKind
{
    String,
    Bool,
    Int,
    Long,
    Decimal,
    Double,
    Guid,
    Timestamp,
    Date,
    Duration,
    Bytes,
    Nullable,
    List,
    Map,
    Record,
    Enum,
}

/// <summary>A resolved field type. <paramref name="Name"/> names a record or enum of the file; <paramref name="Element"/> is the inner type of a nullable, the item of a list or the value of a map.</summary>
internal sealed record FieldType(FieldTypeKind Kind, string? Name = null, FieldType? Element = null)
{
    /// <summary>True for the kinds the generated record compares by content (list, map, bytes), looking through nullable.</summary>
    public bool NeedsContentEquality => Kind switch
    {
        FieldTypeKind.List or FieldTypeKind.Map or FieldTypeKind.Bytes => true,
        FieldTypeKind.Nullable => Element!.NeedsContentEquality,
        _ => false,
    };
}

/// <summary>
/// Where a name is written in the schema, 1-based as a <c>#line (Line, Column)-(EndLine, EndColumn)</c> directive takes it: generated
/// declarations map to it, so Go to Definition and compiler errors land on the schema line that declared them. Plain numbers, so
/// the model stays equatable; an edit that moves lines (a comment added above) changes the places and re-emits the file.
/// </summary>
internal sealed record SchemaPlace(int Line, int Column, int EndLine, int EndColumn);

/// <summary>A field: its JSON name as written in the schema, its C# property name, type and doc comment.</summary>
internal sealed record FieldModel(string JsonName, string PropertyName, FieldType Type, string? Doc, SchemaPlace? Place = null);

/// <summary>Command, event or record.</summary>
internal enum MessageKind
{
    Command,
    Event,
    Record,
}

/// <summary>
/// A generated <c>sealed partial record</c>: a command, an event version or a record. <paramref name="UpcastTo"/>
/// is the type name of the next version when the schema declares an upcast from this (old) version.
/// </summary>
internal sealed record MessageModel(
    MessageKind Kind, string TypeName, string SchemaName, int Version, bool IsLatest, string? Doc,
    EquatableArray<FieldModel> Fields, string? UpcastTo, int UpcastToVersion, SchemaPlace? Place = null);

/// <summary>An enum member.</summary>
internal sealed record EnumMemberModel(string Name, string? Doc, SchemaPlace? Place = null);

/// <summary>An enum.</summary>
/// <remarks><see cref="Fallback"/> names the member a stored value this build does not know reads as (null: such a value is a read error).</remarks>
internal sealed record EnumModel(string Name, string? Doc, EquatableArray<EnumMemberModel> Members, string? Fallback = null, SchemaPlace? Place = null);

/// <summary>The state record of an aggregate or process (<c>{Name}State</c>); empty when there is no state block. Placed at its owner's name.</summary>
internal sealed record StateModel(string TypeName, EquatableArray<FieldModel> Fields, SchemaPlace? Place = null);

/// <summary>How to read the key from a message: the property, and whether it is text already.</summary>
internal sealed record KeyModel(string PropertyName, bool IsText);

/// <summary><c>handle Command -&gt; Events</c>: the command, its key (null when the command lacks the key field) and the declared events; placed at the command's name in the clause.</summary>
internal sealed record HandleModel(string Command, KeyModel? Key, EquatableArray<string> Events, SchemaPlace? Place = null)
{
    public string DecisionName => Concordance.Schema.GeneratedNames.Decision(Command);
}

/// <summary>An aggregate. <paramref name="AppliedPlaces"/> holds, per applied event, where the <c>handle</c> clause first names it.</summary>
internal sealed record AggregateModel(
    string Name, string SchemaName, string? Doc, StateModel State,
    EquatableArray<HandleModel> Handles, EquatableArray<string> AppliedEvents,
    SchemaPlace? Place = null, EquatableArray<SchemaPlace> AppliedPlaces = default);

/// <summary>A projector. <paramref name="EventPlaces"/> holds, per event, where its <c>on</c> clause names it; <paramref name="Version"/> is its declared version (1 unless <c>v2</c>…).</summary>
internal sealed record ProjectorModel(string Name, string SchemaName, string? Doc, EquatableArray<string> Events, SchemaPlace? Place = null, EquatableArray<SchemaPlace> EventPlaces = default, int Version = 1);

/// <summary>The role of an event for a process (mirrors the runtime's <c>ProcessStep</c>).</summary>
internal enum ProcessStepKind
{
    Start,
    Advance,
    End,
}

/// <summary>An event a process listens to.</summary>
internal sealed record ProcessEventModel(string Event, ProcessStepKind Step, KeyModel? Key, SchemaPlace? Place = null);

/// <summary>A process manager.</summary>
internal sealed record ProcessModel(
    string Name, string SchemaName, string? Doc, StateModel State,
    EquatableArray<ProcessEventModel> Events, EquatableArray<string> Sends, SchemaPlace? Place = null);

/// <summary>A gateway: the events it reacts to, the events it may emit and the commands it may send, each with where its clause names it.</summary>
internal sealed record GatewayModel(
    string Name, string SchemaName, string? Doc, EquatableArray<string> On, EquatableArray<string> Emit, EquatableArray<string> Sends,
    SchemaPlace? Place = null, EquatableArray<SchemaPlace> OnPlaces = default, EquatableArray<SchemaPlace> EmitPlaces = default, EquatableArray<SchemaPlace> SendPlaces = default);

/// <summary>
/// One schema file, ready to emit. <paramref name="HintPrefix"/> is <c>{Stem}.{hash8}</c>, unique per path.
/// <paramref name="LinePath"/> is the path generated <c>#line</c> directives name (null: none are written).
/// Messages hold every event version; upcasts are folded into the old versions (<see cref="MessageModel.UpcastTo"/>).
/// </summary>
internal sealed record SchemaModel(
    string Path, string Namespace, string Stem, string HintPrefix,
    EquatableArray<MessageModel> Messages, EquatableArray<EnumModel> Enums,
    EquatableArray<AggregateModel> Aggregates, EquatableArray<ProjectorModel> Projectors,
    EquatableArray<ProcessModel> Processes, EquatableArray<GatewayModel> Gateways, string? LinePath = null)
{
    /// <summary>The schema-level static class, <c>{Stem}Schema</c>.</summary>
    public string SchemaClassName => Concordance.Schema.GeneratedNames.SchemaClass(Stem);

    /// <summary>True when the model has a component with a typed test scenario, which lives in <c>{Namespace}.Testing</c>.</summary>
    public bool HasScenarios => Aggregates.Count + Projectors.Count + Processes.Count > 0;

    /// <summary>Every type this model generates in <see cref="Namespace"/>: what it claims there against the project's other schema files.</summary>
    public EquatableArray<string> TypeNames()
    {
        var names = new System.Collections.Generic.List<string> { SchemaClassName };
        void AddWithConverter(string name)
        {
            names.Add(name);
            names.Add(Concordance.Schema.GeneratedNames.JsonConverter(name));
        }
        foreach (var message in Messages) AddWithConverter(message.TypeName);
        foreach (var @enum in Enums) AddWithConverter(@enum.Name);
        foreach (var aggregate in Aggregates)
        {
            names.Add(Concordance.Schema.GeneratedNames.AggregateBase(aggregate.Name));
            AddWithConverter(aggregate.State.TypeName);
            foreach (var handle in aggregate.Handles) names.Add(handle.DecisionName);
        }
        foreach (var projector in Projectors) names.Add(Concordance.Schema.GeneratedNames.ProjectorBase(projector.Name));
        foreach (var process in Processes)
        {
            names.Add(Concordance.Schema.GeneratedNames.ProcessManagerBase(process.Name));
            names.Add(Concordance.Schema.GeneratedNames.Outcome(process.Name));
            AddWithConverter(process.State.TypeName);
        }
        foreach (var gateway in Gateways)
        {
            names.Add(Concordance.Schema.GeneratedNames.GatewayBase(gateway.Name));
            names.Add(Concordance.Schema.GeneratedNames.GatewayContext(gateway.Name));
        }
        return names.ToEquatableArray();
    }

    /// <summary>What the wiring file needs from this schema.</summary>
    public SchemaComponents ToComponents() => new(
        "global::" + Namespace + "." + SchemaClassName,
        Namespace,
        Aggregates.Select(a => a.Name),
        Projectors.Select(p => p.Name),
        Processes.Select(p => p.Name),
        Gateways.Select(g => g.Name));
}

/// <summary>One schema's contribution to the wiring file: its message list and its component names.</summary>
internal sealed record SchemaComponents(
    string SchemaClass, string Namespace,
    EquatableArray<string> Aggregates, EquatableArray<string> Projectors,
    EquatableArray<string> Processes, EquatableArray<string> Gateways);

/// <summary>A user class found by syntax that derives from a generated base (<c>BankAccountAggregateBase</c>).</summary>
/// <param name="FullyQualifiedName">The class, <c>global::</c>-qualified.</param>
/// <param name="BaseTypeName">The base type's simple name as written.</param>
internal sealed record ComponentModel(string FullyQualifiedName, string BaseTypeName);

/// <summary>
/// The type names one schema file claims in its namespace, and where it stands in the project's order (its path within
/// the project, then its path): of two files generating one name, the first in that order keeps it. With the bound of the
/// string-literal bytes its code adds (<see cref="Concordance.Schema.SchemaTypeNames.UserStringBytes"/>), its fields and
/// generated types (<see cref="Concordance.Schema.SchemaTypeNames.BuildSize"/>), and whether it writes
/// test scenarios into <c>{Namespace}.Testing</c> (which no type of the namespace may then be named).
/// </summary>
internal sealed record SchemaClaims(string ProjectPath, string Path, string Namespace, EquatableArray<string> TypeNames, long UserStringBytes, int BuildSize, bool HasScenarios)
{
    /// <summary>True when this file comes before <paramref name="other"/> in the project's order.</summary>
    public bool IsBefore(SchemaClaims other)
    {
        var order = string.CompareOrdinal(ProjectPath, other.ProjectPath);
        return order < 0 || (order == 0 && string.CompareOrdinal(Path, other.Path) < 0);
    }
}
