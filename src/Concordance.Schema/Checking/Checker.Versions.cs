using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;
using static Concordance.Schema.Checking.SchemaNames;

namespace Concordance.Schema.Checking;

// Event versions and upcasts.
internal sealed partial class Checker
{
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
}
