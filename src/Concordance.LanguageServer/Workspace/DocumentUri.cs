namespace Concordance.LanguageServer.Workspace;

/// <summary>Converts between LSP document URIs (<c>file:///home/me/Bank.concordance</c>) and file-system paths.</summary>
internal static class DocumentUri
{
    /// <summary>The local path of a <c>file:</c> URI; for any other scheme, the URI itself (an untitled buffer still gets analysed).</summary>
    public static string ToPath(string uri)
    {
        if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile)
        {
            return Normalize(parsed.LocalPath);
        }
        return uri;
    }

    /// <summary>The <c>file:</c> URI of a local path, spelled as VS Code spells it.</summary>
    public static string FromPath(string path) => new Uri(path).AbsoluteUri;

    /// <summary>One spelling per file: full path, forward slashes on Windows kept as the OS returns them.</summary>
    public static string Normalize(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }
}
