using System.Linq;
using Concordance.Generators.Model;
using Concordance.Schema;

namespace Concordance.Generators.Emit;

/// <summary>Writes messages, records, states and enums, each with its JSON converter.</summary>
internal static class MessageEmitter
{
    public static string Message(SchemaModel schema, MessageModel message)
    {
        var w = SourceWriter.File(schema.Namespace);
        var (noun, contract) = message.Kind switch
        {
            MessageKind.Command => ("command", Types.Runtime + ".ICommand"),
            MessageKind.Event => ("event", Types.Runtime + ".IEvent"),
            _ => ("record", Types.Runtime + ".IMessage"),
        };
        var versionText = message.Kind == MessageKind.Event && !message.IsLatest ? $" (version {message.Version})" : "";
        var fallback = $"The <c>{SourceWriter.Xml(message.SchemaName)}</c> {noun}{versionText}.";
        RecordDeclaration(w, schema.Namespace, message.TypeName, message.Doc, fallback, message.Fields, contract, message.UpcastTo is null ? null : inner =>
        {
            inner.Line($"/// <summary>Converts this v{message.Version} event to v{message.UpcastToVersion} (the next version). Implement it; it must be pure.</summary>");
            inner.Line($"/// <returns>The same fact as a v{message.UpcastToVersion} event.</returns>");
            inner.Line($"public partial {Types.Q(schema.Namespace, message.UpcastTo!)} Upcast();");
        });
        w.Line();
        JsonEmitter.Record(w, schema.Namespace, message.TypeName, message.Fields);
        return w.ToString();
    }

    /// <summary>The state record of an aggregate or process, with its converter, into <paramref name="w"/>.</summary>
    public static void State(SourceWriter w, string ns, StateModel state, string owner)
    {
        RecordDeclaration(w, ns, state.TypeName, null, $"The state of <c>{SourceWriter.Xml(owner)}</c>, rebuilt from its events.", state.Fields, null, null);
        w.Line();
        JsonEmitter.Record(w, ns, state.TypeName, state.Fields);
    }

    public static string Enum(SchemaModel schema, EnumModel model)
    {
        var w = SourceWriter.File(schema.Namespace);
        w.Summary(model.Doc, $"The <c>{SourceWriter.Xml(schema.Namespace + "." + model.Name)}</c> enum.");
        w.Line(Types.GeneratedCode);
        w.Line($"[global::System.Text.Json.Serialization.JsonConverter(typeof({Types.Q(schema.Namespace, GeneratedNames.JsonConverter(model.Name))}))]");
        w.Open($"public enum {model.Name}");
        foreach (var member in model.Members)
        {
            w.Summary(member.Doc, $"<c>{member.Name}</c>.");
            w.Line(member.Name + ",");
        }
        w.Close();
        w.Line();
        JsonEmitter.Enum(w, schema.Namespace, model);
        return w.ToString();
    }

    private static void RecordDeclaration(
        SourceWriter w, string ns, string typeName, string? doc, string fallback, EquatableArray<FieldModel> fields,
        string? contract, System.Action<SourceWriter>? extraMembers)
    {
        w.Summary(doc, fallback);
        foreach (var field in fields)
        {
            w.Param(field.PropertyName, field.Doc, $"The <c>{field.JsonName}</c> field.");
        }
        w.Line(Types.GeneratedCode);
        w.Line($"[global::System.Text.Json.Serialization.JsonConverter(typeof({Types.Q(ns, GeneratedNames.JsonConverter(typeName))}))]");
        var parameters = fields.Count == 0 ? "" : "(" + string.Join(", ", fields.Select(f => Types.Of(f.Type, ns) + " " + f.PropertyName)) + ")";
        var header = $"public sealed partial record {typeName}{parameters}" + (contract is null ? "" : " : " + contract);
        var equality = EqualityEmitter.IsNeeded(fields);
        if (!equality && extraMembers is null)
        {
            w.Line(header + ";");
            return;
        }
        w.Open(header);
        if (extraMembers is not null)
        {
            extraMembers(w);
            if (equality) w.Line();
        }
        if (equality) EqualityEmitter.Members(w, ns, typeName, fields);
        w.Close();
    }
}
