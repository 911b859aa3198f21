using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Concordance.LanguageServer.Features;
using Concordance.LanguageServer.Protocol;
using Concordance.LanguageServer.Workspace;

namespace Concordance.LanguageServer;

/// <summary>
/// One client session. A reader task turns the input into frames; this loop handles them one at a time, in order,
/// and whenever no message is waiting publishes the diagnostics of the documents edited since the last time, so a
/// burst of keystrokes costs one analysis, not one per keystroke.
/// </summary>
internal sealed partial class Server
{
    private readonly MessageReader _reader;
    private readonly MessageWriter _writer;
    private readonly TextWriter _log;
    private readonly SchemaWorkspace _workspace = new();
    private readonly HashSet<SchemaSource> _dirty = new();
    private bool _initialized;
    private bool _shutdownRequested;

    public Server(MessageReader reader, MessageWriter writer, TextWriter log)
    {
        _reader = reader;
        _writer = writer;
        _log = log;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var inbox = Channel.CreateUnbounded<Frame>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pump = Task.Run(async () =>
        {
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var frame = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    if (frame.IsEnd) break;
                    await inbox.Writer.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                inbox.Writer.TryComplete();
            }
        }, CancellationToken.None);

        try
        {
            while (await inbox.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (inbox.Reader.TryRead(out var frame))
                {
                    int? exitCode;
                    try
                    {
                        exitCode = Handle(frame);
                    }
                    catch (Exception e)
                    {
                        // Handlers answer their own failures; this is the last guard, so one message can never end the session.
                        _log.WriteLine("concordance lsp: a message could not be handled: " + e);
                        exitCode = null;
                    }
                    if (exitCode is { } code) return code;
                    if (!_writer.IsConnected) return _shutdownRequested ? 0 : 1;
                }
                PublishDirty();
            }
        }
        catch (OperationCanceledException)
        {
        }
        // The client went away without 'exit': LSP's exit code for "no shutdown first" is 1.
        return _shutdownRequested ? 0 : 1;
    }

    /// <summary>Handles one frame; returns the exit code when it was <c>exit</c>.</summary>
    private int? Handle(Frame frame)
    {
        if (frame.Error is { } error)
        {
            _writer.RespondError(null, ErrorCodes.ParseError, error);
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame.Body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            _writer.RespondError(null, ErrorCodes.ParseError, "The message body is not valid JSON (UTF-8): " + e.Message);
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                _writer.RespondError(null, ErrorCodes.InvalidRequest, "A JSON-RPC message is an object; this is " + root.ValueKind + ".");
                return null;
            }
            JsonElement? id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind is JsonValueKind.Number or JsonValueKind.String
                ? idElement.Clone() : null;
            if (!root.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
            {
                // A response to a request of ours (the server sends none that need one) is dropped; anything else is refused.
                if (id is not null && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _))) return null;
                _writer.RespondError(id, ErrorCodes.InvalidRequest, "The message has no 'method'.");
                return null;
            }
            var method = methodElement.GetString()!;
            var parameters = root.TryGetProperty("params", out var p) ? p : default;
            var isRequest = root.TryGetProperty("id", out _);

            if (method == "exit") return _shutdownRequested ? 0 : 1;
            if (isRequest) HandleRequest(method, id, parameters);
            else HandleNotification(method, parameters);
            return null;
        }
    }

    private void HandleRequest(string method, JsonElement? id, JsonElement parameters)
    {
        try
        {
            if (!_initialized && method != "initialize")
            {
                throw new RequestException(ErrorCodes.ServerNotInitialized, "The server is not initialized: send 'initialize' first.");
            }
            if (_shutdownRequested)
            {
                throw new RequestException(ErrorCodes.InvalidRequest, "The server is shutting down: only 'exit' is accepted after 'shutdown'.");
            }
            _writer.Respond(id, Dispatch(method, parameters));
        }
        catch (RequestException e)
        {
            _writer.RespondError(id, e.Code, e.Message);
        }
        catch (Exception e)
        {
            _log.WriteLine("concordance lsp: " + method + " failed: " + e);
            _writer.RespondError(id, ErrorCodes.InternalError, method + " failed: " + e.Message);
        }
    }

    private object? Dispatch(string method, JsonElement parameters) => method switch
    {
        "initialize" => Initialize(Read(parameters, LspJson.Default.InitializeParams)),
        "shutdown" => Shutdown(),
        "textDocument/completion" => Completion.Complete(_workspace, Position(parameters)),
        "textDocument/hover" => HoverInfo.Describe(_workspace, Position(parameters)),
        "textDocument/definition" => Navigation.Definition(_workspace, Position(parameters)),
        "textDocument/references" => Navigation.References(_workspace, Read(parameters, LspJson.Default.ReferenceParams)),
        "textDocument/prepareRename" => Navigation.PrepareRename(_workspace, Position(parameters)),
        "textDocument/rename" => Navigation.Rename(_workspace, Read(parameters, LspJson.Default.RenameParams)),
        "textDocument/documentSymbol" => Outline.Symbols(Document(parameters)),
        "textDocument/semanticTokens/full" => Colouring.Tokens(Document(parameters)),
        "textDocument/foldingRange" => Outline.Folding(Document(parameters)),
        "textDocument/formatting" => Formatting.Format(Document(parameters)),
        "textDocument/codeAction" => Fixes.Actions(_workspace, Read(parameters, LspJson.Default.CodeActionParams)),
        _ => throw new RequestException(ErrorCodes.MethodNotFound, "Unknown method '" + method + "'."),
    };

    private void HandleNotification(string method, JsonElement parameters)
    {
        if (!_initialized) return; // LSP: notifications before initialize are dropped
        try
        {
            switch (method)
            {
                case "initialized":
                    break;
                case "textDocument/didOpen":
                    DidOpen(Read(parameters, LspJson.Default.DidOpenTextDocumentParams));
                    break;
                case "textDocument/didChange":
                    DidChange(Read(parameters, LspJson.Default.DidChangeTextDocumentParams));
                    break;
                case "textDocument/didClose":
                    DidClose(Read(parameters, LspJson.Default.DidCloseTextDocumentParams));
                    break;
                case "workspace/didChangeWatchedFiles":
                    DidChangeWatchedFiles(parameters);
                    break;
            }
        }
        catch (Exception e)
        {
            // A notification has no response: say it in the client's log and go on.
            _log.WriteLine("concordance lsp: " + method + " failed: " + e.Message);
            _writer.Notify("window/logMessage", new MessageParams(1, "concordance lsp: " + method + " failed: " + e.Message));
        }
    }

    private SchemaSource Document(JsonElement parameters) => _workspace.Get(Read(parameters, LspJson.Default.DocumentParams).TextDocument.Uri);

    private (SchemaSource Source, int Offset) Position(JsonElement parameters)
    {
        var request = Read(parameters, LspJson.Default.TextDocumentPositionParams);
        var source = _workspace.Get(request.TextDocument.Uri);
        return (source, source.Lines.OffsetOf(request.Position));
    }

    private static T Read<T>(JsonElement parameters, JsonTypeInfo<T> type)
    {
        if (parameters.ValueKind != JsonValueKind.Object) throw new RequestException(ErrorCodes.InvalidParams, "Expected 'params' to be an object.");
        try
        {
            return parameters.Deserialize(type) ?? throw new RequestException(ErrorCodes.InvalidParams, "Expected 'params'.");
        }
        catch (JsonException e)
        {
            throw new RequestException(ErrorCodes.InvalidParams, "Invalid params: " + e.Message);
        }
    }
}
