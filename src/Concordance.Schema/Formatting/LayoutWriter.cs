using System.Text;

namespace Concordance.Schema.Formatting;

/// <summary>
/// Writes formatted schema text line by line: indentation, the space between tokens, blank lines kept at most one, and
/// every comment where it stood relative to the tokens. A line comment ends its line; what follows it goes on the next
/// line, one step further in when it continues a construct.
/// </summary>
internal sealed class LayoutWriter
{
    private const string IndentUnit = "    ";

    private readonly StringBuilder _text = new();
    private readonly StringBuilder _line = new();
    private readonly string _newLine;
    private int _lineIndent;
    private bool _blankPending;
    private bool _mustBreak;

    public LayoutWriter(string newLine) => _newLine = newLine;

    /// <summary>The indentation depth of lines the layout starts.</summary>
    public int Indent { get; set; }

    /// <summary>The width of the current line so far, indentation included.</summary>
    public int LineWidth => (_line.Length == 0 ? Indent : _lineIndent) * IndentUnit.Length + _line.Length;

    /// <summary>
    /// Starts a new line for <paramref name="token"/>, with one blank line above it when <paramref name="keepBlankLine"/>
    /// and the source had one there (or <paramref name="forceBlankLine"/>).
    /// </summary>
    public void StartLine(FormatToken token, bool keepBlankLine, bool forceBlankLine = false)
    {
        Flush();
        _lineIndent = Indent;
        if (forceBlankLine || keepBlankLine && token.HasBlankLineBefore) _blankPending = true;
    }

    /// <summary>
    /// Writes <paramref name="token"/> and its comments: those before it where they stood (on lines of their own, or
    /// inline), those after it on its line. <paramref name="spaceBefore"/> separates it from what precedes it on a line.
    /// </summary>
    public void Write(FormatToken token, bool spaceBefore = true)
    {
        var continuation = _line.Length > 0;
        var first = true;
        foreach (var comment in token.Leading)
        {
            Place(comment.NewLinesBefore, first, continuation, isComment: true);
            Append(comment.Text, spaceBefore: true, continuation);
            if (comment.EndsLine) _mustBreak = true;
            first = false;
        }
        if (token.Text.Length > 0)
        {
            Place(token.NewLinesBefore, first, continuation, isComment: false);
            Append(token.Text, spaceBefore, continuation);
        }
        foreach (var comment in token.Trailing)
        {
            Append(comment.Text, spaceBefore: true, continuation: true);
            if (comment.EndsLine) _mustBreak = true;
        }
    }

    /// <summary>The text written, ending with exactly one line break.</summary>
    public override string ToString()
    {
        Flush();
        return _text.Length == 0 ? string.Empty : _text.ToString();
    }

    /// <summary>
    /// Before an item that the source had after <paramref name="newLinesBefore"/> line breaks. A token without comments
    /// before it goes where the layout puts it; a comment that had a line of its own gets one; an item after a comment
    /// goes on a new line when the source had it there.
    /// </summary>
    private void Place(int newLinesBefore, bool first, bool continuation, bool isComment)
    {
        if (first && !(isComment && continuation && newLinesBefore > 0)) return;
        if (newLinesBefore == 0 && !_mustBreak) return;
        Flush();
        if (newLinesBefore > 1) _blankPending = true;
        _lineIndent = continuation ? Indent + 1 : Indent;
    }

    private void Append(string text, bool spaceBefore, bool continuation)
    {
        if (_mustBreak)
        {
            Flush();
            _lineIndent = continuation ? Indent + 1 : Indent;
        }
        if (_line.Length == 0)
        {
            if (_blankPending && _text.Length > 0) _text.Append(_newLine);
            _blankPending = false;
        }
        else if (spaceBefore)
        {
            _line.Append(' ');
        }
        _line.Append(text);
    }

    private void Flush()
    {
        _mustBreak = false;
        if (_line.Length == 0) return;
        for (var i = 0; i < _lineIndent; i++) _text.Append(IndentUnit);
        _text.Append(_line.ToString().TrimEnd()).Append(_newLine);
        _line.Clear();
        _lineIndent = Indent;
    }
}
