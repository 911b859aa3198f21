using Concordance.LanguageServer.Protocol;
using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Workspace;

/// <summary>
/// Offsets ↔ LSP positions for one text. Lines end at <c>\n</c>, <c>\r\n</c> or <c>\r</c>, as in the parser's
/// <see cref="LineMap"/>; characters are UTF-16 code units, LSP's default encoding and .NET's.
/// </summary>
internal sealed class TextLines
{
    private readonly int[] _starts;

    public TextLines(string text)
    {
        Text = text;
        var starts = new List<int>(text.Length / 32 + 1) { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                starts.Add(i + 1);
            }
            else if (c == '\n')
            {
                starts.Add(i + 1);
            }
        }
        _starts = starts.ToArray();
    }

    public string Text { get; }

    public int LineCount => _starts.Length;

    /// <summary>The offset of <paramref name="position"/>, clamped into the text (a character past a line's end is its end).</summary>
    public int OffsetOf(Position position)
    {
        if (position.Line < 0) return 0;
        if (position.Line >= _starts.Length) return Text.Length;
        var start = _starts[position.Line];
        var end = LineEnd(position.Line);
        return Math.Min(start + Math.Max(0, position.Character), end);
    }

    public Position PositionOf(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        var line = Array.BinarySearch(_starts, offset);
        if (line < 0) line = ~line - 1;
        return new Position(line, offset - _starts[line]);
    }

    public Range RangeOf(SourceSpan span)
    {
        var start = Math.Clamp(span.Start, 0, Text.Length);
        var end = Math.Clamp(span.Start + (long)span.Length, start, Text.Length);
        return new Range(PositionOf(start), PositionOf((int)end));
    }

    public int LineStart(int line) => _starts[Math.Clamp(line, 0, _starts.Length - 1)];

    /// <summary>The offset where <paramref name="line"/>'s text ends, before its line break.</summary>
    public int LineEnd(int line)
    {
        if (line + 1 >= _starts.Length) return Text.Length;
        var end = _starts[line + 1];
        if (end > 0 && Text[end - 1] == '\n') end--;
        if (end > 0 && Text[end - 1] == '\r') end--;
        return Math.Max(end, _starts[line]);
    }
}
