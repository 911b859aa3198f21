using System;
using System.Collections.Generic;

namespace Concordance.Schema.Syntax;

/// <summary>Maps character offsets of one text to zero-based line and character positions.</summary>
public sealed class LineMap
{
    private readonly int[] _lineStarts;
    private readonly int _length;

    /// <summary>Builds the map for <paramref name="text"/>; <c>\n</c>, <c>\r\n</c> and <c>\r</c> end lines.</summary>
    public LineMap(string text)
    {
        var starts = new List<int> { 0 };
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
        _lineStarts = starts.ToArray();
        _length = text.Length;
    }

    /// <summary>The number of lines (at least one).</summary>
    public int LineCount => _lineStarts.Length;

    /// <summary>The offset where <paramref name="line"/> starts (zero-based; clamped to the first and the last line).</summary>
    public int LineStart(int line) => _lineStarts[Math.Max(0, Math.Min(line, _lineStarts.Length - 1))];

    /// <summary>The position of <paramref name="offset"/>, clamped into the text.</summary>
    public LinePosition GetPosition(int offset)
    {
        offset = Math.Max(0, Math.Min(offset, _length));
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return new LinePosition(line, offset - _lineStarts[line]);
    }

    /// <summary>The line span of <paramref name="span"/>, clamped into the text.</summary>
    public LinePositionSpan GetLineSpan(SourceSpan span) =>
        new(GetPosition(span.Start), GetPosition(span.End));
}
