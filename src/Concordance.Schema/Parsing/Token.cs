namespace Concordance.Schema.Parsing;

/// <summary>The kinds of token the schema lexer produces.</summary>
internal enum TokenKind
{
    EndOfFile,
    Identifier,
    Number,
    OpenBrace,
    CloseBrace,
    Comma,
    Colon,
    Semicolon,
    Question,
    LessThan,
    GreaterThan,
    Dot,
    Arrow,
    /// <summary>A run of characters the language has no use for.</summary>
    Bad,
}

/// <summary>One token with its place, whether a line break precedes it, and the <c>///</c> doc before it.</summary>
internal readonly struct Token
{
    public Token(TokenKind kind, int start, int length, string text, bool newLineBefore, string? doc)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Text = text;
        NewLineBefore = newLineBefore;
        Doc = doc;
    }

    public TokenKind Kind { get; }
    public int Start { get; }
    public int Length { get; }
    public int End => Start + Length;
    public string Text { get; }
    public bool NewLineBefore { get; }
    public string? Doc { get; }
    public Syntax.SourceSpan Span => new(Start, Length);
}
