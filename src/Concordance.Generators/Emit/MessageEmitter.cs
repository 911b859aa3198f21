using System.Linq;
using Concordance.Generators.Model;
using Concordance.Schema;

namespace Concordance.Generators.Emit;

/// <summary>Writes messages, records, states and enums, each with its JSON converter.</summary>
internal static class MessageEmitter
{
    public static string Message(SchemaModel schema, MessageModel message)
    {
        var w = SourceWriter.File(schema.Namespace, schema.LinePath);
        var (noun, contract) = message.Kind switch
        {
            MessageKind.Command => ("command", Types.Runtime + ".ICommand"),
            MessageKind.Event => ("event", Types.Runtime + ".IEvent"),
            _ => ("record", Types.Runtime + ".IMessage"),
        };
        var versionText = message.Kind == MessageKind.Event && !message.IsLatest ? $" (version {message.Version})" : "";
        var fallback = $"The <c>{SourceWriter.Xml(message.SchemaName)}</c> {noun}{versionText}.";
        RecordDeclaration(w, schema.Namespace, message.TypeName, message.Place, message.Doc, fallback, message.Fields, contract, message.UpcastTo is null ? null : inner =>
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
        RecordDeclaration(w, ns, state.TypeName, state.Place, null, $"The state of <c>{SourceWriter.Xml(owner)}</c>, rebuilt from its events.", state.Fields, null, null);
        w.Line();
        JsonEmitter.Record(w, ns, state.TypeName, state.Fields);
    }

    public static string Enum(SchemaModel schema, EnumModel model)
    {
        var w = SourceWriter.File(schema.Namespace, schema.LinePath);
        w.Summary(model.Doc, $"The <c>{SourceWriter.Xml(schema.Namespace + "." + model.Name)}</c> enum.");
        w.Line(Types.GeneratedCode);
        w.Line($"[global::System.Text.Json.Serialization.JsonConverter(typeof({Types.Q(schema.Namespace, GeneratedNames.JsonConverter(model.Name))}))]");
        w.Mapped(model.Place, $"public enum {model.Name}", model.Name);
        w.Line("{").Indent();
        foreach (var member in model.Members)
        {
            w.Summary(member.Doc, $"<c>{member.Name}</c>.");
            w.Mapped(member.Place, member.Name + ",", member.Name);
        }
        w.Close();
        w.Line();
        JsonEmitter.Enum(w, schema.Namespace, model);
        return w.ToString();
    }

    private static void RecordDeclaration(
        SourceWriter w, string ns, string typeName, SchemaPlace? place, string? doc, string fallback, EquatableArray<FieldModel> fields,
        string? contract, System.Action<SourceWriter>? extraMembers)
    {
        w.Summary(doc, fallback);
        foreach (var field in fields)
        {
            w.Param(field.PropertyName, field.Doc, $"The <c>{field.JsonName}</c> field.");
        }
        w.Line(Types.GeneratedCode);
        w.Line($"[global::System.Text.Json.Serialization.JsonConverter(typeof({Types.Q(ns, GeneratedNames.JsonConverter(typeName))}))]");
        var equality = EqualityEmitter.IsNeeded(fields);
        var hasBody = equality || extraMembers is not null;
        var end = hasBody ? "" : ";";
        // One parameter a line, so each positional property maps to its own field's line in the schema.
        var header = $"public sealed partial record {typeName}" + (fields.Count == 0 ? "" : "(");
        w.Mapped(place, header + (fields.Count == 0 && contract is null ? end : ""), typeName);
        w.Indent();
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var last = i == fields.Count - 1;
            w.Mapped(field.Place, Types.Of(field.Type, ns) + " " + field.PropertyName + (last ? ")" + (contract is null ? end : "") : ","), field.PropertyName);
        }
        if (contract is not null) w.Line(": " + contract + end);
        w.Outdent();
        if (!hasBody) return;
        w.Line("{").Indent();
        if (extraMembers is not null)
        {
            extraMembers(w);
            if (equality) w.Line();
        }
        if (equality) EqualityEmitter.Members(w, ns, typeName, fields);
        w.Close();
    }
}
