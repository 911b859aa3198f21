using System;

namespace Concordance.Schema.Syntax;

/// <summary>A range of characters in a schema file: <see cref="Start"/> is a zero-based offset.</summary>
public readonly record struct SourceSpan(int Start, int Length)
{
    /// <summary>The offset just past the last character.</summary>
    public int End => Start + Length;

    /// <summary>A span covering both <paramref name="first"/> and <paramref name="last"/>.</summary>
    public static SourceSpan Cover(SourceSpan first, SourceSpan last)
    {
        var start = Math.Min(first.Start, last.Start);
        return new SourceSpan(start, Math.Max(first.End, last.End) - start);
    }
}

/// <summary>A zero-based line and character position, the shape Roslyn's <c>LinePosition</c> has.</summary>
public readonly record struct LinePosition(int Line, int Character);

/// <summary>The start and end of a span as lines and characters.</summary>
public readonly record struct LinePositionSpan(LinePosition Start, LinePosition End);
