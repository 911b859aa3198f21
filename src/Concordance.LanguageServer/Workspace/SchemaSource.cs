using Concordance.Schema;
using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Workspace;

/// <summary>
/// One schema file of the workspace: its current text (the editor's while it is open, the disk's otherwise) and the
/// analysis of that text. An edit replaces the text and drops the analysis; it is rebuilt (one parse, one check of
/// this file only) when something asks for it. The last analysis without syntax errors is kept for completion, so a
/// half-typed word does not make the declared names disappear.
/// </summary>
internal sealed class SchemaSource
{
    private SchemaFile? _syntax;
    private IReadOnlyList<SchemaDiagnostic>? _diagnostics;
    private SchemaTypeNames? _typeNames;
    private SymbolIndex? _index;
    private TextLines? _lines;

    public SchemaSource(string path, string uri, string text, int? version, bool isOpen)
    {
        Path = path;
        Uri = uri;
        Text = text;
        Version = version;
        IsOpen = isOpen;
    }

    public string Path { get; }

    /// <summary>The document's URI as the client spells it (the last didOpen's).</summary>
    public string Uri { get; set; }

    public string Text { get; private set; }

    public int? Version { get; private set; }

    /// <summary>True while the editor has the document open: its text then wins over the file on disk.</summary>
    public bool IsOpen { get; set; }

    /// <summary>The last syntax tree that had no syntax error, or the current one when there has never been one.</summary>
    public SchemaFile LastGood { get; private set; } = null!;

    public void Update(string text, int? version)
    {
        Text = text;
        Version = version;
        _syntax = null;
        _diagnostics = null;
        _typeNames = null;
        _index = null;
        _lines = null;
    }

    /// <summary>The tree of the current text: one parse, on first use after an edit.</summary>
    public SchemaFile Syntax
    {
        get
        {
            if (_syntax is null)
            {
                _syntax = SchemaParser.Parse(Text, Path);
                if (_syntax.Diagnostics.Count == 0 || LastGood is null) LastGood = _syntax;
            }
            return _syntax;
        }
    }

    /// <summary>Offsets and LSP positions of the current text.</summary>
    public TextLines Lines => _lines ??= new TextLines(Text);

    /// <summary>
    /// The file's own diagnostics as the build reports them: syntax, then the checker's, each once (the analyzer's
    /// <c>SchemaDiagnosticAnalyzer.Diagnose</c> does the same).
    /// </summary>
    public IReadOnlyList<SchemaDiagnostic> Diagnostics
    {
        get
        {
            if (_diagnostics is null)
            {
                var seen = new HashSet<SchemaDiagnostic>();
                var list = new List<SchemaDiagnostic>();
                foreach (var d in Syntax.Diagnostics) if (seen.Add(d)) list.Add(d);
                foreach (var d in SchemaChecker.Check(Syntax)) if (seen.Add(d)) list.Add(d);
                _diagnostics = list;
            }
            return _diagnostics;
        }
    }

    /// <summary>The C# types the file generates, for the checks across files.</summary>
    public SchemaTypeNames TypeNames => _typeNames ??= SchemaTypeNames.Of(Syntax);

    /// <summary>Every name in the file with what it is, for navigation, rename, hover and colouring.</summary>
    public SymbolIndex Index => _index ??= new SymbolIndex(Syntax);

    /// <summary>The namespace the file's names live in: the declared one, or the file's stem (as the generator does).</summary>
    public string Namespace => Syntax.Namespace is { IsMissing: false } ns ? ns.Text : GeneratedNames.Stem(Path);
}
