using System.Text;
using CsCheck;

namespace Concordance.Schema.Tests.Formatting;

/// <summary>
/// Random schemas without syntax errors, built from the language's pieces, with random whitespace and comments in
/// every gap where the grammar allows them: a line break only where the parser accepts one, a line comment only
/// where a line may end.
/// </summary>
internal static class GeneratedSchemas
{
    public static readonly Gen<string> Any = Gen.Int.Select(seed => Build(new Random(seed)));

    private enum Gap
    {
        /// <summary>Any whitespace and comments, line breaks included.</summary>
        Free,
        /// <summary>On the same line: spaces and one-line block comments only.</summary>
        SameLine,
        /// <summary>A line must end here (after a component clause).</summary>
        LineEnd,
    }

    private static readonly string[] TypeNames = ["Alpha", "Beta", "Order", "Placed", "x1", "customerId", "Ünïcode", "_under", "amount", "Gamma9"];
    private static readonly string[] Builtins = ["string", "bool", "int", "long", "decimal", "double", "guid", "timestamp", "date", "duration", "bytes"];

    public static readonly string[] CommentPool =
    [
        "// a note", "/// a doc line", "//// four slashes", "/* inline */", "/**/", "// { braces } -> and, commas;", "/* spans\n   lines */", "/// ", "//",
    ];

    private static string Build(Random r)
    {
        var pieces = new List<(Gap Gap, string Token)>();
        void Add(string token, Gap gap = Gap.Free) => pieces.Add((gap, token));
        string Name() => TypeNames[r.Next(TypeNames.Length)];

        void NameList()
        {
            var count = 1 + r.Next(3);
            for (var i = 0; i < count; i++)
            {
                if (i > 0) Add(",");
                Add(Name());
            }
        }

        void Type(int depth)
        {
            switch (depth < 2 ? r.Next(5) : 0)
            {
                case 0: Add(r.Next(2) == 0 ? Builtins[r.Next(Builtins.Length)] : Name()); break;
                case 1: Add("list"); Add("<"); Type(depth + 1); Add(">"); break;
                case 2: Add("map"); Add("<"); Add("string"); Add(","); Type(depth + 1); Add(">"); break;
                default: Type(depth + 1); Add("?"); break;
            }
        }

        void Fields()
        {
            Add("{");
            var count = r.Next(6);
            for (var i = 0; i < count; i++)
            {
                if (i > 0) Add(",");
                Add(Name());
                Add(":");
                Type(0);
            }
            if (count > 0 && r.Next(4) == 0) Add(",");
            Add("}");
        }

        void ClauseEnd()
        {
            if (r.Next(4) == 0) Add(";");
            pieces.Add((Gap.LineEnd, ""));
        }

        Add("namespace");
        Add(Name());
        for (var i = r.Next(3); i > 0; i--) { Add("."); Add(Name()); }
        Add(";");
        for (var d = r.Next(9); d > 0; d--)
        {
            switch (r.Next(9))
            {
                case 0: case 1: case 2:
                    var keyword = new[] { "command", "event", "record" }[r.Next(3)];
                    Add(keyword);
                    Add(Name());
                    if (keyword == "event" && r.Next(3) == 0) Add("v" + (1 + r.Next(3)));
                    Fields();
                    break;
                case 3:
                    Add("enum");
                    Add(Name());
                    Add("{");
                    var members = 1 + r.Next(4);
                    for (var i = 0; i < members; i++)
                    {
                        if (i > 0) Add(",");
                        if (r.Next(5) == 0) Add("fallback");
                        Add(Name());
                    }
                    if (r.Next(4) == 0) Add(",");
                    Add("}");
                    break;
                case 4:
                    Add("aggregate"); Add(Name()); Add("{");
                    for (var c = r.Next(5); c > 0; c--)
                    {
                        switch (r.Next(3))
                        {
                            case 0: Add("key"); Add(Name()); break;
                            case 1: Add("state"); Fields(); break;
                            default: Add("handle"); Add(Name(), Gap.SameLine); Add("->"); NameList(); break;
                        }
                        ClauseEnd();
                    }
                    Add("}");
                    break;
                case 5:
                    Add("projector"); Add(Name()); Add("{");
                    for (var c = r.Next(3); c > 0; c--) { Add("on"); NameList(); ClauseEnd(); }
                    Add("}");
                    break;
                case 6:
                    Add("process"); Add(Name()); Add("{");
                    for (var c = r.Next(7); c > 0; c--)
                    {
                        switch (r.Next(6))
                        {
                            case 0: Add("key"); Add(Name()); break;
                            case 1: Add("state"); Fields(); break;
                            case 2: Add("start"); Add("on"); NameList(); break;
                            case 3: Add("end"); Add("on"); NameList(); break;
                            case 4: Add("send"); NameList(); break;
                            default: Add("on"); NameList(); break;
                        }
                        ClauseEnd();
                    }
                    Add("}");
                    break;
                case 7:
                    Add("gateway"); Add(Name()); Add("{");
                    for (var c = r.Next(4); c > 0; c--) { Add(new[] { "on", "emit", "send" }[r.Next(3)]); NameList(); ClauseEnd(); }
                    Add("}");
                    break;
                default:
                    Add("upcast"); Add(Name()); Add("v1"); Add("->"); Add("v2");
                    if (r.Next(2) == 0) Add(";");
                    break;
            }
        }
        if (r.Next(3) == 0) pieces.Add((Gap.LineEnd, ""));

        var text = new StringBuilder();
        if (r.Next(3) == 0) text.Append("// header\n\n");
        var previous = "";
        var lineEndPending = false;
        foreach (var (gap, token) in pieces)
        {
            if (token.Length == 0)
            {
                lineEndPending = true;
                continue;
            }
            text.Append(Whitespace(r, lineEndPending ? Gap.LineEnd : gap, previous, token));
            text.Append(token);
            previous = token;
            lineEndPending = false;
        }
        text.Append(lineEndPending ? Whitespace(r, Gap.LineEnd, previous, "") : r.Next(2) == 0 ? "\n" : r.Next(2) == 0 ? "\n// trailer\n" : "");
        return text.ToString();
    }

    private static string Whitespace(Random r, Gap gap, string previous, string next)
    {
        var tight = previous.Length > 0 && next.Length > 0 && !IsWordChar(previous[^1]) && !IsWordChar(next[0]);
        switch (gap)
        {
            case Gap.SameLine:
                return r.Next(4) == 0 ? " /* inline */ " : new[] { " ", "\t", "   " }[r.Next(3)];
            case Gap.LineEnd:
                return new[] { "\n", "\n\n", " // clause note\n", "\r\n", "\n\n\n  ", "\n/* own line */\n" }[r.Next(6)];
            default:
                var choice = r.Next(14);
                if (choice < 5) return tight && r.Next(2) == 0 ? "" : " ";
                return choice switch
                {
                    5 => "\n",
                    6 => "\n\n",
                    7 => "\n    ",
                    8 => "\t",
                    9 => " " + CommentPool[r.Next(CommentPool.Length)] + "\n",
                    10 => "\n" + CommentPool[r.Next(CommentPool.Length)] + "\n",
                    11 => " /* inline */ ",
                    12 => "\n\n/// doc one\n/// doc two\n",
                    _ => "\r\n  ",
                };
        }
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
