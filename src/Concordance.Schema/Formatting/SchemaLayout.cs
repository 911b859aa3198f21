using System;
using System.Collections.Generic;
using System.Linq;

namespace Concordance.Schema.Formatting;

/// <summary>
/// Lays out the tokens of a schema without syntax errors in the canonical form: the namespace, then one declaration per
/// line group; a message, record, enum or state block on one line when it fits in <see cref="MaxWidth"/> columns and has
/// no comment inside, otherwise one member per line; a component's clauses one per line; lists never wrapped.
/// </summary>
internal sealed class SchemaLayout
{
    /// <summary>The widest a one-line block may make its line.</summary>
    public const int MaxWidth = 120;

    private readonly List<FormatToken> _tokens;
    private readonly LayoutWriter _writer;
    private int _position;

    private SchemaLayout(List<FormatToken> tokens, string newLine)
    {
        _tokens = tokens;
        _writer = new LayoutWriter(newLine);
    }

    private FormatToken Current => _tokens[_position];

    private bool AtEnd => _position >= _tokens.Count - 1;

    public static string Format(List<FormatToken> tokens, string newLine)
    {
        var layout = new SchemaLayout(tokens, newLine);
        layout.File();
        return layout._writer.ToString();
    }

    private void File()
    {
        var previousMultiLine = false;
        var first = true;
        if (Current.Is("namespace"))
        {
            _writer.StartLine(Current, keepBlankLine: false);
            Write();
            Write();
            while (Current.Is(".")) { Write(spaceBefore: false); Write(spaceBefore: false); }
            if (Current.Is(";")) Write(spaceBefore: false);
            first = false;
            previousMultiLine = true;
        }
        while (!AtEnd)
        {
            if (Current.Is(";"))
            {
                WriteCommentsOnly();
                continue;
            }
            var multiLine = IsMultiLine(_position);
            _writer.StartLine(Current, keepBlankLine: !first, forceBlankLine: !first && (multiLine || previousMultiLine));
            Declaration();
            first = false;
            previousMultiLine = multiLine;
        }
        if (Current.Leading.Count > 0)
        {
            _writer.StartLine(Current, keepBlankLine: true);
            _writer.Write(Current);
        }
    }

    private void Declaration()
    {
        var keyword = Current.Text;
        Write();
        switch (keyword)
        {
            case "command":
            case "event":
            case "record":
                Write();
                if (!Current.Is("{")) Write();
                FieldBlock();
                break;
            case "enum":
                Write();
                EnumBlock();
                break;
            case "aggregate":
            case "projector":
            case "process":
            case "gateway":
                Write();
                ComponentBody();
                break;
            case "upcast":
                Write();
                Write();
                Write();
                Write();
                if (Current.Is(";")) WriteCommentsOnly();
                break;
            default:
                throw new FormatException("Unexpected '" + keyword + "' at the top level.");
        }
    }

    /// <summary>Whether the declaration starting at <paramref name="start"/> takes more than one line.</summary>
    private bool IsMultiLine(int start)
    {
        switch (_tokens[start].Text)
        {
            case "aggregate":
            case "projector":
            case "process":
            case "gateway":
                return true;
            case "upcast":
                return false;
        }
        var open = start;
        while (open < _tokens.Count - 1 && !_tokens[open].Is("{")) open++;
        return IsMultiLineBlock(open, _writer.Indent * 4 + OneLineWidth(start, open - 1) + 1);
    }

    /// <summary>
    /// Whether the brace block opening at <paramref name="open"/> takes more than one line: it holds a comment, or
    /// written on one line after <paramref name="widthBefore"/> columns it would pass <see cref="MaxWidth"/>.
    /// </summary>
    private bool IsMultiLineBlock(int open, int widthBefore)
    {
        var close = open;
        while (close < _tokens.Count - 1 && !_tokens[close].Is("}")) close++;
        for (var i = open; i <= close; i++)
        {
            if (i > open && _tokens[i].Leading.Count > 0) return true;
            if (i < close && _tokens[i].Trailing.Count > 0) return true;
        }
        return widthBefore + OneLineWidth(open, close) > MaxWidth;
    }

    private int OneLineWidth(int start, int close)
    {
        var width = 0;
        for (var i = start; i <= close; i++)
        {
            var token = _tokens[i];
            // The trailing comma of a block is dropped; the separators are ", " and ": ".
            if (token.Is(",") && _tokens[i + 1].Is("}")) continue;
            width += token.Text.Length + (i > start && SpaceBefore(_tokens[i - 1], token) ? 1 : 0);
        }
        return width;
    }

    private static bool SpaceBefore(FormatToken previous, FormatToken token) =>
        !(token.Is(",") || token.Is(":") || token.Is("?") || token.Is("<") || token.Is(">") || token.Is(";") || previous.Is("<"));

    private void FieldBlock() => Block(Field);

    private void EnumBlock() => Block(() =>
    {
        if (Current.Is("fallback") && _tokens[_position + 1].IsIdentifier) Write();
        Write();
    });

    /// <summary>A brace block of comma-separated members, on one line when it fits and holds no comment.</summary>
    private void Block(Action member)
    {
        var multiLine = IsMultiLineBlock(_position, _writer.LineWidth + 1);
        Write();
        var indent = _writer.Indent;
        if (multiLine) _writer.Indent = indent + 1;
        var first = true;
        while (!Current.Is("}") && !AtEnd)
        {
            if (multiLine) _writer.StartLine(Current, keepBlankLine: !first);
            member();
            first = false;
            if (Current.Is(","))
            {
                if (_tokens[_position + 1].Is("}")) WriteCommentsOnly();
                else Write(spaceBefore: false);
            }
        }
        CloseBrace(indent, multiLine, emptyBlockSpace: true);
    }

    private void Field()
    {
        Write();
        Write(spaceBefore: false);
        TypeReference();
    }

    private void TypeReference(bool spaceBefore = true)
    {
        Write(spaceBefore);
        if (Current.Is("<"))
        {
            Write(spaceBefore: false);
            TypeReference(spaceBefore: false);
            while (Current.Is(","))
            {
                Write(spaceBefore: false);
                TypeReference();
            }
            Write(spaceBefore: false);
        }
        while (Current.Is("?")) Write(spaceBefore: false);
    }

    private void ComponentBody()
    {
        Write();
        var indent = _writer.Indent;
        _writer.Indent = indent + 1;
        var first = true;
        while (!Current.Is("}") && !AtEnd)
        {
            if (Current.Is(";"))
            {
                WriteCommentsOnly();
                continue;
            }
            _writer.StartLine(Current, keepBlankLine: !first);
            Clause();
            first = false;
        }
        CloseBrace(indent, multiLine: true, emptyBlockSpace: false);
    }

    private void Clause()
    {
        var keyword = Current.Text;
        Write();
        switch (keyword)
        {
            case "key":
                Write();
                break;
            case "state":
                FieldBlock();
                break;
            case "handle":
                Write();
                Write();
                NameList();
                break;
            case "start":
            case "end":
                if (Current.Is("on")) Write();
                NameList();
                break;
            default:
                NameList();
                break;
        }
    }

    private void NameList()
    {
        Write();
        while (Current.Is(","))
        {
            Write(spaceBefore: false);
            Write();
        }
    }

    private void CloseBrace(int outerIndent, bool multiLine, bool emptyBlockSpace)
    {
        var close = Current;
        if (multiLine && close.Leading.Count > 0)
        {
            // Comments before the closing brace belong to the block's last lines, at the block's indentation.
            var comments = new FormatToken(string.Empty, false, 0);
            comments.Leading.AddRange(close.Leading);
            _writer.StartLine(comments, keepBlankLine: true);
            _writer.Write(comments);
            close = new FormatToken(close.Text, false, close.NewLinesBefore);
            close.Trailing.AddRange(Current.Trailing);
        }
        _writer.Indent = outerIndent;
        if (multiLine) _writer.StartLine(close, keepBlankLine: false);
        _writer.Write(close, spaceBefore: emptyBlockSpace || multiLine);
        _position++;
    }

    /// <summary>Whether a <c>///</c> comment stands between the token at <paramref name="index"/> and the one before it.</summary>
    private bool CarriesDoc(int index)
    {
        var comments = _tokens[index].Leading.AsEnumerable();
        if (index > 0) comments = _tokens[index - 1].Trailing.Concat(comments);
        return comments.Any(c => c.Text.StartsWith("///", StringComparison.Ordinal) && !c.Text.StartsWith("////", StringComparison.Ordinal));
    }

    private void Write(bool spaceBefore = true)
    {
        if (AtEnd) throw new FormatException("Unexpected end of the file.");
        _writer.Write(Current, spaceBefore);
        _position++;
    }

    /// <summary>
    /// Drops an optional token (a separator or trailing comma) but keeps its comments: those after it stay on the line
    /// before; when it had comments before it or stood on a line of its own, all of them move to the next token, so they
    /// keep their order and their place on the next pass.
    /// </summary>
    private void WriteCommentsOnly()
    {
        var token = Current;
        if (CarriesDoc(_position))
        {
            // The lexer gives '///' lines to the next token: dropping this one would hand them to a declaration.
            Write(spaceBefore: false);
            return;
        }
        if (token.Leading.Count > 0)
        {
            _tokens[_position + 1].Leading.InsertRange(0, token.Leading.Concat(token.Trailing));
        }
        else if (token.Trailing.Count > 0 && token.NewLinesBefore > 0)
        {
            // On a line of its own, the token's comments are own-line comments before the next token.
            var moved = token.Trailing.ToList();
            moved[0] = moved[0] with { NewLinesBefore = token.NewLinesBefore };
            _tokens[_position + 1].Leading.InsertRange(0, moved);
        }
        else if (token.Trailing.Count > 0)
        {
            var comments = new FormatToken(string.Empty, false, token.NewLinesBefore);
            comments.Leading.AddRange(token.Leading);
            comments.Trailing.AddRange(token.Trailing);
            _writer.Write(comments);
        }
        _position++;
    }
}
