using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;
using static Concordance.Schema.Checking.SchemaNames;

namespace Concordance.Schema.Checking;

// Aggregates: handled commands, emitted events, keys; gateway emits and unhandled commands.
internal sealed partial class Checker
{
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
}
