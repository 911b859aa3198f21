using Concordance.LanguageServer.Protocol;
using Concordance.LanguageServer.Workspace;
using Concordance.Schema;
using Concordance.Schema.Parsing;
using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Features;

/// <summary>
/// Semantic tokens: every word coloured by what the parser made of it (a keyword only where the language reads it as
/// one; a field called <c>state</c> is a property), names by the kind of their declaration, plus comments.
/// </summary>
internal static class Colouring
{
    public static readonly string[] TokenTypes =
        ["namespace", "class", "struct", "enum", "interface", "event", "enumMember", "property", "type", "keyword", "comment", "number", "operator"];

    public static readonly string[] TokenModifiers = ["declaration", "documentation", "defaultLibrary"];

    private const int NamespaceType = 0, ClassType = 1, StructType = 2, EnumType = 3, InterfaceType = 4, EventType = 5, EnumMemberType = 6,
        PropertyType = 7, TypeType = 8, KeywordType = 9, CommentType = 10, NumberType = 11, OperatorType = 12;

    private const int Declaration = 1, Documentation = 2, DefaultLibrary = 4;

    public static SemanticTokens Tokens(SchemaSource source)
    {
        var text = source.Text;
        var names = new Dictionary<int, Occurrence>();
        foreach (var o in source.Index.All) names.TryAdd(o.Span.Start, o);
        var kinds = new Dictionary<string, DeclarationKind>(StringComparer.Ordinal);
        foreach (var d in source.Syntax.Declarations) if (d is not UpcastSyntax && !d.Name.IsMissing) kinds.TryAdd(d.Name.Text, d.Kind);

        var tokens = new List<(int Start, int Length, int Type, int Modifiers)>();
        foreach (var token in Lexer.Tokenize(text, new List<SchemaDiagnostic>()))
        {
            switch (token.Kind)
            {
                case TokenKind.Identifier:
                    if (names.TryGetValue(token.Start, out var occurrence)) tokens.Add((token.Start, token.Length, TypeOf(occurrence, kinds, out var modifiers), modifiers));
                    else if (BuiltIns.Keywords.Contains(token.Text)) tokens.Add((token.Start, token.Length, KeywordType, 0));
                    else if (token.Text.Length > 1 && token.Text[0] == 'v' && token.Text.Skip(1).All(char.IsAsciiDigit)) tokens.Add((token.Start, token.Length, NumberType, 0));
                    break;
                case TokenKind.Number:
                    tokens.Add((token.Start, token.Length, NumberType, 0));
                    break;
                case TokenKind.Arrow:
                    tokens.Add((token.Start, token.Length, OperatorType, 0));
                    break;
            }
        }
        AddComments(text, tokens);
        tokens.Sort((a, b) => a.Start.CompareTo(b.Start));

        var lines = source.Lines;
        var data = new List<int>(tokens.Count * 5);
        int previousLine = 0, previousCharacter = 0;
        foreach (var (start, length, type, modifiers) in tokens)
        {
            var position = lines.PositionOf(start);
            data.Add(position.Line - previousLine);
            data.Add(position.Line == previousLine ? position.Character - previousCharacter : position.Character);
            data.Add(length);
            data.Add(type);
            data.Add(modifiers);
            previousLine = position.Line;
            previousCharacter = position.Character;
        }
        return new SemanticTokens(data.ToArray());
    }

    private static int TypeOf(Occurrence occurrence, Dictionary<string, DeclarationKind> kinds, out int modifiers)
    {
        modifiers = 0;
        switch (occurrence.Role)
        {
            case OccurrenceRole.Declaration:
                modifiers = Declaration;
                return KindType(occurrence.Declaration!.Kind);
            case OccurrenceRole.TypeReference:
                return kinds.TryGetValue(occurrence.Name, out var kind) ? KindType(kind) : TypeType;
            case OccurrenceRole.BuiltInType:
                modifiers = DefaultLibrary;
                return TypeType;
            case OccurrenceRole.CommandReference:
                return ClassType;
            case OccurrenceRole.EventReference:
                return EventType;
            case OccurrenceRole.Field:
                modifiers = Declaration;
                return PropertyType;
            case OccurrenceRole.Key:
                return PropertyType;
            case OccurrenceRole.EnumMember:
                modifiers = Declaration;
                return EnumMemberType;
            default:
                return NamespaceType;
        }
    }

    private static int KindType(DeclarationKind kind) => kind switch
    {
        DeclarationKind.Command => ClassType,
        DeclarationKind.Event => EventType,
        DeclarationKind.Record => StructType,
        DeclarationKind.Enum => EnumType,
        _ => InterfaceType,
    };

    /// <summary>Comments, which the lexer skips; a block comment is split at line breaks (a token is on one line).</summary>
    private static void AddComments(string text, List<(int, int, int, int)> tokens)
    {
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (text[i] != '/') continue;
            if (text[i + 1] == '/')
            {
                var end = i;
                while (end < text.Length && text[end] != '\n' && text[end] != '\r') end++;
                var isDoc = i + 2 < text.Length && text[i + 2] == '/' && !(i + 3 < text.Length && text[i + 3] == '/');
                tokens.Add((i, end - i, CommentType, isDoc ? Documentation : 0));
                i = end;
            }
            else if (text[i + 1] == '*')
            {
                var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                var end = close < 0 ? text.Length : close + 2;
                var lineStart = i;
                for (var k = i; k < end; k++)
                {
                    if (text[k] is '\n' or '\r')
                    {
                        if (k > lineStart) tokens.Add((lineStart, k - lineStart, CommentType, 0));
                        lineStart = k + 1;
                    }
                }
                if (end > lineStart) tokens.Add((lineStart, end - lineStart, CommentType, 0));
                i = end - 1;
            }
        }
    }
}
