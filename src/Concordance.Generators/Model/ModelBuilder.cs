using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Concordance.Schema.Syntax;
using Microsoft.CodeAnalysis.CSharp;

namespace Concordance.Generators.Model;

/// <summary>
/// Builds a <see cref="SchemaModel"/> from a parsed file. It keeps only what generates compiling C#:
/// unknown types drop the field, unknown handle targets are skipped, the first of two declarations
/// wins, and names that are not C# identifiers (or that would collide with generated names) are
/// skipped. The analyzer reports all of these; the generator stays quiet and never throws.
/// </summary>
internal static class ModelBuilder
{
    private static readonly HashSet<string> ReservedMemberNames = new(StringComparer.Ordinal)
    {
        "Equals", "GetHashCode", "ToString", "GetType", "Deconstruct", "EqualityContract",
        "PrintMembers", "MemberwiseClone", "Finalize",
    };

    /// <summary>The model of <paramref name="file"/>; hint names derive from <paramref name="projectPath"/> (the path within the project), else from <paramref name="path"/>.</summary>
    public static SchemaModel Build(string path, SchemaFile file, string? projectPath = null)
    {
        var stem = Identifier(FileStem(path), "Schema");
        var ns = NamespaceOf(file) ?? stem;
        var builder = new Builder(ns);
        builder.Claim(stem + "Schema");
        builder.Collect(file.Declarations);
        return new SchemaModel(
            path, ns, stem, stem + "." + StableHash(projectPath ?? path),
            builder.Messages.ToEquatableArray(), builder.Enums.ToEquatableArray(),
            builder.Aggregates.ToEquatableArray(), builder.Projectors.ToEquatableArray(),
            builder.Processes.ToEquatableArray(), builder.Gateways.ToEquatableArray());
    }

    /// <summary>FNV-1a over the path's UTF-16 code units, as 8 lower-case hex digits. Stable across processes and machines.</summary>
    public static string StableHash(string text)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var c in text)
            {
                hash = (hash ^ (byte)c) * 16777619u;
                hash = (hash ^ (byte)(c >> 8)) * 16777619u;
            }
            return hash.ToString("x8");
        }
    }

    /// <summary>True for a name usable as a generated type, member or namespace segment.</summary>
    public static bool IsIdentifier(string? name) =>
        name is { Length: > 0 }
        && SyntaxFacts.IsValidIdentifier(name)
        && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None
        && !name.StartsWith("__", StringComparison.Ordinal);

    /// <summary>True for a name usable as a generated type: an identifier that is not all lower-case ASCII (CS8981).</summary>
    public static bool IsTypeName(string? name) => IsIdentifier(name) && name!.Any(c => c < 'a' || c > 'z');

    private static string FileStem(string path)
    {
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        var name = path.Substring(slash + 1);
        var dot = name.IndexOf('.');
        return dot > 0 ? name.Substring(0, dot) : name;
    }

    /// <summary>Turns arbitrary text into a type-name-safe identifier (used for the file stem).</summary>
    private static string Identifier(string text, string fallback)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            builder.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        }
        if (builder.Length == 0) return fallback;
        if (char.IsDigit(builder[0])) builder.Insert(0, '_');
        if (char.IsLower(builder[0])) builder[0] = char.ToUpperInvariant(builder[0]);
        var result = builder.ToString();
        return IsTypeName(result) ? result : fallback;
    }

    private static string? NamespaceOf(SchemaFile file)
    {
        var text = file.Namespace?.Text;
        if (string.IsNullOrEmpty(text)) return null;
        return text!.Split('.').All(IsIdentifier) ? text : null;
    }

    private static string Pascal(string name) =>
        name.Length == 0 || !char.IsLower(name[0]) ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    private sealed class Builder(string ns)
    {
        private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, MessageSyntax> _records = new(StringComparer.Ordinal);
        private readonly Dictionary<string, EnumSyntax> _enums = new(StringComparer.Ordinal);
        private readonly Dictionary<string, MessageSyntax> _commands = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SortedDictionary<int, MessageSyntax>> _events = new(StringComparer.Ordinal);
        private readonly Dictionary<MessageSyntax, EquatableArray<FieldModel>> _fields = new(ReferenceEqualityComparer.Instance);

        public List<MessageModel> Messages { get; } = [];
        public List<EnumModel> Enums { get; } = [];
        public List<AggregateModel> Aggregates { get; } = [];
        public List<ProjectorModel> Projectors { get; } = [];
        public List<ProcessModel> Processes { get; } = [];
        public List<GatewayModel> Gateways { get; } = [];

        /// <summary>Claims generated type names all at once; false (and nothing claimed) when one is taken or invalid.</summary>
        public bool Claim(params string[] names)
        {
            if (names.Any(n => !IsTypeName(n) || _claimed.Contains(n)) || names.Distinct(StringComparer.Ordinal).Count() != names.Length) return false;
            foreach (var name in names) _claimed.Add(name);
            return true;
        }

        public void Collect(IReadOnlyList<DeclarationSyntax> declarations)
        {
            // Pass 1: the types (names first, so fields may refer to records and enums declared later).
            var messageDeclarations = new List<MessageSyntax>();
            foreach (var declaration in declarations)
            {
                if (declaration is null || declaration.Name is null || !IsTypeName(declaration.Name.Text)) continue;
                var name = declaration.Name.Text;
                switch (declaration)
                {
                    case EnumSyntax @enum when Claim(name, name + "JsonConverter"):
                        _enums.Add(name, @enum);
                        break;
                    case MessageSyntax { Kind: DeclarationKind.Record } record when Claim(name, name + "JsonConverter"):
                        _records.Add(name, record);
                        messageDeclarations.Add(record);
                        break;
                    case MessageSyntax { Kind: DeclarationKind.Command } command when Claim(name, name + "JsonConverter"):
                        _commands.Add(name, command);
                        messageDeclarations.Add(command);
                        break;
                    case MessageSyntax { Kind: DeclarationKind.Event } @event:
                        if (_events.TryGetValue(name, out var versions))
                        {
                            if (@event.EffectiveVersion < 1 || versions.ContainsKey(@event.EffectiveVersion)) break;
                            versions.Add(@event.EffectiveVersion, @event);
                        }
                        else if (@event.EffectiveVersion >= 1 && Claim(name, name + "JsonConverter"))
                        {
                            _events.Add(name, new SortedDictionary<int, MessageSyntax> { [@event.EffectiveVersion] = @event });
                        }
                        else break;
                        messageDeclarations.Add(@event);
                        break;
                }
            }

            // Old event versions are NameV1, NameV2…; drop a version whose name is taken.
            foreach (var pair in _events)
            {
                var latest = pair.Value.Keys.Max();
                foreach (var version in pair.Value.Keys.Where(v => v != latest).ToList())
                {
                    var typeName = pair.Key + "V" + version;
                    if (!Claim(typeName, typeName + "JsonConverter"))
                    {
                        messageDeclarations.Remove(pair.Value[version]);
                        pair.Value.Remove(version);
                    }
                }
            }

            foreach (var message in messageDeclarations)
            {
                _fields[message] = Fields(message.Fields, message.Name.Text, message.Kind == DeclarationKind.Event && !IsLatest(message));
            }

            var upcasts = Upcasts(declarations);
            foreach (var message in messageDeclarations)
            {
                var kind = message.Kind switch
                {
                    DeclarationKind.Command => MessageKind.Command,
                    DeclarationKind.Event => MessageKind.Event,
                    _ => MessageKind.Record,
                };
                string? upcastTo = null;
                var upcastToVersion = 0;
                if (kind == MessageKind.Event && !IsLatest(message)
                    && upcasts.TryGetValue((message.Name.Text, message.EffectiveVersion), out var to)
                    && _events[message.Name.Text].ContainsKey(to))
                {
                    upcastTo = EventTypeName(message.Name.Text, to);
                    upcastToVersion = to;
                }
                Messages.Add(new MessageModel(
                    kind, TypeNameOf(message), ns + "." + message.Name.Text, message.EffectiveVersion,
                    kind != MessageKind.Event || IsLatest(message), message.Doc, _fields[message], upcastTo, upcastToVersion));
            }

            foreach (var @enum in _enums.Values)
            {
                var members = new List<EnumMemberModel>();
                var seen = new HashSet<string>(StringComparer.Ordinal) { "value__", @enum.Name.Text };
                string? fallback = null;
                foreach (var member in @enum.Members ?? [])
                {
                    var memberName = member?.Name?.Text;
                    if (!IsIdentifier(memberName) || !seen.Add(memberName!)) continue;
                    members.Add(new EnumMemberModel(memberName!, member!.Doc));
                    if (member.IsFallback) fallback ??= memberName;
                }
                Enums.Add(new EnumModel(@enum.Name.Text, @enum.Doc, members.ToEquatableArray(), fallback));
            }

            // Pass 2: the components, which refer to the types.
            var componentNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var declaration in declarations)
            {
                if (declaration is null || declaration.Name is null || !IsTypeName(declaration.Name.Text)) continue;
                var name = declaration.Name.Text;
                switch (declaration)
                {
                    case AggregateSyntax aggregate when !componentNames.Contains(name)
                        && Claim(name + "State", name + "StateJsonConverter", name + "AggregateBase"):
                        componentNames.Add(name);
                        Aggregates.Add(Aggregate(aggregate));
                        break;
                    case ProjectorSyntax projector when !componentNames.Contains(name) && Claim(name + "ProjectorBase"):
                        componentNames.Add(name);
                        Projectors.Add(new ProjectorModel(name, ns + "." + name, projector.Doc, Events(projector.On).ToEquatableArray()));
                        break;
                    case ProcessSyntax process when !componentNames.Contains(name)
                        && Claim(name + "State", name + "StateJsonConverter", name + "Outcome", name + "ProcessManagerBase"):
                        componentNames.Add(name);
                        Processes.Add(Process(process));
                        break;
                    case GatewaySyntax gateway when !componentNames.Contains(name) && Claim(name + "GatewayBase"):
                        componentNames.Add(name);
                        Gateways.Add(new GatewayModel(name, ns + "." + name, gateway.Doc,
                            Events(gateway.On).ToEquatableArray(), Events(gateway.Emit).ToEquatableArray()));
                        break;
                }
            }
        }

        private bool IsLatest(MessageSyntax @event) =>
            _events.TryGetValue(@event.Name.Text, out var versions) && versions.Keys.Max() == @event.EffectiveVersion;

        private string EventTypeName(string name, int version) =>
            _events[name].Keys.Max() == version ? name : name + "V" + version;

        private string TypeNameOf(MessageSyntax message) =>
            message.Kind == DeclarationKind.Event ? EventTypeName(message.Name.Text, message.EffectiveVersion) : message.Name.Text;

        private Dictionary<(string Name, int From), int> Upcasts(IReadOnlyList<DeclarationSyntax> declarations)
        {
            var upcasts = new Dictionary<(string, int), int>();
            foreach (var upcast in declarations.OfType<UpcastSyntax>())
            {
                if (upcast.Name is null || upcast.From is not int from || upcast.To is not int to || to <= from) continue;
                if (!_events.TryGetValue(upcast.Name.Text, out var versions) || !versions.ContainsKey(from)) continue;
                var key = (upcast.Name.Text, from);
                if (!upcasts.ContainsKey(key)) upcasts.Add(key, to);
            }
            return upcasts;
        }

        private EquatableArray<FieldModel> Fields(IReadOnlyList<FieldSyntax>? fields, string typeName, bool reserveUpcast)
        {
            var result = new List<FieldModel>();
            var properties = new HashSet<string>(StringComparer.Ordinal) { typeName };
            var jsonNames = new HashSet<string>(StringComparer.Ordinal);
            if (reserveUpcast) properties.Add("Upcast");
            foreach (var field in fields ?? [])
            {
                var name = field?.Name?.Text;
                if (name is null || !SyntaxFacts.IsValidIdentifier(name)) continue;
                var property = Pascal(name!);
                if (!IsIdentifier(property) || ReservedMemberNames.Contains(property) || properties.Contains(property) || jsonNames.Contains(name!)) continue;
                var type = Resolve(field!.Type);
                if (type is null) continue;
                properties.Add(property);
                jsonNames.Add(name!);
                result.Add(new FieldModel(name!, property, type, field.Doc));
            }
            return result.ToEquatableArray();
        }

        private FieldType? Resolve(TypeSyntax? type)
        {
            if (type is null) return null;
            var arguments = type.Arguments ?? [];
            switch (type.Kind)
            {
                case TypeSyntaxKind.Nullable:
                    if (arguments.Count != 1 || arguments[0]?.Kind == TypeSyntaxKind.Nullable) return null;
                    var inner = Resolve(arguments[0]);
                    return inner is null ? null : new FieldType(FieldTypeKind.Nullable, null, inner);
                case TypeSyntaxKind.List:
                    if (arguments.Count != 1) return null;
                    var item = Resolve(arguments[0]);
                    return item is null ? null : new FieldType(FieldTypeKind.List, null, item);
                case TypeSyntaxKind.Map:
                    if (arguments.Count != 2 || arguments[0] is not { Kind: TypeSyntaxKind.Named, Name.Text: "string" }) return null;
                    var value = Resolve(arguments[1]);
                    return value is null ? null : new FieldType(FieldTypeKind.Map, null, value);
                case TypeSyntaxKind.Named:
                    var name = type.Name?.Text;
                    switch (name)
                    {
                        case "string": return new FieldType(FieldTypeKind.String);
                        case "bool": return new FieldType(FieldTypeKind.Bool);
                        case "int": return new FieldType(FieldTypeKind.Int);
                        case "long": return new FieldType(FieldTypeKind.Long);
                        case "decimal": return new FieldType(FieldTypeKind.Decimal);
                        case "double": return new FieldType(FieldTypeKind.Double);
                        case "guid": return new FieldType(FieldTypeKind.Guid);
                        case "timestamp": return new FieldType(FieldTypeKind.Timestamp);
                        case "date": return new FieldType(FieldTypeKind.Date);
                        case "duration": return new FieldType(FieldTypeKind.Duration);
                        case "bytes": return new FieldType(FieldTypeKind.Bytes);
                        case null: return null;
                    }
                    if (_records.ContainsKey(name)) return new FieldType(FieldTypeKind.Record, name);
                    if (_enums.ContainsKey(name)) return new FieldType(FieldTypeKind.Enum, name);
                    return null;
                default:
                    return null;
            }
        }

        private StateModel State(string name, IReadOnlyList<FieldSyntax>? fields) =>
            new(name + "State", Fields(fields, name + "State", reserveUpcast: false));

        private AggregateModel Aggregate(AggregateSyntax aggregate)
        {
            var name = aggregate.Name.Text;
            var handles = new List<HandleModel>();
            var applied = new List<string>();
            foreach (var handle in aggregate.Handles ?? [])
            {
                var command = handle?.Command?.Text;
                if (command is null || !_commands.TryGetValue(command, out var commandSyntax)) continue;
                if (!Claim(command + "Decision")) continue;
                var events = Events(handle!.Events).ToList();
                handles.Add(new HandleModel(command, Key(aggregate.Key, commandSyntax), events.ToEquatableArray()));
                foreach (var @event in events)
                {
                    if (!applied.Contains(@event)) applied.Add(@event);
                }
            }
            return new AggregateModel(name, ns + "." + name, aggregate.Doc, State(name, aggregate.State),
                handles.ToEquatableArray(), applied.ToEquatableArray());
        }

        private ProcessModel Process(ProcessSyntax process)
        {
            var name = process.Name.Text;
            var events = new List<ProcessEventModel>();
            void Add(IReadOnlyList<NameSyntax>? names, ProcessStepKind step)
            {
                foreach (var @event in Events(names))
                {
                    if (events.Any(e => e.Event == @event)) continue;
                    var syntax = _events[@event][_events[@event].Keys.Max()];
                    events.Add(new ProcessEventModel(@event, step, Key(process.Key, syntax)));
                }
            }
            Add(process.StartOn, ProcessStepKind.Start);
            Add(process.On, ProcessStepKind.Advance);
            Add(process.EndOn, ProcessStepKind.End);
            var sends = new List<string>();
            foreach (var send in process.Send ?? [])
            {
                var command = send?.Text;
                if (command is not null && _commands.ContainsKey(command) && !sends.Contains(command)) sends.Add(command);
            }
            return new ProcessModel(name, ns + "." + name, process.Doc, State(name, process.State),
                events.ToEquatableArray(), sends.ToEquatableArray());
        }

        /// <summary>The known (latest-version) events among <paramref name="names"/>, without repeats.</summary>
        private IEnumerable<string> Events(IReadOnlyList<NameSyntax>? names)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in names ?? [])
            {
                var text = name?.Text;
                if (text is not null && _events.ContainsKey(text) && seen.Add(text)) yield return text;
            }
        }

        /// <summary>The key as read from <paramref name="message"/>: null when the message lacks the key field or its type is no scalar.</summary>
        private KeyModel? Key(NameSyntax? key, MessageSyntax message)
        {
            if (key is null || !_fields.TryGetValue(message, out var fields)) return null;
            var field = fields.FirstOrDefault(f => f.JsonName == key.Text);
            if (field is null) return null;
            var type = field.Type.Kind == FieldTypeKind.Nullable ? field.Type.Element! : field.Type;
            return type.Kind switch
            {
                FieldTypeKind.String => new KeyModel(field.PropertyName, IsText: true),
                FieldTypeKind.List or FieldTypeKind.Map or FieldTypeKind.Bytes or FieldTypeKind.Record => null,
                _ => new KeyModel(field.PropertyName, IsText: false),
            };
        }
    }

    private sealed class ReferenceEqualityComparer : IEqualityComparer<MessageSyntax>
    {
        public static readonly ReferenceEqualityComparer Instance = new();
        public bool Equals(MessageSyntax? x, MessageSyntax? y) => ReferenceEquals(x, y);
        public int GetHashCode(MessageSyntax obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
