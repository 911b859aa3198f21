using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Parsing;

/// <summary>
/// Recursive-descent parser over the token list. Every loop consumes a token or stops, recursion
/// happens only in type references and is bounded, so any input parses in linear time. On an
/// unexpected token it reports CC0001 with a hint and skips to the next place it can resume at:
/// a comma, a closing brace, a clause keyword or the next top-level declaration.
/// </summary>
internal sealed partial class Parser
{
    internal const int MaxTypeDepth = 64;
    internal const int MaxSyntaxDiagnostics = 500;

    private static readonly HashSet<string> TopLevelKeywords = new(StringComparer.Ordinal)
    {
        "command", "event", "record", "enum", "aggregate", "projector", "process", "gateway", "upcast",
    };

    private static readonly string[] AggregateClauses = { "key", "state", "handle" };
    private static readonly string[] ProcessClauses = { "key", "state", "start", "on", "end", "send" };
    private static readonly string[] ProjectorClauses = { "on" };
    private static readonly string[] GatewayClauses = { "on", "emit", "send" };
    private static readonly string[] NoClauses = Array.Empty<string>();

    private readonly string _text;
    private readonly string _path;
    private readonly List<Token> _tokens;
    private readonly List<SchemaDiagnostic> _diagnostics;
    private int _pos;
    private int _lastEnd;
    private bool _typeTooDeep;
    private bool _tooManyReported;

    public Parser(string text, string path)
    {
        _text = text;
        _path = path;
        _diagnostics = new List<SchemaDiagnostic>();
        _tokens = Lexer.Tokenize(text, _diagnostics);
    }

    private Token Current => _tokens[_pos];

    private Token Peek(int n) => _tokens[Math.Min(_pos + n, _tokens.Count - 1)];

    private bool AtEnd => Current.Kind == TokenKind.EndOfFile;

    private Token Advance()
    {
        var token = Current;
        if (_pos < _tokens.Count - 1)
        {
            _pos++;
            _lastEnd = token.End;
        }
        return token;
    }

    public SchemaFile Parse()
    {
        var declarations = new List<DeclarationSyntax>();
        NameSyntax? ns = null;

        if (IsKeyword(Current, "namespace"))
        {
            ns = ParseNamespace();
        }
        else
        {
            var at = AtEnd ? new SourceSpan(0, 0) : Current.Span;
            Report(at, "The file has no namespace: start it with a namespace declaration such as 'namespace Bank;' (it becomes the C# namespace of the generated code).");
        }

        while (!AtEnd)
        {
            var token = Current;
            if (IsKeyword(token, "namespace"))
            {
                var start = token.Span;
                var parsed = ParseNamespace();
                if (ns is null)
                {
                    Report(start, "The namespace declaration must come first in the file: move 'namespace " + Shorten(parsed?.Text ?? "") + ";' above every other declaration.");
                    ns = parsed;
                }
                else
                {
                    Report(start, "A file has one namespace; it is already '" + Shorten(ns.Text) + "'. Remove this second namespace declaration.");
                }
                continue;
            }
            if (token.Kind == TokenKind.Identifier && TopLevelKeywords.Contains(token.Text))
            {
                var declaration = ParseDeclaration();
                if (declaration is not null) declarations.Add(declaration);
                continue;
            }
            if (token.Kind == TokenKind.Semicolon)
            {
                Advance();
                continue;
            }

            Report(token.Span, "Unexpected " + Describe(token) + " at the top level: expected a declaration (command, event, record, enum, aggregate, projector, process, gateway or upcast).");
            Advance();
            SkipTopLevel();
        }

        return new SchemaFile(_path, ns, declarations, _diagnostics, new LineMap(_text));
    }

    // ---- namespace --------------------------------------------------------------------------

    private NameSyntax? ParseNamespace()
    {
        Advance(); // namespace
        if (Current.Kind != TokenKind.Identifier)
        {
            Report(Current.Span, "Expected the namespace's name after 'namespace', found " + Describe(Current) + " (e.g. 'namespace Bank;').");
            if (Current.Kind == TokenKind.Semicolon) Advance();
            return null;
        }
        var first = Advance();
        var sb = new StringBuilder(first.Text);
        var span = first.Span;
        while (Current.Kind == TokenKind.Dot)
        {
            Advance();
            if (Current.Kind != TokenKind.Identifier || IsDeclarationStart(_pos))
            {
                Report(Current.Span, "Expected a name after '.' in namespace '" + Shorten(sb.ToString()) + "', found " + Describe(Current) + ".");
                break;
            }
            var part = Advance();
            sb.Append('.').Append(part.Text);
            span = SourceSpan.Cover(span, part.Span);
        }
        var name = new NameSyntax(sb.ToString(), span);
        if (Current.Kind == TokenKind.Semicolon)
        {
            Advance();
        }
        else
        {
            Report(Current.Kind == TokenKind.EndOfFile || Current.NewLineBefore ? new SourceSpan(_lastEnd, 0) : Current.Span,
                "Expected ';' after namespace '" + Shorten(name.Text) + "'.");
            if (!Current.NewLineBefore && !AtEnd) SkipTopLevel();
        }
        return name;
    }
}
