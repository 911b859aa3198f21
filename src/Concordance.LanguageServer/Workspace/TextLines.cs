using Concordance.LanguageServer.Protocol;
using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Workspace;

/// <summary>
/// Offsets ↔ LSP positions for one text. Lines end at <c>\n</c>, <c>\r\n</c> or <c>\r</c>, as in the parser's
/// <see cref="LineMap"/>; characters are UTF-16 code units, LSP's default encoding and .NET's.
/// </summary>
internal sealed class TextLines
{
    private readonly LineMap _lines;

    public TextLines(string text)
    {
        Text = text;
        _lines = new LineMap(text);
    }

    public string Text { get; }

    public int LineCount => _lines.LineCount;

    /// <summary>The offset of <paramref name="position"/>, clamped into the text (a character past a line's end is its end).</summary>
    public int OffsetOf(Position position)
    {
        if (position.Line < 0) return 0;
        if (position.Line >= LineCount) return Text.Length;
        var start = _lines.LineStart(position.Line);
        var end = LineEnd(position.Line);
        return Math.Min(start + Math.Max(0, position.Character), end);
    }

    public Position PositionOf(int offset)
    {
        var position = _lines.GetPosition(offset);
        return new Position(position.Line, position.Character);
    }

    public Range RangeOf(SourceSpan span)
    {
        var start = Math.Clamp(span.Start, 0, Text.Length);
        var end = Math.Clamp(span.Start + (long)span.Length, start, Text.Length);
        return new Range(PositionOf(start), PositionOf((int)end));
    }

    public int LineStart(int line) => _lines.LineStart(line);

    /// <summary>The offset where <paramref name="line"/>'s text ends, before its line break.</summary>
    public int LineEnd(int line)
    {
        if (line + 1 >= LineCount) return Text.Length;
        var end = _lines.LineStart(line + 1);
        if (end > 0 && Text[end - 1] == '\n') end--;
        if (end > 0 && Text[end - 1] == '\r') end--;
        return Math.Max(end, _lines.LineStart(line));
    }
}
