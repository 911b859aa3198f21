using System.Text;
using System.Text.Json;
using Concordance.LanguageServer.Features;
using Concordance.LanguageServer.Protocol;
using Concordance.LanguageServer.Workspace;

namespace Concordance.LanguageServer;

// Lifecycle and document synchronisation.
internal sealed partial class Server
{
    private static readonly string Version = typeof(Server).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    private InitializeResult Initialize(InitializeParams parameters)
    {
        if (_initialized) throw new RequestException(ErrorCodes.InvalidRequest, "'initialize' was already received.");
        var folders = parameters.WorkspaceFolders?.Select(f => DocumentUri.ToPath(f.Uri)).ToList() ?? new List<string>();
        if (folders.Count == 0 && parameters.RootUri is { } rootUri) folders.Add(DocumentUri.ToPath(rootUri));
        if (folders.Count == 0 && parameters.RootPath is { } rootPath) folders.Add(rootPath);
        foreach (var folder in folders) _workspace.AddRoot(folder);
        _initialized = true;

        return new InitializeResult(
            new ServerCapabilities(
                new TextDocumentSyncOptions(OpenClose: true, Change: 2),
                new CompletionOptions([" ", ">", ",", ":", "<"], ResolveProvider: false),
                HoverProvider: true,
                DefinitionProvider: true,
                ReferencesProvider: true,
                new RenameOptions(PrepareProvider: true),
                DocumentSymbolProvider: true,
                new SemanticTokensOptions(new SemanticTokensLegend(Colouring.TokenTypes, Colouring.TokenModifiers), Full: true, Range: false),
                FoldingRangeProvider: true,
                DocumentFormattingProvider: true,
                new CodeActionOptions(["quickfix"])),
            new ServerInfo("concordance", Version));
    }

    private object? Shutdown()
    {
        _shutdownRequested = true;
        return null;
    }

    private void DidOpen(DidOpenTextDocumentParams parameters)
    {
        var item = parameters.TextDocument;
        var source = _workspace.Open(item.Uri, item.Text, item.Version);
        Touch(source);
    }

    private void DidChange(DidChangeTextDocumentParams parameters)
    {
        var source = _workspace.Find(parameters.TextDocument.Uri);
        if (source is null || !source.IsOpen)
        {
            throw new RequestException(ErrorCodes.InvalidParams, "didChange for '" + parameters.TextDocument.Uri + "', which is not open.");
        }
        var text = source.Text;
        foreach (var change in parameters.ContentChanges)
        {
            if (change.Range is not { } range)
            {
                text = change.Text;
                continue;
            }
            var lines = ReferenceEquals(text, source.Text) ? source.Lines : new TextLines(text);
            var start = lines.OffsetOf(range.Start);
            var end = Math.Max(start, lines.OffsetOf(range.End));
            text = string.Concat(text.AsSpan(0, start), change.Text, text.AsSpan(end));
        }
        source.Update(text, parameters.TextDocument.Version);
        Touch(source);
    }

    private void DidClose(DidCloseTextDocumentParams parameters)
    {
        var uri = parameters.TextDocument.Uri;
        var source = _workspace.Find(uri);
        _workspace.Close(uri);
        if (source is null) return;
        _dirty.Remove(source);
        _writer.Notify("textDocument/publishDiagnostics", new PublishDiagnosticsParams(uri, null, []));
        foreach (var other in _workspace.ProjectOf(source)) if (other.IsOpen) _dirty.Add(other);
    }

    /// <summary>Files changed on disk: those the editor does not hold open are read again.</summary>
    private void DidChangeWatchedFiles(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array) return;
        foreach (var change in changes.EnumerateArray())
        {
            if (!change.TryGetProperty("uri", out var uriElement) || uriElement.GetString() is not { } uri) continue;
            if (!uri.EndsWith(".concordance", StringComparison.OrdinalIgnoreCase))
            {
                // A lock file changed: its schema's gate is read again (LockOf compares the file's time).
                if (uri.EndsWith(".concordance.lock", StringComparison.OrdinalIgnoreCase) && _workspace.Find(uri[..^".lock".Length]) is { IsOpen: true } locked) _dirty.Add(locked);
                continue;
            }
            var source = _workspace.Find(uri);
            if (source is { IsOpen: true }) continue;
            var path = DocumentUri.ToPath(uri);
            if (File.Exists(path))
            {
                var text = File.ReadAllText(path);
                if (source is null) _workspace.AddFile(path, text);
                else source.Update(text, null);
            }
            else if (source is not null)
            {
                _workspace.Close(uri);
            }
            foreach (var s in _workspace.Sources) if (s.IsOpen) _dirty.Add(s);
        }
    }

    /// <summary>Marks an edited document, and the open files of its project whose checks across files may change, for publishing.</summary>
    private void Touch(SchemaSource source)
    {
        _dirty.Add(source);
        foreach (var other in _workspace.ProjectOf(source)) if (other.IsOpen) _dirty.Add(other);
    }

    private void PublishDirty()
    {
        if (_dirty.Count == 0) return;
        var sources = _dirty.ToList();
        _dirty.Clear();
        foreach (var source in sources)
        {
            if (!source.IsOpen) continue;
            try
            {
                _writer.Notify("textDocument/publishDiagnostics", new PublishDiagnosticsParams(source.Uri, source.Version, Diagnostics.Of(_workspace, source)));
                if (Diagnostics.OfLock(_workspace, source) is { } lockDiagnostics)
                {
                    _writer.Notify("textDocument/publishDiagnostics", new PublishDiagnosticsParams(lockDiagnostics.Uri, null, lockDiagnostics.Diagnostics));
                }
            }
            catch (Exception e)
            {
                _log.WriteLine("concordance lsp: diagnostics of " + source.Uri + " failed: " + e);
            }
        }
    }
}
