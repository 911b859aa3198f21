using System.Text.Json.Nodes;

namespace Concordance.LanguageServer.Tests;

/// <summary>A folder of schema files under the temp directory, deleted afterwards; and the LSP shapes that name them.</summary>
public sealed class TestWorkspace : IDisposable
{
    public TestWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "concordance-lsp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes a file and returns its full path.</summary>
    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public static string Uri(string path) => new Uri(path).AbsoluteUri;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static JsonObject Open(string uri, string text, int version = 1) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "concordance", ["version"] = version, ["text"] = text },
    };

    /// <summary>didChange params replacing <paramref name="length"/> characters at <paramref name="at"/> (one line) with <paramref name="text"/>.</summary>
    public static JsonObject Change(string uri, int version, (int Line, int Character) at, int length, string text) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = version },
        ["contentChanges"] = new JsonArray(new JsonObject
        {
            ["range"] = Range(at, (at.Line, at.Character + length)),
            ["text"] = text,
        }),
    };

    public static JsonObject Document(string uri) => new() { ["textDocument"] = new JsonObject { ["uri"] = uri } };

    public static JsonObject At(string uri, (int Line, int Character) position) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = uri },
        ["position"] = Position(position),
    };

    public static JsonObject Position((int Line, int Character) p) => new() { ["line"] = p.Line, ["character"] = p.Character };

    public static JsonObject Range((int Line, int Character) start, (int Line, int Character) end) => new() { ["start"] = Position(start), ["end"] = Position(end) };

    /// <summary>Where the <paramref name="nth"/> occurrence of <paramref name="word"/> starts in <paramref name="text"/>, plus <paramref name="offset"/> characters.</summary>
    public static (int Line, int Character) Find(string text, string word, int nth = 0, int offset = 0)
    {
        var index = -1;
        for (var i = 0; i <= nth; i++)
        {
            index = text.IndexOf(word, index + 1, StringComparison.Ordinal);
            if (index < 0) throw new ArgumentException("'" + word + "' occurs fewer than " + (nth + 1) + " times");
        }
        index += offset;
        var line = text.Take(index).Count(c => c == '\n');
        var lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        if (index == 0) lineStart = 0;
        return (line, index - lineStart);
    }

    /// <summary>Applies LSP text edits to <paramref name="text"/> (LF line breaks).</summary>
    public static string Apply(string text, JsonArray edits)
    {
        var lines = text.Split('\n');
        int Offset(JsonNode position) => lines.Take((int)position["line"]!).Sum(l => l.Length + 1) + (int)position["character"]!;
        foreach (var edit in edits.OrderByDescending(e => Offset(e!["range"]!["start"]!)))
        {
            var start = Offset(edit!["range"]!["start"]!);
            var end = Offset(edit["range"]!["end"]!);
            text = text[..start] + (string)edit["newText"]! + text[end..];
        }
        return text;
    }
}
