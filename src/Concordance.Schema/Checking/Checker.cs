using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;
using static Concordance.Schema.Checking.SchemaNames;

namespace Concordance.Schema.Checking;

/// <summary>
/// The semantic checks of one parsed file (CC0002–CC0015). Works on whatever the parser
/// recovered: missing names and types are skipped, never dereferenced.
/// </summary>
internal sealed class Checker
{
    private readonly SchemaFile _file;
    private readonly List<SchemaDiagnostic> _diagnostics = new();

    /// <summary>First declaration of each name (upcasts excluded; for events, the latest version).</summary>
    private readonly Dictionary<string, DeclarationSyntax> _declarations = new(StringComparer.Ordinal);

    /// <summary>Every version of each event name.</summary>
    private readonly Dictionary<string, List<MessageSyntax>> _eventVersions = new(StringComparer.Ordinal);

    /// <summary>Command name → the aggregate handle that owns it (first one).</summary>
    private readonly Dictionary<string, (AggregateSyntax Aggregate, HandleSyntax Handle)> _handledBy = new(StringComparer.Ordinal);

    /// <summary>Event names some aggregate or gateway emits.</summary>
    private readonly HashSet<string> _emitted = new(StringComparer.Ordinal);

    public Checker(SchemaFile file) => _file = file;

    public IReadOnlyList<SchemaDiagnostic> Run()
    {
        CollectDeclarations();
        CheckNamespace();
        foreach (var declaration in _file.Declarations)
        {
            switch (declaration)
            {
                case MessageSyntax message:
                    CheckFields(message.Fields, Describe(message), message.Name.Text);
                    break;
                case EnumSyntax @enum:
                    CheckEnum(@enum);
                    break;
                case AggregateSyntax aggregate:
                    CheckFields(aggregate.State, "the state of aggregate '" + Short(aggregate.Name.Text) + "'", aggregate.Name.Text + "State");
                    break;
                case ProcessSyntax process:
                    CheckFields(process.State, "the state of process '" + Short(process.Name.Text) + "'", process.Name.Text + "State");
                    break;
            }
        }
        CheckAggregates();
        CollectGatewayEmits();
        CheckUnhandledCommands();
        foreach (var declaration in _file.Declarations)
        {
            switch (declaration)
            {
                case ProjectorSyntax projector:
                    CheckSubscriptions(projector.On, "'on' of projector '" + Short(projector.Name.Text) + "'", new HashSet<string>(StringComparer.Ordinal), warnNeverEmitted: true);
                    break;
                case GatewaySyntax gateway:
                    CheckSubscriptions(gateway.On, "'on' of gateway '" + Short(gateway.Name.Text) + "'", new HashSet<string>(StringComparer.Ordinal), warnNeverEmitted: true);
                    break;
                case ProcessSyntax process:
                    CheckProcess(process);
                    break;
            }
        }
        CheckVersions();
        CheckGeneratedNameCollisions();

        _diagnostics.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : string.CompareOrdinal(a.Id, b.Id));
        return _diagnostics;
    }

    // ---- declarations -----------------------------------------------------------------------

    private void CollectDeclarations()
    {
        foreach (var declaration in _file.Declarations)
        {
            var name = declaration.Name;
            if (name.IsMissing || declaration is UpcastSyntax) continue;

            if (CSharpKeywords.Contains(name.Text))
            {
                Report(SchemaDiagnosticIds.InvalidName, name.Span,
                    KindName(declaration.Kind) + " name '" + name.Text + "' is a C# keyword and cannot name a generated type: rename it (e.g. '" + PropertyName(name.Text) + "Info').");
            }

            if (declaration is MessageSyntax { Kind: DeclarationKind.Event } @event)
            {
                if (!_eventVersions.TryGetValue(name.Text, out var versions))
                {
                    versions = new List<MessageSyntax>();
                    _eventVersions[name.Text] = versions;
                }
                var sameVersion = versions.FirstOrDefault(v => v.EffectiveVersion == @event.EffectiveVersion);
                if (sameVersion is not null)
                {
                    Report(SchemaDiagnosticIds.DuplicateName, name.Span,
                        "event '" + Short(name.Text) + "' v" + @event.EffectiveVersion + " is already declared at " + At(sameVersion.Name.Span) + ": remove one, or give this one the next version number.");
                    continue;
                }
                if (versions.Count > 0)
                {
                    versions.Add(@event);
                    if (@event.EffectiveVersion > ((MessageSyntax)_declarations[name.Text]).EffectiveVersion) _declarations[name.Text] = @event;
                    continue;
                }
                versions.Add(@event);
            }

            if (_declarations.TryGetValue(name.Text, out var first))
            {
                Report(SchemaDiagnosticIds.DuplicateName, name.Span,
                    "'" + Short(name.Text) + "' is already declared as " + WithArticle(first.Kind) + " at " + At(first.Name.Span) + ": every name in a schema is unique; rename or remove this " + KindName(declaration.Kind) + ".");
                if (declaration is MessageSyntax { Kind: DeclarationKind.Event } && _eventVersions.TryGetValue(name.Text, out var list) && list.Count == 1 && list[0] == declaration && first.Kind != DeclarationKind.Event)
                {
                    _eventVersions.Remove(name.Text);
                }
                continue;
            }
            _declarations[name.Text] = declaration;
        }
    }

    private void CheckNamespace()
    {
        var ns = _file.Namespace;
        if (ns is null || ns.IsMissing) return;
        foreach (var part in ns.Text.Split('.'))
        {
            if (CSharpKeywords.Contains(part))
            {
                Report(SchemaDiagnosticIds.InvalidName, ns.Span,
                    "namespace '" + Short(ns.Text) + "' contains the C# keyword '" + part + "' and cannot be a C# namespace: rename that part.");
                return;
            }
        }
    }

    private void CheckEnum(EnumSyntax @enum)
    {
        var seen = new Dictionary<string, EnumMemberSyntax>(StringComparer.Ordinal);
        EnumMemberSyntax? fallback = null;
        foreach (var member in @enum.Members)
        {
            if (member.Name.IsMissing) continue;
            if (member.IsFallback)
            {
                if (fallback is not null)
                {
                    Report(SchemaDiagnosticIds.DuplicateName, member.Name.Span,
                        "enum '" + Short(@enum.Name.Text) + "' already has the fallback member '" + Short(fallback.Name.Text) + "' (at " + At(fallback.Name.Span) + "): an enum has at most one; drop 'fallback' here.");
                }
                else fallback = member;
            }
            if (seen.TryGetValue(member.Name.Text, out var first))
            {
                Report(SchemaDiagnosticIds.DuplicateName, member.Name.Span,
                    "enum '" + Short(@enum.Name.Text) + "' already has the member '" + Short(member.Name.Text) + "' (at " + At(first.Name.Span) + "): remove the duplicate.");
                continue;
            }
            seen[member.Name.Text] = member;
            if (CSharpKeywords.Contains(member.Name.Text))
            {
                Report(SchemaDiagnosticIds.InvalidName, member.Name.Span,
                    "member '" + member.Name.Text + "' of enum '" + Short(@enum.Name.Text) + "' is a C# keyword and cannot name an enum member: rename it (e.g. '" + PropertyName(member.Name.Text) + "').");
            }
        }
    }

    // ---- fields and types -------------------------------------------------------------------

    private void CheckFields(IReadOnlyList<FieldSyntax> fields, string owner, string typeName)
    {
        var seen = new Dictionary<string, FieldSyntax>(StringComparer.Ordinal);
        var properties = new Dictionary<string, FieldSyntax>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var name = field.Name;
            if (name.IsMissing) continue;
            if (seen.TryGetValue(name.Text, out var first))
            {
                Report(SchemaDiagnosticIds.DuplicateName, name.Span,
                    "field '" + Short(name.Text) + "' is declared twice in " + owner + " (first at " + At(first.Name.Span) + "): remove or rename one.");
            }
            else
            {
                seen[name.Text] = field;
                var property = PropertyName(name.Text);
                if (properties.TryGetValue(property, out var clash))
                {
                    Report(SchemaDiagnosticIds.InvalidName, name.Span,
                        "field '" + Short(name.Text) + "' and field '" + Short(clash.Name.Text) + "' of " + owner + " both become the C# property '" + Short(property) + "': rename one.");
                }
                else
                {
                    properties[property] = field;
                    if (property == typeName)
                    {
                        Report(SchemaDiagnosticIds.InvalidName, name.Span,
                            "field '" + Short(name.Text) + "' of " + owner + " becomes the property '" + Short(property) + "', the name of its own generated type, which C# forbids: rename the field.");
                    }
                    else if (ReservedMemberNames.Contains(property))
                    {
                        Report(SchemaDiagnosticIds.InvalidName, name.Span,
                            "field '" + Short(name.Text) + "' of " + owner + " becomes the property '" + property + "', which every generated record already has: rename the field.");
                    }
                }
            }
            if (field.Type is not null) CheckType(field.Type, field, owner);
        }
    }

    private void CheckType(TypeSyntax type, FieldSyntax field, string owner)
    {
        // Iterative walk: the parser bounds depth, but a checker must not trust that.
        var stack = new Stack<TypeSyntax>();
        stack.Push(type);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            switch (current.Kind)
            {
                case TypeSyntaxKind.Named:
                    CheckNamedType(current, field, owner);
                    break;
                case TypeSyntaxKind.Nullable:
                    if (current.Arguments.Count > 0 && current.Arguments[0].Kind == TypeSyntaxKind.Nullable)
                    {
                        Report(SchemaDiagnosticIds.InvalidType, current.Span,
                            "type '" + Display(current) + "' of field '" + Short(field.Name.Text) + "' in " + owner + " is nullable twice: write a single '?'.");
                        var inner = current.Arguments[0];
                        while (inner.Kind == TypeSyntaxKind.Nullable && inner.Arguments.Count > 0) inner = inner.Arguments[0];
                        stack.Push(inner);
                        continue;
                    }
                    break;
                case TypeSyntaxKind.Map:
                    if (current.Arguments.Count > 0)
                    {
                        var key = current.Arguments[0];
                        if (!(key.Kind == TypeSyntaxKind.Named && key.Name?.Text == "string"))
                        {
                            Report(SchemaDiagnosticIds.InvalidType, key.Span,
                                "map key type '" + Display(key) + "' of field '" + Short(field.Name.Text) + "' in " + owner + " is not allowed: map keys are 'string' (write map<string, " + (current.Arguments.Count > 1 ? Display(current.Arguments[1]) : "T") + ">).");
                            if (current.Arguments.Count > 1) stack.Push(current.Arguments[1]);
                            continue;
                        }
                    }
                    break;
            }
            foreach (var argument in current.Arguments) stack.Push(argument);
        }
    }

    private void CheckNamedType(TypeSyntax type, FieldSyntax field, string owner)
    {
        var name = type.Name;
        if (name is null || name.IsMissing || BuiltInTypes.Contains(name.Text)) return;
        if (_declarations.TryGetValue(name.Text, out var declaration))
        {
            if (declaration.Kind is DeclarationKind.Record or DeclarationKind.Enum) return;
            Report(SchemaDiagnosticIds.WrongKind, name.Span,
                "field '" + Short(field.Name.Text) + "' in " + owner + " has type '" + Short(name.Text) + "', which is " + WithArticle(declaration.Kind) + ": a field's type is a built-in type, a record or an enum (declare a 'record' for this shape).");
            return;
        }
        if (name.Text is "list" or "map")
        {
            Report(SchemaDiagnosticIds.InvalidType, name.Span,
                "'" + name.Text + "' needs type arguments in field '" + Short(field.Name.Text) + "' of " + owner + ": write " + (name.Text == "list" ? "list<T>" : "map<string, T>") + ".");
            return;
        }
        var hint = SuggestType(name.Text);
        Report(SchemaDiagnosticIds.UnknownName, name.Span,
            "unknown type '" + Short(name.Text) + "' for field '" + Short(field.Name.Text) + "' in " + owner + ": " +
            (hint is not null ? "did you mean '" + hint + "'?" : "declare 'record " + Short(name.Text) + " { … }' or 'enum " + Short(name.Text) + " { … }', or use a built-in type (string, bool, int, long, decimal, double, guid, timestamp, date, duration, bytes)."));
    }

    private string? SuggestType(string text)
    {
        foreach (var builtIn in BuiltInTypes)
        {
            if (string.Equals(builtIn, text, StringComparison.OrdinalIgnoreCase)) return builtIn;
        }
        foreach (var pair in _declarations)
        {
            if (pair.Value.Kind is DeclarationKind.Record or DeclarationKind.Enum && string.Equals(pair.Key, text, StringComparison.OrdinalIgnoreCase)) return pair.Key;
        }
        return null;
    }

    // ---- aggregates -------------------------------------------------------------------------

    private void CheckAggregates()
    {
        var emittedBy = new Dictionary<string, (AggregateSyntax Aggregate, NameSyntax At)>(StringComparer.Ordinal);
        foreach (var aggregate in _file.Declarations.OfType<AggregateSyntax>())
        {
            var what = "aggregate '" + Short(aggregate.Name.Text) + "'";
            var keyed = new List<(NameSyntax Reference, MessageSyntax Message)>();
            var commandsHere = new Dictionary<string, NameSyntax>(StringComparer.Ordinal);
            var eventsHere = new HashSet<string>(StringComparer.Ordinal);

            foreach (var handle in aggregate.Handles)
            {
                var command = handle.Command;
                if (!command.IsMissing)
                {
                    if (commandsHere.TryGetValue(command.Text, out var earlier))
                    {
                        Report(SchemaDiagnosticIds.DuplicateName, command.Span,
                            what + " already handles command '" + Short(command.Text) + "' at " + At(earlier.Span) + ": list all its events in one 'handle " + Short(command.Text) + " -> …' clause.");
                    }
                    else
                    {
                        commandsHere[command.Text] = command;
                        var resolved = Resolve(command, DeclarationKind.Command, "'handle' of " + what, "a command");
                        if (resolved is MessageSyntax commandMessage)
                        {
                            if (_handledBy.TryGetValue(command.Text, out var owner) && owner.Aggregate != aggregate)
                            {
                                Report(SchemaDiagnosticIds.CommandHandledTwice, command.Span,
                                    "command '" + Short(command.Text) + "' is already handled by aggregate '" + Short(owner.Aggregate.Name.Text) + "' at " + At(owner.Handle.Command.Span) + ": a command has exactly one handler; remove one of the two 'handle' clauses.");
                            }
                            else
                            {
                                _handledBy[command.Text] = (aggregate, handle);
                            }
                            keyed.Add((command, commandMessage));
                        }
                    }
                }

                var eventsOfHandle = new Dictionary<string, NameSyntax>(StringComparer.Ordinal);
                foreach (var @event in handle.Events)
                {
                    if (@event.IsMissing) continue;
                    if (eventsOfHandle.TryGetValue(@event.Text, out var earlierEvent))
                    {
                        Report(SchemaDiagnosticIds.DuplicateName, @event.Span,
                            "event '" + Short(@event.Text) + "' is listed twice in 'handle " + Short(command.Text) + "' of " + what + " (first at " + At(earlierEvent.Span) + "): remove the duplicate.");
                        continue;
                    }
                    eventsOfHandle[@event.Text] = @event;
                    if (Resolve(@event, DeclarationKind.Event, "'handle " + Short(command.Text) + " -> …' of " + what, "an event") is not MessageSyntax eventMessage) continue;
                    _emitted.Add(@event.Text);
                    if (emittedBy.TryGetValue(@event.Text, out var emitter) && emitter.Aggregate != aggregate)
                    {
                        Report(SchemaDiagnosticIds.EventEmittedTwice, @event.Span,
                            "event '" + Short(@event.Text) + "' is already emitted by aggregate '" + Short(emitter.Aggregate.Name.Text) + "' at " + At(emitter.At.Span) + ": an event belongs to one aggregate's stream; declare a separate event for " + what + ".");
                    }
                    else if (!emittedBy.ContainsKey(@event.Text))
                    {
                        emittedBy[@event.Text] = (aggregate, @event);
                    }
                    if (eventsHere.Add(@event.Text)) keyed.Add((@event, eventMessage));
                }
            }

            CheckKey(aggregate.Key, aggregate.Name, what, keyed, SchemaDiagnosticIds.MissingAggregateKey,
                "a command or event of " + what);
        }
    }

    /// <summary>Every message of a component must carry the key field, with one type that can be a key.</summary>
    private void CheckKey(NameSyntax? key, NameSyntax owner, string what, List<(NameSyntax Reference, MessageSyntax Message)> messages, string missingId, string role)
    {
        if (key is null || key.IsMissing)
        {
            if (!owner.IsMissing)
            {
                Report(missingId, owner.Span,
                    what + " has no 'key' clause: add 'key fieldName', naming the field of its messages that identifies one instance (e.g. 'key accountNumber').");
            }
            return;
        }
        if (messages.Count == 0) return;

        FieldSyntax? keyField = null;
        MessageSyntax? keySource = null;
        foreach (var (_, message) in messages)
        {
            var field = message.Fields.FirstOrDefault(f => f.Name.Text == key.Text && f.Type is not null);
            if (field is not null) { keyField = field; keySource = message; break; }
        }
        if (keyField is null || keySource is null)
        {
            Report(SchemaDiagnosticIds.UnknownName, key.Span,
                "key '" + Short(key.Text) + "' of " + what + " is not a field of any of its messages: add '" + Short(key.Text) + ": string' (or another key type) to each of them, or name an existing field.");
            return;
        }
        var keyType = Display(keyField.Type!);
        if (!IsValidKeyType(keyField.Type!))
        {
            Report(SchemaDiagnosticIds.InvalidType, key.Span,
                "key '" + Short(key.Text) + "' of " + what + " has type '" + keyType + "' (in " + Describe(keySource) + "): a key is one non-null value such as string, int, long or guid, not a collection, bytes, a record or a nullable.");
        }

        foreach (var (reference, message) in messages)
        {
            var field = message.Fields.FirstOrDefault(f => f.Name.Text == key.Text);
            if (field is null)
            {
                Report(missingId, reference.Span,
                    Describe(message) + ", " + role + ", has no key field '" + Short(key.Text) + "': add '" + Short(key.Text) + ": " + keyType + "' to it.");
            }
            else if (field.Type is not null && Display(field.Type) != keyType)
            {
                Report(missingId, reference.Span,
                    Describe(message) + ", " + role + ", has key field '" + Short(key.Text) + "' of type '" + Display(field.Type) + "' but the key's type is '" + keyType + "' (in " + Describe(keySource) + "): use one type for the key everywhere.");
            }
        }
    }

    private bool IsValidKeyType(TypeSyntax type)
    {
        if (type.Kind != TypeSyntaxKind.Named || type.Name is null) return false;
        if (KeyTypes.Contains(type.Name.Text)) return true;
        return _declarations.TryGetValue(type.Name.Text, out var declaration) && declaration.Kind == DeclarationKind.Enum;
    }

    private void CollectGatewayEmits()
    {
        foreach (var gateway in _file.Declarations.OfType<GatewaySyntax>())
        {
            var what = "'emit' of gateway '" + Short(gateway.Name.Text) + "'";
            var seen = new Dictionary<string, NameSyntax>(StringComparer.Ordinal);
            foreach (var @event in gateway.Emit)
            {
                if (@event.IsMissing) continue;
                if (seen.TryGetValue(@event.Text, out var first))
                {
                    Report(SchemaDiagnosticIds.DuplicateName, @event.Span,
                        "event '" + Short(@event.Text) + "' is listed twice in " + what + " (first at " + At(first.Span) + "): remove the duplicate.");
                    continue;
                }
                seen[@event.Text] = @event;
                if (Resolve(@event, DeclarationKind.Event, what, "an event") is not null) _emitted.Add(@event.Text);
            }
        }
    }

    private void CheckUnhandledCommands()
    {
        foreach (var pair in _declarations)
        {
            if (pair.Value is MessageSyntax { Kind: DeclarationKind.Command } command && !_handledBy.ContainsKey(pair.Key))
            {
                Report(SchemaDiagnosticIds.CommandNotHandled, command.Name.Span,
                    "command '" + Short(pair.Key) + "' is not handled by any aggregate: add 'handle " + Short(pair.Key) + " -> …' to an aggregate, or remove the command.");
            }
        }
    }

    // ---- subscribers ------------------------------------------------------------------------

    /// <summary>Checks a list of subscribed events; returns the resolved ones.</summary>
    private List<(NameSyntax Reference, MessageSyntax Message)> CheckSubscriptions(IReadOnlyList<NameSyntax> events, string what, HashSet<string> seen, bool warnNeverEmitted, Dictionary<string, NameSyntax>? firstAt = null)
    {
        firstAt ??= new Dictionary<string, NameSyntax>(StringComparer.Ordinal);
        var resolved = new List<(NameSyntax, MessageSyntax)>();
        foreach (var @event in events)
        {
            if (@event.IsMissing) continue;
            if (!seen.Add(@event.Text))
            {
                var first = firstAt.TryGetValue(@event.Text, out var f) ? " (first at " + At(f.Span) + ")" : "";
                Report(SchemaDiagnosticIds.DuplicateName, @event.Span,
                    "event '" + Short(@event.Text) + "' is subscribed twice in " + what + first + ": an event has one handler per component; remove the duplicate.");
                continue;
            }
            firstAt[@event.Text] = @event;
            if (Resolve(@event, DeclarationKind.Event, what, "an event") is not MessageSyntax message) continue;
            resolved.Add((@event, message));
            if (warnNeverEmitted && !_emitted.Contains(@event.Text))
            {
                Report(SchemaDiagnosticIds.EventNeverEmitted, @event.Span,
                    "event '" + Short(@event.Text) + "' in " + what + " is never emitted: no aggregate 'handle … -> " + Short(@event.Text) + "' and no gateway 'emit " + Short(@event.Text) + "' produces it, so this subscription never fires.");
            }
        }
        return resolved;
    }

    private void CheckProcess(ProcessSyntax process)
    {
        var what = "process '" + Short(process.Name.Text) + "'";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var firstAt = new Dictionary<string, NameSyntax>(StringComparer.Ordinal);
        var listened = new List<(NameSyntax, MessageSyntax)>();
        listened.AddRange(CheckSubscriptions(process.StartOn, "'start on' of " + what, seen, warnNeverEmitted: true, firstAt));
        listened.AddRange(CheckSubscriptions(process.On, "'on' of " + what, seen, warnNeverEmitted: true, firstAt));
        var ends = CheckSubscriptions(process.EndOn, "'end on' of " + what, seen, warnNeverEmitted: false, firstAt);
        listened.AddRange(ends);

        if (!process.Name.IsMissing)
        {
            if (process.StartOn.Count == 0)
            {
                Report(SchemaDiagnosticIds.UnreachableProcessEnd, process.Name.Span,
                    what + " has no 'start on' clause: no instance is ever started, so its end is unreachable. Add 'start on SomeEvent'.");
            }
            if (process.EndOn.Count == 0)
            {
                Report(SchemaDiagnosticIds.UnreachableProcessEnd, process.Name.Span,
                    what + " has no 'end on' clause: its instances can never end. Add 'end on SomeEvent' naming the event that finishes it.");
            }
        }
        foreach (var (reference, _) in ends)
        {
            if (!_emitted.Contains(reference.Text))
            {
                Report(SchemaDiagnosticIds.UnreachableProcessEnd, reference.Span,
                    "end event '" + Short(reference.Text) + "' of " + what + " is never emitted (no aggregate handle or gateway emit produces it), so this end is unreachable: emit it somewhere or end on another event.");
            }
        }

        CheckKey(process.Key, process.Name, what, listened, SchemaDiagnosticIds.MissingProcessKey, "which " + what + " listens to");

        var sent = new Dictionary<string, NameSyntax>(StringComparer.Ordinal);
        foreach (var command in process.Send)
        {
            if (command.IsMissing) continue;
            if (sent.TryGetValue(command.Text, out var first))
            {
                Report(SchemaDiagnosticIds.DuplicateName, command.Span,
                    "command '" + Short(command.Text) + "' is listed twice in 'send' of " + what + " (first at " + At(first.Span) + "): remove the duplicate.");
                continue;
            }
            sent[command.Text] = command;
            if (Resolve(command, DeclarationKind.Command, "'send' of " + what, "a command") is null) continue;
            if (!_handledBy.ContainsKey(command.Text))
            {
                Report(SchemaDiagnosticIds.SendNotHandled, command.Span,
                    what + " sends command '" + Short(command.Text) + "' but no aggregate handles it: add 'handle " + Short(command.Text) + " -> …' to an aggregate, or stop sending it.");
            }
        }
    }

    // ---- versions ---------------------------------------------------------------------------

    private void CheckVersions()
    {
        var upcasts = new Dictionary<(string, int), UpcastSyntax>();
        foreach (var upcast in _file.Declarations.OfType<UpcastSyntax>())
        {
            var name = upcast.Name;
            if (name.IsMissing) continue;
            var what = "upcast " + Short(name.Text) + (upcast.From is { } f ? " v" + f : "") + (upcast.To is { } t ? " -> v" + t : "");
            if (Resolve(name, DeclarationKind.Event, "'upcast'", "an event") is null) continue;
            if (upcast.From is not { } from || upcast.To is not { } to) continue;
            var versions = _eventVersions.TryGetValue(name.Text, out var list) ? list : new List<MessageSyntax>();
            if (to != from + 1)
            {
                Report(SchemaDiagnosticIds.VersionGap, name.Span,
                    "'" + what + "' skips versions: an upcast goes one version at a time; write 'upcast " + Short(name.Text) + " v" + from + " -> v" + (from + 1) + "' and so on.");
                continue;
            }
            var missing = !versions.Any(v => v.EffectiveVersion == from) ? from : !versions.Any(v => v.EffectiveVersion == to) ? to : (int?)null;
            if (missing is { } m)
            {
                Report(SchemaDiagnosticIds.VersionGap, name.Span,
                    "'" + what + "' names v" + m + " of event '" + Short(name.Text) + "', which is not declared: declare 'event " + Short(name.Text) + " v" + m + " { … }' or remove the upcast.");
                continue;
            }
            if (upcasts.TryGetValue((name.Text, from), out var earlier))
            {
                Report(SchemaDiagnosticIds.DuplicateName, name.Span,
                    "'" + what + "' is already declared at " + At(earlier.Name.Span) + ": remove the duplicate.");
                continue;
            }
            upcasts[(name.Text, from)] = upcast;
        }

        foreach (var pair in _eventVersions)
        {
            var versions = pair.Value;
            var byVersion = new Dictionary<int, MessageSyntax>();
            foreach (var v in versions) byVersion[v.EffectiveVersion] = v;
            var latest = byVersion.Keys.Max();
            foreach (var v in versions)
            {
                if (v.EffectiveVersion < 1)
                {
                    Report(SchemaDiagnosticIds.VersionGap, v.VersionSpan ?? v.Name.Span,
                        "event '" + Short(pair.Key) + "' is declared as v" + v.EffectiveVersion + ": versions count up from v1.");
                }
            }
            if (versions.Count == 1 && latest == 1) continue;
            if (latest > versions.Count + 64) latest = versions.Count + 64; // a wild number is one gap, not a million
            for (var k = 1; k <= latest; k++)
            {
                if (!byVersion.ContainsKey(k))
                {
                    var next = byVersion.Where(p => p.Key > k).OrderBy(p => p.Key).Select(p => p.Value).FirstOrDefault();
                    if (next is null) break;
                    Report(SchemaDiagnosticIds.VersionGap, next.VersionSpan ?? next.Name.Span,
                        "event '" + Short(pair.Key) + "' v" + next.EffectiveVersion + " has no v" + k + ": versions count up from v1 without gaps; declare 'event " + Short(pair.Key) + " v" + k + " { … }' or renumber.");
                    break;
                }
                if (k > 1 && byVersion.ContainsKey(k - 1) && !upcasts.ContainsKey((pair.Key, k - 1)))
                {
                    var target = byVersion[k];
                    Report(SchemaDiagnosticIds.VersionGap, target.VersionSpan ?? target.Name.Span,
                        "event '" + Short(pair.Key) + "' v" + k + " has no upcast from v" + (k - 1) + ", so stored v" + (k - 1) + " events cannot load: add 'upcast " + Short(pair.Key) + " v" + (k - 1) + " -> v" + k + "'.");
                }
            }
        }
    }

    // ---- generated names --------------------------------------------------------------------

    private void CheckGeneratedNameCollisions()
    {
        var generated = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string origin)
        {
            if (!generated.ContainsKey(name)) generated[name] = origin;
        }

        var stem = FileStem(_file.Path);
        if (stem.Length > 0) Add(stem + "Schema", "the schema class of file '" + Short(stem) + "'");
        foreach (var declaration in _file.Declarations)
        {
            var name = declaration.Name.Text;
            if (declaration.Name.IsMissing) continue;
            switch (declaration)
            {
                case MessageSyntax message:
                    Add(name + "JsonConverter", "the JSON converter of " + Describe(message));
                    break;
                case AggregateSyntax aggregate:
                    Add(name + "AggregateBase", "the base class of aggregate '" + Short(name) + "'");
                    Add(name + "State", "the state of aggregate '" + Short(name) + "'");
                    Add(name + "StateJsonConverter", "the state converter of aggregate '" + Short(name) + "'");
                    foreach (var handle in aggregate.Handles)
                    {
                        if (!handle.Command.IsMissing) Add(handle.Command.Text + "Decision", "the decision type of 'handle " + Short(handle.Command.Text) + "' in aggregate '" + Short(name) + "'");
                    }
                    break;
                case ProjectorSyntax:
                    Add(name + "ProjectorBase", "the base class of projector '" + Short(name) + "'");
                    break;
                case ProcessSyntax:
                    Add(name + "ProcessManagerBase", "the base class of process '" + Short(name) + "'");
                    Add(name + "State", "the state of process '" + Short(name) + "'");
                    Add(name + "StateJsonConverter", "the state converter of process '" + Short(name) + "'");
                    Add(name + "Outcome", "the outcome type of process '" + Short(name) + "'");
                    break;
                case GatewaySyntax:
                    Add(name + "GatewayBase", "the base class of gateway '" + Short(name) + "'");
                    break;
            }
        }
        foreach (var pair in _eventVersions)
        {
            var latest = pair.Value.Max(v => v.EffectiveVersion);
            foreach (var v in pair.Value)
            {
                if (v.EffectiveVersion < latest) Add(pair.Key + "V" + v.EffectiveVersion, "the type of event '" + Short(pair.Key) + "' v" + v.EffectiveVersion);
            }
        }

        foreach (var declaration in _file.Declarations)
        {
            if (declaration.Name.IsMissing || declaration.Kind is DeclarationKind.Upcast or DeclarationKind.Aggregate or DeclarationKind.Projector or DeclarationKind.Process or DeclarationKind.Gateway) continue;
            if (generated.TryGetValue(declaration.Name.Text, out var origin))
            {
                Report(SchemaDiagnosticIds.InvalidName, declaration.Name.Span,
                    KindName(declaration.Kind) + " '" + Short(declaration.Name.Text) + "' collides with a generated type of the same name (" + origin + "): rename the " + KindName(declaration.Kind) + ".");
            }
        }
    }

    private static string FileStem(string path)
    {
        if (string.IsNullOrEmpty(path)) return string.Empty;
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        var name = path.Substring(slash + 1);
        var dot = name.IndexOf('.');
        return dot < 0 ? name : name.Substring(0, dot);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /// <summary>Looks <paramref name="reference"/> up and reports CC0002 or CC0014 unless it is a <paramref name="expected"/>.</summary>
    private DeclarationSyntax? Resolve(NameSyntax reference, DeclarationKind expected, string place, string expectedText)
    {
        if (!_declarations.TryGetValue(reference.Text, out var declaration))
        {
            var hint = _declarations.Keys.FirstOrDefault(k => _declarations[k].Kind == expected && string.Equals(k, reference.Text, StringComparison.OrdinalIgnoreCase));
            Report(SchemaDiagnosticIds.UnknownName, reference.Span,
                "unknown " + KindName(expected) + " '" + Short(reference.Text) + "' in " + place + ": " +
                (hint is not null ? "did you mean '" + Short(hint) + "'?" : "declare '" + KindName(expected) + " " + Short(reference.Text) + " { … }' or fix the name."));
            return null;
        }
        if (declaration.Kind != expected)
        {
            Report(SchemaDiagnosticIds.WrongKind, reference.Span,
                "'" + Short(reference.Text) + "' in " + place + " is " + WithArticle(declaration.Kind) + " (declared at " + At(declaration.Name.Span) + "), but " + expectedText + " is expected here.");
            return null;
        }
        return declaration;
    }

    private static string Describe(MessageSyntax message) =>
        KindName(message.Kind) + " '" + Short(message.Name.Text) + "'" + (message.Version is { } v ? " v" + v : "");

    private string At(SourceSpan span)
    {
        var position = _file.Lines.GetPosition(span.Start);
        return "line " + (position.Line + 1);
    }

    private void Report(string id, SourceSpan span, string message)
    {
        var severity = id is SchemaDiagnosticIds.CommandNotHandled or SchemaDiagnosticIds.EventNeverEmitted ? SchemaSeverity.Warning : SchemaSeverity.Error;
        _diagnostics.Add(new SchemaDiagnostic(id, severity, Capitalize(message), span));
    }

    private static string Capitalize(string message) =>
        message.Length == 0 || char.IsUpper(message[0]) || message[0] == '\'' ? message : char.ToUpperInvariant(message[0]) + message.Substring(1);
}
