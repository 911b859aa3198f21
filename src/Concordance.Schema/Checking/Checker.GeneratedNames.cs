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

        Add(GeneratedNames.SchemaClass(GeneratedNames.Stem(_file.Path)), "the schema class of file '" + Short(GeneratedTypes.FileName(_file.Path)) + "'");
        if (_file.Declarations.FirstOrDefault(GeneratedTypes.HasScenario) is { } tested)
        {
            Add(GeneratedNames.TestKitNamespace, "the namespace of the test scenario of " + KindName(tested.Kind) + " '" + Short(tested.Name.Text) + "'");
        }
        foreach (var declaration in _file.Declarations)
        {
            var name = declaration.Name.Text;
            if (declaration.Name.IsMissing) continue;
            switch (declaration)
            {
                case MessageSyntax message:
                    Add(GeneratedNames.JsonConverter(name), "the JSON converter of " + Describe(message));
                    break;
                case AggregateSyntax aggregate:
                    Add(GeneratedNames.AggregateBase(name), "the base class of aggregate '" + Short(name) + "'");
                    Add(GeneratedNames.State(name), "the state of aggregate '" + Short(name) + "'");
                    Add(GeneratedNames.JsonConverter(GeneratedNames.State(name)), "the state converter of aggregate '" + Short(name) + "'");
                    foreach (var handle in aggregate.Handles)
                    {
                        if (!handle.Command.IsMissing) Add(GeneratedNames.Decision(handle.Command.Text), "the decision type of 'handle " + Short(handle.Command.Text) + "' in aggregate '" + Short(name) + "'");
                    }
                    break;
                case ProjectorSyntax:
                    Add(GeneratedNames.ProjectorBase(name), "the base class of projector '" + Short(name) + "'");
                    break;
                case ProcessSyntax:
                    Add(GeneratedNames.ProcessManagerBase(name), "the base class of process '" + Short(name) + "'");
                    Add(GeneratedNames.State(name), "the state of process '" + Short(name) + "'");
                    Add(GeneratedNames.JsonConverter(GeneratedNames.State(name)), "the state converter of process '" + Short(name) + "'");
                    Add(GeneratedNames.Outcome(name), "the outcome type of process '" + Short(name) + "'");
                    break;
                case GatewaySyntax:
                    Add(GeneratedNames.GatewayBase(name), "the base class of gateway '" + Short(name) + "'");
                    Add(GeneratedNames.GatewayContext(name), "the context of gateway '" + Short(name) + "'");
                    break;
            }
        }
        foreach (var pair in _eventVersions)
        {
            var latest = pair.Value.Max(v => v.EffectiveVersion);
            foreach (var v in pair.Value)
            {
                if (v.EffectiveVersion < latest) Add(GeneratedNames.EventVersion(pair.Key, v.EffectiveVersion), "the type of event '" + Short(pair.Key) + "' v" + v.EffectiveVersion);
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
}
