using System.Linq;
using System.Text;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Formatting;

/// <summary>What a parsed schema declares, written out without positions: two files with the same shape mean the same.</summary>
internal static class SchemaShape
{
    public static string Of(SchemaFile file)
    {
        var sb = new StringBuilder();
        sb.Append("namespace ").Append(file.Namespace?.Text).Append('\n');
        foreach (var declaration in file.Declarations)
        {
            sb.Append(declaration.Kind).Append(' ').Append(declaration.Name.Text).Append(" doc=").Append(declaration.Doc).Append('\n');
            switch (declaration)
            {
                case MessageSyntax message:
                    sb.Append("  version ").Append(message.Version).Append('\n');
                    Fields(sb, message.Fields);
                    break;
                case EnumSyntax @enum:
                    foreach (var member in @enum.Members) sb.Append("  member ").Append(member.IsFallback ? "fallback " : "").Append(member.Name.Text).Append(" doc=").Append(member.Doc).Append('\n');
                    break;
                case AggregateSyntax aggregate:
                    sb.Append("  key ").Append(aggregate.Key?.Text).Append('\n');
                    Fields(sb, aggregate.State);
                    foreach (var handle in aggregate.Handles) sb.Append("  handle ").Append(handle.Command.Text).Append(" -> ").Append(Names(handle.Events)).Append('\n');
                    break;
                case ProjectorSyntax projector:
                    sb.Append("  on ").Append(Names(projector.On)).Append('\n');
                    break;
                case ProcessSyntax process:
                    sb.Append("  key ").Append(process.Key?.Text).Append('\n');
                    Fields(sb, process.State);
                    sb.Append("  start ").Append(Names(process.StartOn)).Append("\n  on ").Append(Names(process.On))
                        .Append("\n  end ").Append(Names(process.EndOn)).Append("\n  send ").Append(Names(process.Send)).Append('\n');
                    break;
                case GatewaySyntax gateway:
                    sb.Append("  on ").Append(Names(gateway.On)).Append("\n  emit ").Append(Names(gateway.Emit))
                        .Append("\n  send ").Append(Names(gateway.Send)).Append('\n');
                    break;
                case UpcastSyntax upcast:
                    sb.Append("  ").Append(upcast.From).Append(" -> ").Append(upcast.To).Append('\n');
                    break;
            }
        }
        return sb.ToString();
    }

    private static string Names(System.Collections.Generic.IEnumerable<NameSyntax> names) => string.Join(", ", names.Select(n => n.Text));

    private static void Fields(StringBuilder sb, System.Collections.Generic.IReadOnlyList<FieldSyntax> fields)
    {
        foreach (var field in fields) sb.Append("  field ").Append(field.Name.Text).Append(": ").Append(Type(field.Type)).Append(" doc=").Append(field.Doc).Append('\n');
    }

    private static string Type(TypeSyntax? type) => type is null ? "?" : type.Kind switch
    {
        TypeSyntaxKind.Named => type.Name?.Text ?? "",
        TypeSyntaxKind.Nullable => Type(type.Arguments[0]) + "?",
        TypeSyntaxKind.List => "list<" + Type(type.Arguments[0]) + ">",
        _ => "map<" + string.Join(", ", type.Arguments.Select(Type)) + ">",
    };
}
