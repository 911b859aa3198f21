using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;
using static Concordance.Schema.Checking.SchemaNames;

namespace Concordance.Schema.Checking;

// Subscribers: projector, gateway and process subscriptions, process ends, and the sends of processes and gateways.
internal sealed partial class Checker
{
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

        CheckSends(process.Send, what);
    }

    /// <summary>
    /// The rule for a component's <c>send</c> list (process managers and gateways): each command is listed once, exists
    /// and is handled by an aggregate (CC0009 otherwise: it would be sent and go nowhere).
    /// </summary>
    private void CheckSends(IReadOnlyList<NameSyntax> commands, string what)
    {
        var sent = new Dictionary<string, NameSyntax>(StringComparer.Ordinal);
        foreach (var command in commands)
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
}
