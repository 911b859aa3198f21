using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;
using static Concordance.Schema.Checking.SchemaNames;

namespace Concordance.Schema.Checking;

// Generated names: declarations that collide with a type the generator writes.
internal sealed partial class Checker
{
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
}
