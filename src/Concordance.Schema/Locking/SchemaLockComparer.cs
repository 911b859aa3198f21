using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Locking;

/// <summary>
/// The shipped-schema gate: finds every change of a schema that would stop it reading events
/// recorded in its lock (CC0016–CC0023), at the place in the schema where the change shows.
/// </summary>
public static class SchemaLockComparer
{
    /// <summary>The command that rewrites the lock, for messages.</summary>
    public const string UpdateCommand = "dotnet build -p:ConcordanceUpdateLock=true";

    /// <summary>
    /// The text of CC0025 (info): a schema without a lock, so nothing is checked; says how to create one. Shared by the
    /// build and the <c>concordance</c> tool so both say the same.
    /// </summary>
    /// <param name="schemaFileName">The schema's file name (<c>Bank.concordance</c>).</param>
    public static string NoLockMessage(string schemaFileName) =>
        $"{schemaFileName} has no lock file, so changes that would break reading stored events are not checked. "
        + $"Create {schemaFileName}{SchemaLock.FileExtension} once events are stored, and check it in: {UpdateCommand}";

    private const string RebuildAdvice = "; or, if nothing is stored yet, rebuild the lock on purpose: " + UpdateCommand;

    /// <summary>
    /// Compares <paramref name="current"/> with <paramref name="locked"/>. Never throws; the result
    /// is sorted by position, each span in <paramref name="current"/>. Compatible changes (a new
    /// event or version, a new nullable field, required to nullable, field order, a new enum member
    /// where the lock's enum has a fallback) give nothing.
    /// </summary>
    /// <param name="locked">The lock, from <see cref="SchemaLockReader"/>.</param>
    /// <param name="current">The schema as it is now, from <see cref="SchemaParser.Parse"/>.</param>
    public static IReadOnlyList<SchemaDiagnostic> Compare(SchemaLock locked, SchemaFile current)
    {
        var comparison = new Comparison(locked, current);
        comparison.Run();
        return comparison.Diagnostics
            .OrderBy(d => d.Span.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
    }

    private sealed class Comparison(SchemaLock locked, SchemaFile current)
    {
        private readonly SchemaDeclarations _declarations = SchemaDeclarations.Of(current);
        private readonly SourceSpan _anchor = current.Namespace?.Span ?? new SourceSpan(0, 0);

        public List<SchemaDiagnostic> Diagnostics { get; } = new();

        public void Run()
        {
            var currentNamespace = current.Namespace is { IsMissing: false } ns ? ns.Text : null;
            if (locked.Namespace is not null && currentNamespace is not null && locked.Namespace != currentNamespace)
            {
                Report(SchemaDiagnosticIds.LockedEventRemoved, _anchor,
                    $"The namespace changed from '{locked.Namespace}' to '{currentNamespace}': stored events are typed '{locked.Namespace}.Name' and would no longer be read. Keep 'namespace {locked.Namespace};'{RebuildAdvice}");
            }
            foreach (var @event in locked.Events) CompareEvent(@event);
            var usedBy = RecordUsers();
            foreach (var record in locked.Records)
            {
                if (_declarations.Records.TryGetValue(record.Name, out var declaration))
                {
                    var owner = $"record '{record.Name}' (stored inside {usedBy[record.Name]})";
                    CompareFields(owner, record.Fields, declaration,
                        $"Keep record '{record.Name}' as locked and give the new shape a new record, used by a new event version with an upcast{RebuildAdvice}");
                }
            }
            foreach (var @enum in locked.Enums)
            {
                if (_declarations.Enums.TryGetValue(@enum.Name, out var declaration)) CompareEnum(@enum, declaration);
            }
            foreach (var upcast in locked.Upcasts)
            {
                if (_declarations.Upcasts.Contains(upcast)) continue;
                var at = EventSpan(upcast.Event, upcast.From) ?? EventSpan(upcast.Event, upcast.To) ?? _anchor;
                Report(SchemaDiagnosticIds.LockedUpcastRemoved, at,
                    $"'upcast {upcast.Event} v{upcast.From} -> v{upcast.To}' is in the lock but no longer declared: stored {upcast.Event} v{upcast.From} events could not be brought to the current version. Declare the upcast again{RebuildAdvice}");
            }
        }

        private void CompareEvent(LockedEvent @event)
        {
            if (_declarations.Events.TryGetValue((@event.Name, @event.Version), out var declaration))
            {
                CompareFields($"event '{@event.Name}' v{@event.Version}", @event.Fields, declaration, EventAdvice(@event));
                return;
            }
            var remaining = _declarations.Events.Where(e => e.Key.Name == @event.Name).Select(e => e.Value).OrderBy(e => e.Span.Start).FirstOrDefault();
            var what = remaining is null
                ? $"Event '{@event.Name}' is in the lock but no longer declared"
                : $"Version v{@event.Version} of event '{@event.Name}' is in the lock but no longer declared";
            Report(SchemaDiagnosticIds.LockedEventRemoved, remaining?.Name.Span ?? _anchor,
                $"{what}: stored {@event.Name} v{@event.Version} events could not be read. Declare 'event {@event.Name}{(@event.Version == 1 ? "" : " v" + @event.Version)} {{…}}' again as locked{(remaining is null ? "" : " (and its upcasts)")}{RebuildAdvice}");
        }

        private string EventAdvice(LockedEvent @event)
        {
            var latest = _declarations.Events.Keys.Where(k => k.Name == @event.Name).Max(k => k.Version);
            if (latest > @event.Version)
                return $"Restore 'event {@event.Name} v{@event.Version}' as locked: stored events keep their version and are upcast when read{RebuildAdvice}";
            var next = @event.Version + 1;
            return $"Keep v{@event.Version} as locked and declare 'event {@event.Name} v{next} {{…}}' with 'upcast {@event.Name} v{@event.Version} -> v{next}' instead{RebuildAdvice}";
        }

        private void CompareFields(string owner, IReadOnlyList<LockedField> lockedFields, MessageSyntax declaration, string advice)
        {
            var currentFields = new Dictionary<string, (FieldSyntax Syntax, LockedType? Type)>(StringComparer.Ordinal);
            foreach (var field in declaration.Fields)
            {
                if (field?.Name is { IsMissing: false } && !currentFields.ContainsKey(field.Name.Text))
                    currentFields.Add(field.Name.Text, (field, SchemaLockBuilder.ToLocked(field.Type)));
            }
            var lockedNames = new HashSet<string>(lockedFields.Select(f => f.Name), StringComparer.Ordinal);
            var added = declaration.Fields.Where(f => f?.Name is { IsMissing: false } && !lockedNames.Contains(f.Name.Text)).Distinct().ToList();
            var renameCandidates = new HashSet<FieldSyntax>();

            foreach (var field in lockedFields)
            {
                if (!currentFields.TryGetValue(field.Name, out var now))
                {
                    var renamed = added.FirstOrDefault(f => !renameCandidates.Contains(f) && field.Type.Equals(SchemaLockBuilder.ToLocked(f.Type)));
                    if (renamed is not null) renameCandidates.Add(renamed);
                    Report(SchemaDiagnosticIds.LockedFieldRemoved, renamed?.Name.Span ?? declaration.Name.Span,
                        $"Field '{field.Name}' of {owner} is in the lock but no longer declared{(renamed is null ? "" : $" (renamed to '{renamed.Name.Text}'?)")}: stored events carry '{field.Name}', and a rename is a removal to them. {advice}");
                    continue;
                }
                if (now.Type is null) continue;
                var change = Check(field.Type, now.Type);
                if (change == TypeChange.None) continue;
                var at = now.Syntax.Type?.Span ?? now.Syntax.Span;
                if (change == TypeChange.MadeRequired)
                {
                    Report(SchemaDiagnosticIds.LockedFieldMadeRequired, at,
                        $"Field '{field.Name}' of {owner} changed from '{field.Type}' to '{now.Type}': stored events may hold null there, and the reader would refuse them. {advice}");
                }
                else
                {
                    Report(SchemaDiagnosticIds.LockedFieldTypeChanged, at,
                        $"Field '{field.Name}' of {owner} changed type from '{field.Type}' to '{now.Type}': stored events hold a '{field.Type}' there. {advice}");
                }
            }

            foreach (var field in added)
            {
                if (renameCandidates.Contains(field) || SchemaLockBuilder.ToLocked(field.Type) is not { } type || type.Kind == LockedTypeKind.Nullable) continue;
                Report(SchemaDiagnosticIds.RequiredFieldAdded, field.Name.Span,
                    $"Field '{field.Name.Text}' is new in {owner} and required: events stored before it lack '{field.Name.Text}', and the reader would refuse them. Make it nullable ('{field.Name.Text}: {type}?'), or: {advice}");
            }
        }

        private void CompareEnum(LockedEnum @enum, EnumSyntax declaration)
        {
            var current = declaration.Members.Where(m => m?.Name is { IsMissing: false }).GroupBy(m => m.Name.Text, StringComparer.Ordinal).Select(g => g.First()).ToList();
            // A new fallback member is the catch-all for unknown values, not a value the application writes.
            var added = current.Where(m => !@enum.Members.Contains(m.Name.Text) && !m.IsFallback).ToList();
            var removed = @enum.Members.Where(m => current.All(c => c.Name.Text != m)).ToList();
            var consequence = declaration.Fallback is { Name.IsMissing: false } fallback
                ? $"would read as the fallback '{fallback.Name.Text}' instead"
                : "could not be read";
            for (var i = 0; i < removed.Count; i++)
            {
                var renamed = i < added.Count ? added[i] : null;
                Report(SchemaDiagnosticIds.LockedEnumMemberRemoved, renamed?.Name.Span ?? declaration.Name.Span,
                    $"Member '{removed[i]}' of enum '{@enum.Name}' is in the lock but no longer declared{(renamed is null ? "" : $" (renamed to '{renamed.Name.Text}'?)")}: stored events hold '{removed[i]}' by name and {consequence}. Keep the member{RebuildAdvice}");
            }
            if (@enum.Fallback is not null) return;
            foreach (var member in added.Skip(removed.Count))
            {
                Report(SchemaDiagnosticIds.EnumMemberAddedWithoutFallback, member.Name.Span,
                    $"Member '{member.Name.Text}' is new in enum '{@enum.Name}', whose locked shape has no fallback member: builds still running the locked schema cannot read events holding '{member.Name.Text}'. Declare a fallback member (e.g. 'fallback Unknown') and ship it before adding members, or deploy every reader before the first writer; then update the lock: {UpdateCommand}");
            }
        }

        private Dictionary<string, string> RecordUsers()
        {
            var users = new Dictionary<string, string>(StringComparer.Ordinal);
            var queue = new Queue<(string Name, string User)>(locked.Events.SelectMany(e =>
                e.Fields.SelectMany(f => f.Type.NamesUsed()).Select(n => (n, $"event {e.Name} v{e.Version}"))));
            while (queue.Count > 0)
            {
                var (name, user) = queue.Dequeue();
                if (users.ContainsKey(name)) continue;
                users.Add(name, user);
                var record = locked.Records.FirstOrDefault(r => r.Name == name);
                foreach (var used in record?.Fields.SelectMany(f => f.Type.NamesUsed()) ?? Enumerable.Empty<string>()) queue.Enqueue((used, user));
            }
            foreach (var record in locked.Records) if (!users.ContainsKey(record.Name)) users.Add(record.Name, "locked events");
            return users;
        }

        private SourceSpan? EventSpan(string name, int version) =>
            _declarations.Events.TryGetValue((name, version), out var declaration) ? declaration.Name.Span : null;

        private void Report(string id, SourceSpan span, string message)
        {
            var severity = id == SchemaDiagnosticIds.EnumMemberAddedWithoutFallback ? SchemaSeverity.Warning : SchemaSeverity.Error;
            Diagnostics.Add(new SchemaDiagnostic(id, severity, message, span));
        }
    }

    private enum TypeChange { None, MadeRequired, Changed }

    // Can a reader of the current type read what the locked type wrote? Only relaxing to nullable is allowed.
    private static TypeChange Check(LockedType old, LockedType now)
    {
        if (old.Equals(now)) return TypeChange.None;
        if (now.Kind == LockedTypeKind.Nullable)
            return Check(old.Kind == LockedTypeKind.Nullable ? old.Arguments[0] : old, now.Arguments[0]);
        if (old.Kind == LockedTypeKind.Nullable)
            return Check(old.Arguments[0], now) == TypeChange.None ? TypeChange.MadeRequired : TypeChange.Changed;
        if (old.Kind != now.Kind || old.Kind == LockedTypeKind.Named) return TypeChange.Changed;
        var worst = TypeChange.None;
        for (var i = 0; i < old.Arguments.Count; i++)
        {
            var change = Check(old.Arguments[i], now.Arguments[i]);
            if (change > worst) worst = change;
        }
        return worst;
    }
}
