using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;
using static Concordance.Schema.Checking.SchemaNames;

namespace Concordance.Schema.Checking;

// Declarations: every name once, the namespace, enum members.
internal sealed partial class Checker
{
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
}
