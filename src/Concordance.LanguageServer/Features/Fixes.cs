using System.Text.RegularExpressions;
using Concordance.LanguageServer.Protocol;
using Concordance.LanguageServer.Workspace;
using Concordance.Schema;
using Concordance.Schema.Syntax;

namespace Concordance.LanguageServer.Features;

/// <summary>
/// Quick fixes for the mechanical diagnostics: "did you mean" for an unknown name (CC0002), the missing key field of a
/// message (CC0007), the missing upcast between two event versions (CC0012). Each reads the server's current
/// diagnostics at the requested range, so it works whatever the client sends back.
/// </summary>
internal static partial class Fixes
{
    public static CodeAction[] Actions(SchemaWorkspace workspace, CodeActionParams parameters)
    {
        var source = workspace.Get(parameters.TextDocument.Uri);
        var lines = source.Lines;
        var from = lines.OffsetOf(parameters.Range.Start);
        var to = lines.OffsetOf(parameters.Range.End);
        var actions = new List<CodeAction>();
        foreach (var diagnostic in source.Diagnostics)
        {
            if (diagnostic.Span.End < from || diagnostic.Span.Start > to) continue;
            var lsp = Diagnostics.ToLsp(diagnostic, lines);
            switch (diagnostic.Id)
            {
                case SchemaDiagnosticIds.UnknownName:
                    actions.AddRange(DidYouMean(workspace, source, diagnostic, lsp));
                    break;
                case SchemaDiagnosticIds.MissingAggregateKey:
                    if (AddKeyField(workspace, source, diagnostic, lsp) is { } keyFix) actions.Add(keyFix);
                    break;
                case SchemaDiagnosticIds.VersionGap:
                    if (AddUpcast(source, diagnostic, lsp) is { } upcastFix) actions.Add(upcastFix);
                    break;
            }
        }
        return actions.ToArray();
    }

    private static IEnumerable<CodeAction> DidYouMean(SchemaWorkspace workspace, SchemaSource source, SchemaDiagnostic diagnostic, Protocol.Diagnostic lsp)
    {
        var written = Slice(source.Text, diagnostic.Span);
        var candidates = new List<string>();
        if (HintPattern().Match(diagnostic.Message) is { Success: true } hint) candidates.Add(hint.Groups[1].Value);
        var expected = UnknownPattern().Match(diagnostic.Message) is { Success: true } m ? m.Groups[1].Value : null;
        var declarations = Symbols.Declarations(workspace.Scope(source)).Values;
        IEnumerable<string> names = expected switch
        {
            "command" => declarations.Where(d => d.Kind == DeclarationKind.Command).Select(d => d.Name.Text),
            "event" => declarations.Where(d => d.Kind == DeclarationKind.Event).Select(d => d.Name.Text),
            "type" => declarations.Where(d => d.Kind is DeclarationKind.Record or DeclarationKind.Enum).Select(d => d.Name.Text).Concat(BuiltIns.Types.Keys),
            _ => [],
        };
        candidates.AddRange(names
            .Select(n => (Name: n, Distance: Distance(n, written)))
            .Where(c => c.Distance <= Math.Max(2, written.Length / 3))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name));
        return candidates.Distinct().Where(c => c != written).Take(3).Select((name, i) => new CodeAction(
            "Change '" + written + "' to '" + name + "'", "quickfix", [lsp],
            Edit(source, [new TextEdit(lsp.Range, name)]), IsPreferred: i == 0));
    }

    private static CodeAction? AddKeyField(SchemaWorkspace workspace, SchemaSource source, SchemaDiagnostic diagnostic, Protocol.Diagnostic lsp)
    {
        if (MissingKeyPattern().Match(diagnostic.Message) is not { Success: true } m) return null;
        var field = m.Groups[1].Value;
        var declaration = Symbols.DeclarationsOf(workspace, source, Slice(source.Text, diagnostic.Span)).FirstOrDefault();
        if (declaration?.Occurrence.Declaration is not MessageSyntax message) return null;
        var target = declaration.Source;
        var text = target.Text;
        TextEdit edit;
        if (message.Fields.Count > 0)
        {
            var last = message.Fields[^1];
            edit = new TextEdit(target.Lines.RangeOf(new SourceSpan(last.Span.End, 0)), ", " + field);
        }
        else
        {
            var close = text.LastIndexOf('}', Math.Min(message.Span.End, text.Length) - 1 is var e && e >= 0 ? e : 0);
            if (close < message.Span.Start) return null;
            var open = text.IndexOf('{', message.Span.Start);
            var inside = open >= 0 && open < close ? text.Substring(open + 1, close - open - 1) : "";
            edit = inside.Trim().Length == 0
                ? new TextEdit(target.Lines.RangeOf(new SourceSpan(open + 1, close - open - 1)), " " + field + " ")
                : new TextEdit(target.Lines.RangeOf(new SourceSpan(close, 0)), field + " ");
        }
        var changes = new Dictionary<string, TextEdit[]> { [target.Uri] = [edit] };
        return new CodeAction("Add '" + field + "' to " + message.Kind.ToString().ToLowerInvariant() + " '" + message.Name.Text + "'", "quickfix", [lsp], new WorkspaceEdit(changes), IsPreferred: true);
    }

    private static CodeAction? AddUpcast(SchemaSource source, SchemaDiagnostic diagnostic, Protocol.Diagnostic lsp)
    {
        if (MissingUpcastPattern().Match(diagnostic.Message) is not { Success: true } m) return null;
        var upcast = m.Groups[1].Value;
        var @event = source.Syntax.Declarations.OfType<MessageSyntax>()
            .FirstOrDefault(d => d.Span.Start <= diagnostic.Span.Start && diagnostic.Span.End <= d.Span.End);
        if (@event is null) return null;
        var insertAt = new SourceSpan(Math.Min(@event.Span.End, source.Text.Length), 0);
        return new CodeAction("Add '" + upcast + "'", "quickfix", [lsp],
            Edit(source, [new TextEdit(source.Lines.RangeOf(insertAt), Environment.NewLine + upcast)]), IsPreferred: true);
    }

    private static WorkspaceEdit Edit(SchemaSource source, TextEdit[] edits) => new(new Dictionary<string, TextEdit[]> { [source.Uri] = edits });

    private static string Slice(string text, SourceSpan span)
    {
        var start = Math.Clamp(span.Start, 0, text.Length);
        return text.Substring(start, Math.Clamp(span.Length, 0, text.Length - start));
    }

    /// <summary>Edit distance with swapped neighbours counting one (optimal string alignment); case is ignored, a case slip being the likeliest typo.</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 3) return int.MaxValue;
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    [GeneratedRegex("did you mean '([^']+)'\\?")]
    private static partial Regex HintPattern();

    [GeneratedRegex("^Unknown (command|event|type) '")]
    private static partial Regex UnknownPattern();

    [GeneratedRegex("has no key field '[^']+': add '([^']+)' to it")]
    private static partial Regex MissingKeyPattern();

    [GeneratedRegex("add '(upcast [^']+)'")]
    private static partial Regex MissingUpcastPattern();
}
