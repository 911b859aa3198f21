using System.Collections.Generic;

namespace Concordance.Schema.Formatting;

/// <summary>A comment the formatter keeps: its text as written and how it sat between the tokens around it.</summary>
/// <param name="Text">The comment, <c>//</c> or <c>/*</c> included, trailing spaces removed from a line comment.</param>
/// <param name="NewLinesBefore">Line breaks between the previous token or comment and this one.</param>
/// <param name="IsLineComment">A <c>//</c> (or <c>///</c>) comment: the line ends after it.</param>
internal sealed record FormatComment(string Text, int NewLinesBefore, bool IsLineComment)
{
    /// <summary>
    /// True when nothing may follow the comment on its line: a line comment. (A block comment spanning lines reads as a
    /// line break to the parser wherever it stands, so it can stay inline.)
    /// </summary>
    public bool EndsLine => IsLineComment;
}

/// <summary>
/// A token with its trivia: the comments on their own lines before it (<see cref="Leading"/>) and those after it on its
/// line (<see cref="Trailing"/>). Line breaks are counted, not kept: the layout decides them.
/// </summary>
internal sealed class FormatToken
{
    public FormatToken(string text, bool isIdentifier, int newLinesBefore)
    {
        Text = text;
        IsIdentifier = isIdentifier;
        NewLinesBefore = newLinesBefore;
    }

    /// <summary>The token's text; empty for the end of the file.</summary>
    public string Text { get; }

    /// <summary>An identifier or keyword (as opposed to punctuation, a number or the end).</summary>
    public bool IsIdentifier { get; }

    /// <summary>Line breaks between the previous token (or the last leading comment) and this token.</summary>
    public int NewLinesBefore { get; }

    /// <summary>Comments before the token that start on a line of their own, or follow such a comment.</summary>
    public List<FormatComment> Leading { get; } = new();

    /// <summary>Comments after the token on the same line.</summary>
    public List<FormatComment> Trailing { get; } = new();

    /// <summary>Whether the first thing before this token (a leading comment or the token) had a blank line above it.</summary>
    public bool HasBlankLineBefore => (Leading.Count > 0 ? Leading[0].NewLinesBefore : NewLinesBefore) >= 2;

    public bool Is(string text) => Text == text;

    public override string ToString() => Text;
}
