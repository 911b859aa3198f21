using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;
using static Concordance.Schema.Checking.SchemaNames;

namespace Concordance.Schema.Checking;

/// <summary>A C# type the generator writes for a schema file: its name, what it is for, and the schema name that causes it.</summary>
/// <param name="Name">The type's simple name, e.g. <c>PayDecision</c>.</param>
/// <param name="Origin">What it is, for messages: "command 'Pay'", "the decision type of 'handle Pay' in aggregate 'Order'".</param>
/// <param name="At">The schema text that causes it: a declaration's name, a handle's command, the namespace.</param>
/// <param name="IsDeclared">True for a type the schema declares by name (a message, record or enum); false for a derived one.</param>
/// <param name="IsNamespace">True for a namespace the generator writes into (the test scenarios'), not a type: two files may share it.</param>
internal sealed record GeneratedType(string Name, string Origin, SourceSpan At, bool IsDeclared, bool IsNamespace = false);

/// <summary>Every type the generator writes for one file, named by <see cref="GeneratedNames"/>, as the schema spells it.</summary>
internal static class GeneratedTypes
{
    /// <summary>
    /// The namespace the file's types are generated in: the declared one, or the file's stem when it declares none.
    /// </summary>
    public static string NamespaceOf(SchemaFile file) =>
        file.Namespace is { IsMissing: false } declared ? declared.Text : GeneratedNames.Stem(file.Path);

    /// <summary>
    /// The types of <paramref name="file"/>, first declaration of each name only (a repeated one is CC0003 already): the
    /// schema class, each message version, record and enum with its converter, and each component's generated types.
    /// </summary>
    public static IReadOnlyList<GeneratedType> Of(SchemaFile file)
    {
        var result = new List<GeneratedType>();
        var schemaAt = file.Namespace is { IsMissing: false } ns ? ns.Span : new SourceSpan(0, 0);
        result.Add(new GeneratedType(GeneratedNames.SchemaClass(GeneratedNames.Stem(file.Path)), "the schema class of file '" + Short(FileName(file.Path)) + "'", schemaAt, false));

        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var @event in file.Declarations.OfType<MessageSyntax>().Where(m => m.Kind == DeclarationKind.Event && !m.Name.IsMissing))
        {
            latest[@event.Name.Text] = latest.TryGetValue(@event.Name.Text, out var v) ? Math.Max(v, @event.EffectiveVersion) : @event.EffectiveVersion;
        }

        // Scenarios live in {Namespace}.Testing: no type of the namespace may be named Testing then.
        if (file.Declarations.FirstOrDefault(HasScenario) is { } first)
        {
            result.Add(new GeneratedType(GeneratedNames.TestKitNamespace, "the namespace of the test scenario of " + KindName(first.Kind) + " '" + Short(first.Name.Text) + "'", first.Name.Span, false, IsNamespace: true));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var declaration in file.Declarations)
        {
            var name = declaration.Name.Text;
            if (declaration.Name.IsMissing || declaration is UpcastSyntax) continue;
            var at = declaration.Name.Span;
            switch (declaration)
            {
                case MessageSyntax message:
                {
                    var version = message.EffectiveVersion;
                    var isOld = message.Kind == DeclarationKind.Event && version < latest[name];
                    var typeName = isOld ? GeneratedNames.EventVersion(name, version) : name;
                    if (!seen.Add((message.Kind == DeclarationKind.Event ? "event " : "type ") + typeName)) break;
                    var what = KindName(message.Kind) + " '" + Short(name) + "'" + (isOld ? " v" + version : "");
                    result.Add(new GeneratedType(typeName, what, at, true));
                    result.Add(new GeneratedType(GeneratedNames.JsonConverter(typeName), "the JSON converter of " + what, at, false));
                    break;
                }
                case EnumSyntax:
                    if (!seen.Add("type " + name)) break;
                    result.Add(new GeneratedType(name, "enum '" + Short(name) + "'", at, true));
                    result.Add(new GeneratedType(GeneratedNames.JsonConverter(name), "the JSON converter of enum '" + Short(name) + "'", at, false));
                    break;
                case AggregateSyntax aggregate:
                    if (!seen.Add("component " + name)) break;
                    result.Add(new GeneratedType(GeneratedNames.AggregateBase(name), "the base class of aggregate '" + Short(name) + "'", at, false));
                    AddState(result, name, "aggregate", at);
                    AddScenario(result, name, "aggregate", at);
                    foreach (var handle in aggregate.Handles)
                    {
                        if (handle.Command.IsMissing) continue;
                        result.Add(new GeneratedType(GeneratedNames.Decision(handle.Command.Text),
                            "the decision type of 'handle " + Short(handle.Command.Text) + "' in aggregate '" + Short(name) + "'", handle.Command.Span, false));
                    }
                    break;
                case ProjectorSyntax:
                    if (!seen.Add("component " + name)) break;
                    result.Add(new GeneratedType(GeneratedNames.ProjectorBase(name), "the base class of projector '" + Short(name) + "'", at, false));
                    AddScenario(result, name, "projector", at);
                    break;
                case ProcessSyntax:
                    if (!seen.Add("component " + name)) break;
                    result.Add(new GeneratedType(GeneratedNames.ProcessManagerBase(name), "the base class of process '" + Short(name) + "'", at, false));
                    AddState(result, name, "process", at);
                    AddScenario(result, name, "process", at);
                    result.Add(new GeneratedType(GeneratedNames.Outcome(name), "the outcome type of process '" + Short(name) + "'", at, false));
                    break;
                case GatewaySyntax:
                    if (!seen.Add("component " + name)) break;
                    result.Add(new GeneratedType(GeneratedNames.GatewayBase(name), "the base class of gateway '" + Short(name) + "'", at, false));
                    result.Add(new GeneratedType(GeneratedNames.GatewayContext(name), "the context of gateway '" + Short(name) + "'", at, false));
                    break;
            }
        }
        return result;
    }

    /// <summary>True for the declarations the generator writes a typed test scenario for: aggregates, projectors, processes.</summary>
    public static bool HasScenario(DeclarationSyntax declaration) =>
        !declaration.Name.IsMissing && declaration.Kind is DeclarationKind.Aggregate or DeclarationKind.Projector or DeclarationKind.Process;

    private static void AddScenario(List<GeneratedType> result, string name, string kind, SourceSpan at) =>
        result.Add(new GeneratedType(GeneratedNames.Scenario(name), "the test scenario of " + kind + " '" + Short(name) + "'", at, false));

    private static void AddState(List<GeneratedType> result, string name, string kind, SourceSpan at)
    {
        var state = GeneratedNames.State(name);
        result.Add(new GeneratedType(state, "the state of " + kind + " '" + Short(name) + "'", at, false));
        result.Add(new GeneratedType(GeneratedNames.JsonConverter(state), "the state converter of " + kind + " '" + Short(name) + "'", at, false));
    }

    /// <summary>The file name of <paramref name="path"/>, without its directories.</summary>
    public static string FileName(string path) => path.Substring(Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\')) + 1);
}
