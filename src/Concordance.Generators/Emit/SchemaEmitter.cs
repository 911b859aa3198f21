using System.Collections.Generic;
using System.Linq;
using Concordance.Generators.Model;
using Concordance.Schema;

namespace Concordance.Generators.Emit;

/// <summary>One generated file: its hint name and text.</summary>
internal readonly record struct GeneratedFile(string HintName, string Text);

/// <summary>Turns one <see cref="SchemaModel"/> into its files: one per declaration plus <c>{Stem}Schema</c>, and a typed scenario per aggregate, projector and process manager.</summary>
internal static class SchemaEmitter
{
    public static IEnumerable<GeneratedFile> Emit(SchemaModel schema)
    {
        string Hint(string name) => HintName(schema.HintPrefix, name);
        yield return new GeneratedFile(Hint(schema.SchemaClassName), SchemaClass(schema));
        foreach (var message in schema.Messages) yield return new GeneratedFile(Hint(message.TypeName), MessageEmitter.Message(schema, message));
        foreach (var @enum in schema.Enums) yield return new GeneratedFile(Hint(@enum.Name), MessageEmitter.Enum(schema, @enum));
        foreach (var aggregate in schema.Aggregates) yield return new GeneratedFile(Hint(GeneratedNames.AggregateBase(aggregate.Name)), ComponentEmitter.Aggregate(schema, aggregate));
        foreach (var projector in schema.Projectors) yield return new GeneratedFile(Hint(GeneratedNames.ProjectorBase(projector.Name)), ComponentEmitter.Projector(schema, projector));
        foreach (var process in schema.Processes) yield return new GeneratedFile(Hint(GeneratedNames.ProcessManagerBase(process.Name)), ComponentEmitter.Process(schema, process));
        foreach (var gateway in schema.Gateways) yield return new GeneratedFile(Hint(GeneratedNames.GatewayBase(gateway.Name)), ComponentEmitter.Gateway(schema, gateway));
        // The typed test kit, in {Namespace}.Testing (hint names apart from the schema's own types).
        foreach (var aggregate in schema.Aggregates) yield return new GeneratedFile(Hint("Testing." + aggregate.Name + TestKitEmitter.ScenarioSuffix), TestKitEmitter.Aggregate(schema, aggregate));
        foreach (var projector in schema.Projectors) yield return new GeneratedFile(Hint("Testing." + projector.Name + TestKitEmitter.ScenarioSuffix), TestKitEmitter.Projector(schema, projector));
        foreach (var process in schema.Processes) yield return new GeneratedFile(Hint("Testing." + process.Name + TestKitEmitter.ScenarioSuffix), TestKitEmitter.Process(schema, process));
    }

    /// <summary>The longest hint name in UTF-8 bytes: with <c>EmitCompilerGeneratedFiles</c> it is a file name, which most file systems cap at 255 bytes.</summary>
    public const int MaxHintNameBytes = 200;

    /// <summary>
    /// <c>{prefix}.{name}.g.cs</c>; when that is longer than <see cref="MaxHintNameBytes"/> (a name near the metadata limit),
    /// the name is cut and the hash of the whole name appended, so hint names stay unique and fit a file name.
    /// </summary>
    public static string HintName(string prefix, string name)
    {
        var full = prefix + "." + name + ".g.cs";
        if (System.Text.Encoding.UTF8.GetByteCount(full) <= MaxHintNameBytes) return full;
        var tail = "_" + ModelBuilder.StableHash(name) + ".g.cs";
        var room = MaxHintNameBytes - System.Text.Encoding.UTF8.GetByteCount(prefix + "." + tail);
        var cut = 0;
        for (var bytes = 0; cut < name.Length; cut++)
        {
            bytes += System.Text.Encoding.UTF8.GetByteCount(name.Substring(cut, char.IsHighSurrogate(name[cut]) && cut + 1 < name.Length ? 2 : 1));
            if (bytes > room) break;
            if (char.IsHighSurrogate(name[cut])) cut++;
        }
        return prefix + "." + name.Substring(0, cut) + tail;
    }

    private static string SchemaClass(SchemaModel schema)
    {
        var ns = schema.Namespace;
        var w = SourceWriter.File(ns);
        var file = schema.Path.Substring(System.Math.Max(schema.Path.LastIndexOf('/'), schema.Path.LastIndexOf('\\')) + 1);
        w.Line($"/// <summary>The message types declared in <c>{SourceWriter.Xml(file)}</c>.</summary>");
        w.Line(Types.GeneratedCode);
        w.Open($"public static class {schema.SchemaClassName}");
        w.Line("/// <summary>Every command, event version and record of the schema: stable names, versions, JSON readers and writers, upcasts.</summary>");
        w.Line($"public static global::System.Collections.Generic.IReadOnlyList<{Types.Runtime}.MessageType> MessageTypes {{ get; }} = new {Types.Runtime}.MessageType[]");
        w.Line("{");
        w.Indent();
        foreach (var message in schema.Messages)
        {
            var type = Types.Q(ns, message.TypeName);
            var upcast = message.UpcastTo is null ? "" : ", static m => m.Upcast()";
            w.Line($"{Types.Runtime}.MessageType.Of<{type}, {GeneratedNames.JsonConverter(type)}>({SourceWriter.Literal(message.SchemaName)}, {message.Version}, {Types.Runtime}.MessageKind.{message.Kind}{upcast}),");
        }
        w.Outdent();
        w.Line("};");
        w.Close();
        return w.ToString();
    }

    /// <summary>The wiring file: <c>AddGeneratedComponents()</c> registers every schema's messages and every user component found.</summary>
    public static string Wiring(IReadOnlyList<SchemaComponents> schemas, IReadOnlyList<ComponentModel> components)
    {
        var w = SourceWriter.File(null);
        w.Open("namespace Microsoft.Extensions.DependencyInjection");
        w.Line("/// <summary>Registers what the Concordance generator found in this assembly.</summary>");
        w.Line(Types.GeneratedCode);
        w.Open("internal static class ConcordanceGeneratedComponents");
        w.Line("/// <summary>Registers every schema's messages and every non-abstract class of this assembly that derives from a generated base.</summary>");
        w.Line("/// <param name=\"builder\">The builder from <c>AddConcordance</c>.</param>");
        w.Line("/// <returns>The same builder.</returns>");
        w.Open($"public static {Types.Runtime}.IConcordanceBuilder AddGeneratedComponents(this {Types.Runtime}.IConcordanceBuilder builder)");
        foreach (var schema in schemas.OrderBy(s => s.SchemaClass, System.StringComparer.Ordinal).Select(s => s.SchemaClass).Distinct())
        {
            w.Line($"builder.AddMessages({schema}.MessageTypes);");
        }
        var suffixes = new (string Suffix, string Method, System.Func<SchemaComponents, EquatableArray<string>> Names)[]
        {
            (GeneratedNames.AggregateBaseSuffix, "AddAggregate", s => s.Aggregates),
            (GeneratedNames.ProjectorBaseSuffix, "AddProjector", s => s.Projectors),
            (GeneratedNames.ProcessManagerBaseSuffix, "AddProcessManager", s => s.Processes),
            (GeneratedNames.GatewayBaseSuffix, "AddGateway", s => s.Gateways),
        };
        var registered = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var component in components.OrderBy(c => c.FullyQualifiedName, System.StringComparer.Ordinal))
        {
            foreach (var (suffix, method, names) in suffixes)
            {
                if (!component.BaseTypeName.EndsWith(suffix, System.StringComparison.Ordinal)) continue;
                var name = component.BaseTypeName.Substring(0, component.BaseTypeName.Length - suffix.Length);
                if (schemas.Any(s => names(s).Contains(name)) && registered.Add(component.FullyQualifiedName))
                {
                    w.Line($"builder.{method}<{component.FullyQualifiedName}>();");
                }
            }
        }
        w.Line("return builder;");
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }
}
