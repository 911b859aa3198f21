using System.Text;

namespace Concordance.Schema.Locking;

/// <summary>
/// Writes a <see cref="SchemaLock"/> as text: one declaration per block, one field or member per
/// indented line, lists in the lock's sorted order, <c>\n</c> line ends. The same lock always
/// gives the same bytes, so a diff of the file shows exactly what changed in the shipped shape.
/// </summary>
public static class SchemaLockWriter
{
    /// <summary>The lock as the text of a <c>.concordance.lock</c> file.</summary>
    /// <param name="lockContent">The lock to write.</param>
    /// <param name="schemaFileName">The schema's file name (<c>Bank.concordance</c>), named in the header.</param>
    public static string Write(SchemaLock lockContent, string schemaFileName)
    {
        var text = new StringBuilder();
        text.Append("# The shipped wire shape of the events of ").Append(schemaFileName).Append(": every event version,\n");
        text.Append("# the records and enums they use, and the upcasts between versions. Check it in.\n");
        text.Append("# The build fails when the schema would no longer read events recorded here.\n");
        text.Append("# Update it on purpose only: dotnet build -p:ConcordanceUpdateLock=true\n");
        text.Append(SchemaLockSyntax.FormatKeyword).Append(' ').Append(SchemaLock.FormatVersion).Append('\n');
        if (lockContent.Namespace is not null) text.Append(SchemaLockSyntax.NamespaceKeyword).Append(' ').Append(lockContent.Namespace).Append('\n');

        foreach (var @event in lockContent.Events)
        {
            text.Append('\n').Append(SchemaLockSyntax.EventKeyword).Append(' ').Append(@event.Name).Append(" v").Append(@event.Version).Append('\n');
            foreach (var field in @event.Fields) AppendField(text, field);
        }
        if (lockContent.Upcasts.Count > 0) text.Append('\n');
        foreach (var upcast in lockContent.Upcasts)
        {
            text.Append(SchemaLockSyntax.UpcastKeyword).Append(' ').Append(upcast.Event)
                .Append(" v").Append(upcast.From).Append(" -> v").Append(upcast.To).Append('\n');
        }
        foreach (var record in lockContent.Records)
        {
            text.Append('\n').Append(SchemaLockSyntax.RecordKeyword).Append(' ').Append(record.Name).Append('\n');
            foreach (var field in record.Fields) AppendField(text, field);
        }
        foreach (var @enum in lockContent.Enums)
        {
            text.Append('\n').Append(SchemaLockSyntax.EnumKeyword).Append(' ').Append(@enum.Name).Append('\n');
            foreach (var member in @enum.Members)
            {
                text.Append(SchemaLockSyntax.Indent);
                if (member == @enum.Fallback) text.Append(SchemaLockSyntax.FallbackKeyword).Append(' ');
                text.Append(member).Append('\n');
            }
        }
        return text.ToString();
    }

    private static void AppendField(StringBuilder text, LockedField field) =>
        text.Append(SchemaLockSyntax.Indent).Append(field.Name).Append(": ").Append(field.Type).Append('\n');
}

/// <summary>The words of the lock file format, shared by its writer and reader.</summary>
internal static class SchemaLockSyntax
{
    public const string FormatKeyword = "concordance-lock";
    public const string NamespaceKeyword = "namespace";
    public const string EventKeyword = "event";
    public const string RecordKeyword = "record";
    public const string EnumKeyword = "enum";
    public const string UpcastKeyword = "upcast";
    public const string FallbackKeyword = "fallback";
    public const string Indent = "  ";
}
