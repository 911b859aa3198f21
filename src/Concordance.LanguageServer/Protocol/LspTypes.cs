using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concordance.LanguageServer.Protocol;

// The slice of the LSP 3.17 types this server reads and writes, named as the specification names them.

internal sealed record Position(int Line, int Character);

internal sealed record Range(Position Start, Position End);

internal sealed record Location(string Uri, Range Range);

internal sealed record TextDocumentIdentifier(string Uri);

internal sealed record VersionedTextDocumentIdentifier(string Uri, int? Version = null);

internal sealed record TextDocumentItem(string Uri, int Version, string Text, string? LanguageId = null);

internal sealed record TextDocumentContentChangeEvent(string Text, Range? Range = null);

internal sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

internal sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, TextDocumentContentChangeEvent[] ContentChanges);

internal sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

internal sealed record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, Position Position);

internal sealed record ReferenceContext(bool IncludeDeclaration);

internal sealed record ReferenceParams(TextDocumentIdentifier TextDocument, Position Position, ReferenceContext? Context = null);

internal sealed record RenameParams(TextDocumentIdentifier TextDocument, Position Position, string NewName);

internal sealed record DocumentParams(TextDocumentIdentifier TextDocument);

// The client's diagnostics in the context are not read: the server finds its own at the range.
internal sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range);

internal sealed record WorkspaceFolder(string Uri, string? Name = null);

internal sealed record InitializeParams(int? ProcessId = null, string? RootUri = null, string? RootPath = null, WorkspaceFolder[]? WorkspaceFolders = null);

internal sealed record CodeDescription(string Href);

internal sealed record Diagnostic(Range Range, int? Severity, string? Code, string? Source, string Message, CodeDescription? CodeDescription = null);

internal sealed record PublishDiagnosticsParams(string Uri, int? Version, Diagnostic[] Diagnostics);

internal sealed record MarkupContent(string Kind, string Value);

internal sealed record CompletionItem(string Label, int Kind, string? Detail = null, MarkupContent? Documentation = null, string? SortText = null, string? FilterText = null, string? InsertText = null);

internal sealed record CompletionList(bool IsIncomplete, CompletionItem[] Items);

internal sealed record Hover(MarkupContent Contents, Range? Range);

internal sealed record TextEdit(Range Range, string NewText);

internal sealed record WorkspaceEdit(Dictionary<string, TextEdit[]> Changes);

internal sealed record PrepareRenameResult(Range Range, string Placeholder);

internal sealed record DocumentSymbol(string Name, string? Detail, int Kind, Range Range, Range SelectionRange, DocumentSymbol[]? Children);

internal sealed record SemanticTokens(int[] Data);

internal sealed record FoldingRange(int StartLine, int EndLine, string? Kind = null);

internal sealed record CodeAction(string Title, string Kind, Diagnostic[]? Diagnostics, WorkspaceEdit Edit, bool? IsPreferred = null);

internal sealed record MessageParams(int Type, string Message);

internal sealed record ResponseError(int Code, string Message);

internal sealed record ServerInfo(string Name, string? Version);

internal sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

internal sealed record TextDocumentSyncOptions(bool OpenClose, int Change);

internal sealed record CompletionOptions(string[] TriggerCharacters, bool ResolveProvider);

internal sealed record RenameOptions(bool PrepareProvider);

internal sealed record SemanticTokensLegend(string[] TokenTypes, string[] TokenModifiers);

internal sealed record SemanticTokensOptions(SemanticTokensLegend Legend, bool Full, bool Range);

internal sealed record CodeActionOptions(string[] CodeActionKinds);

internal sealed record ServerCapabilities(
    TextDocumentSyncOptions TextDocumentSync,
    CompletionOptions CompletionProvider,
    bool HoverProvider,
    bool DefinitionProvider,
    bool ReferencesProvider,
    RenameOptions RenameProvider,
    bool DocumentSymbolProvider,
    SemanticTokensOptions SemanticTokensProvider,
    bool FoldingRangeProvider,
    bool DocumentFormattingProvider,
    CodeActionOptions CodeActionProvider);

/// <summary>Source-generated (reflection-free) serialization of the protocol types, camelCase as LSP spells them.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 64,
    RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(DidOpenTextDocumentParams))]
[JsonSerializable(typeof(DidChangeTextDocumentParams))]
[JsonSerializable(typeof(DidCloseTextDocumentParams))]
[JsonSerializable(typeof(TextDocumentPositionParams))]
[JsonSerializable(typeof(ReferenceParams))]
[JsonSerializable(typeof(RenameParams))]
[JsonSerializable(typeof(DocumentParams))]
[JsonSerializable(typeof(CodeActionParams))]
[JsonSerializable(typeof(InitializeParams))]
[JsonSerializable(typeof(PublishDiagnosticsParams))]
[JsonSerializable(typeof(CompletionList))]
[JsonSerializable(typeof(Hover))]
[JsonSerializable(typeof(Location[]))]
[JsonSerializable(typeof(WorkspaceEdit))]
[JsonSerializable(typeof(PrepareRenameResult))]
[JsonSerializable(typeof(DocumentSymbol[]))]
[JsonSerializable(typeof(SemanticTokens))]
[JsonSerializable(typeof(FoldingRange[]))]
[JsonSerializable(typeof(CodeAction[]))]
[JsonSerializable(typeof(TextEdit[]))]
[JsonSerializable(typeof(MessageParams))]
[JsonSerializable(typeof(ResponseError))]
[JsonSerializable(typeof(InitializeResult))]
internal sealed partial class LspJson : JsonSerializerContext;
