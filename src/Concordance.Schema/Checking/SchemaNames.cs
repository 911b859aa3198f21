using System;
using System.Collections.Generic;
using System.Text;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Checking;

/// <summary>Facts about names and types the checker needs: built-ins, C# keywords, generated names.</summary>
internal static class SchemaNames
{
    /// <summary>The built-in scalar types of the schema language.</summary>
    public static readonly HashSet<string> BuiltInTypes = new(StringComparer.Ordinal)
    {
        "string", "bool", "int", "long", "decimal", "double", "guid", "timestamp", "date", "duration", "bytes",
    };

    /// <summary>Built-ins that make a usable key (a single value with a stable text form).</summary>
    public static readonly HashSet<string> KeyTypes = new(StringComparer.Ordinal)
    {
        "string", "int", "long", "guid", "decimal", "bool", "date", "timestamp", "duration", "double",
    };

    /// <summary>C# reserved keywords, plus the contextual ones that cannot name a type.</summary>
    public static readonly HashSet<string> CSharpKeywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
        "record", "var", "dynamic", "file", "required", "scoped", "_",
    };

    /// <summary>
    /// Members a generated record has or may have (<see cref="GeneratedNames.ReservedMemberNames"/>, and the
    /// <c>Upcast</c> of an old event version): a field may not become one of them.
    /// </summary>
    public static readonly HashSet<string> ReservedMemberNames = new(GeneratedNames.ReservedMemberNames, StringComparer.Ordinal)
    {
        GeneratedNames.UpcastMethod,
    };

    /// <summary>The C# property a field becomes (<see cref="GeneratedNames.PropertyName"/>).</summary>
    public static string PropertyName(string field) => GeneratedNames.PropertyName(field);

    /// <summary>The type as the schema writes it, for comparing and for messages.</summary>
    public static string Display(TypeSyntax type)
    {
        var sb = new StringBuilder();
        Append(sb, type, 0);
        return Short(sb.ToString());
    }

    private static void Append(StringBuilder sb, TypeSyntax type, int depth)
    {
        if (depth > 100 || sb.Length > 200) return;
        switch (type.Kind)
        {
            case TypeSyntaxKind.Named:
                sb.Append(type.Name?.Text ?? "?");
                break;
            case TypeSyntaxKind.Nullable:
                if (type.Arguments.Count > 0) Append(sb, type.Arguments[0], depth + 1);
                sb.Append('?');
                break;
            case TypeSyntaxKind.List:
                sb.Append("list<");
                if (type.Arguments.Count > 0) Append(sb, type.Arguments[0], depth + 1);
                sb.Append('>');
                break;
            case TypeSyntaxKind.Map:
                sb.Append("map<");
                if (type.Arguments.Count > 0) Append(sb, type.Arguments[0], depth + 1);
                sb.Append(", ");
                if (type.Arguments.Count > 1) Append(sb, type.Arguments[1], depth + 1);
                sb.Append('>');
                break;
        }
    }

    /// <summary>Shortens a name for a message (a 100k-character identifier must not make a 100k message).</summary>
    public static string Short(string text) => Parsing.Lexer.Shorten(text);

    /// <summary>How a declaration kind reads in a message: "command", "process manager"…</summary>
    public static string KindName(DeclarationKind kind) => kind switch
    {
        DeclarationKind.Command => "command",
        DeclarationKind.Event => "event",
        DeclarationKind.Record => "record",
        DeclarationKind.Enum => "enum",
        DeclarationKind.Aggregate => "aggregate",
        DeclarationKind.Projector => "projector",
        DeclarationKind.Process => "process",
        DeclarationKind.Gateway => "gateway",
        DeclarationKind.Upcast => "upcast",
        _ => "declaration",
    };

    /// <summary>"a command", "an event".</summary>
    public static string WithArticle(DeclarationKind kind)
    {
        var name = KindName(kind);
        return ("aeiou".IndexOf(name[0]) >= 0 ? "an " : "a ") + name;
    }
}
