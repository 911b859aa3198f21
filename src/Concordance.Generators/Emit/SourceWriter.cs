using System;
using System.Text;

namespace Concordance.Generators.Emit;

/// <summary>Writes indented C# text with <c>\n</c> line ends, so output is the same on every machine.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    /// <summary>The schema path <c>#line</c> directives name; null writes none.</summary>
    private string? _linePath;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="line"/> and opens a brace block.</summary>
    public SourceWriter Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Closes a brace block; <paramref name="suffix"/> follows the brace (e.g. <c>;</c>).</summary>
    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public SourceWriter Indent()
    {
        _indent++;
        return this;
    }

    public SourceWriter Outdent()
    {
        _indent--;
        return this;
    }

    /// <summary>
    /// Writes <paramref name="line"/> mapped to <paramref name="place"/> in the schema: a span <c>#line</c> whose character
    /// offset is where <paramref name="identifier"/> starts, so the declared name lands on the schema's name (Go to Definition,
    /// errors), then <c>#line default</c>, so what follows (plumbing) stays in the generated file for errors and stepping.
    /// </summary>
    public SourceWriter Mapped(Model.SchemaPlace? place, string line, string identifier)
    {
        var column = IdentifierColumn(line, identifier);
        var offset = _indent * 4 + column + 1;
        if (_linePath is null || place is null || column < 0 || !Fits(place, offset)) return Line(line);
        Line($"#line ({place.Line},{place.Column})-({place.EndLine},{place.EndColumn}) {offset} \"{_linePath}\"");
        Line(line);
        return Line("#line default");
    }

    /// <summary>
    /// True when the compiler takes these values in a span <c>#line</c> (CS8938 otherwise): lines up to 0xFEEFED, characters
    /// and the offset below 65,535. A schema line longer than that stays unmapped rather than break the build.
    /// </summary>
    private static bool Fits(Model.SchemaPlace place, int offset)
    {
        const int MaxLine = 0xFEEFED;
        const int MaxCharacter = 65534;
        return place.Line is >= 1 and <= MaxLine && place.EndLine is >= 1 and <= MaxLine
            && place.Column is >= 1 and <= MaxCharacter && place.EndColumn is >= 1 and <= MaxCharacter && offset <= MaxCharacter
            && (place.EndLine > place.Line || (place.EndLine == place.Line && place.EndColumn >= place.Column));
    }

    /// <summary>Where <paramref name="identifier"/> first stands in <paramref name="line"/> as a declared name (a whole word after a space or at the start); -1 when it does not.</summary>
    private static int IdentifierColumn(string line, string identifier)
    {
        for (var at = line.IndexOf(identifier, StringComparison.Ordinal); at >= 0; at = line.IndexOf(identifier, at + 1, StringComparison.Ordinal))
        {
            var end = at + identifier.Length;
            // Preceded by a space (not a '.', as in a qualified type of the same name).
            if ((at == 0 || line[at - 1] == ' ') && (end == line.Length || !IsIdentifierPart(line[end]))) return at;
        }
        return -1;
    }

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '@';

    /// <summary>An XML doc <c>summary</c>: the schema's doc comment when there is one, else <paramref name="fallback"/> (already XML).</summary>
    public SourceWriter Summary(string? doc, string fallback)
    {
        if (string.IsNullOrWhiteSpace(doc)) return Line("/// <summary>" + fallback + "</summary>");
        var lines = doc!.Replace("\r\n", "\n").Split('\n');
        if (lines.Length == 1) return Line("/// <summary>" + Xml(lines[0].Trim()) + "</summary>");
        Line("/// <summary>");
        foreach (var line in lines) Line(("/// " + Xml(line.Trim())).TrimEnd());
        return Line("/// </summary>");
    }

    /// <summary>An XML doc <c>param</c> from a schema doc comment or a fallback (already XML).</summary>
    public SourceWriter Param(string name, string? doc, string fallback) =>
        Line("/// <param name=\"" + name + "\">" + (string.IsNullOrWhiteSpace(doc) ? fallback : Xml(string.Join(" ", doc!.Replace("\r\n", "\n").Split('\n')).Trim())) + "</param>");

    /// <summary>Escapes text for XML doc comments.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A C# string literal for <paramref name="text"/>.</summary>
    public static string Literal(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < ' ') builder.Append("\\u").Append(((int)c).ToString("x4"));
                    else builder.Append(c);
                    break;
            }
        }
        return builder.Append('"').ToString();
    }

    public override string ToString() => _text.ToString();

    /// <summary>A file with the standard header, opened in <paramref name="ns"/> (file-scoped); <see cref="Mapped"/> lines name <paramref name="linePath"/>.</summary>
    public static SourceWriter File(string? ns, string? linePath = null)
    {
        var writer = new SourceWriter { _linePath = linePath };
        writer.Line("// <auto-generated/>");
        writer.Line("#nullable enable");
        writer.Line();
        if (ns is not null)
        {
            writer.Line("namespace " + ns + ";");
            writer.Line();
        }
        return writer;
    }
}
