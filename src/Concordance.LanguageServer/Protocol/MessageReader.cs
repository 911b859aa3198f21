using System.Text;

namespace Concordance.LanguageServer.Protocol;

/// <summary>One frame read from the client: a body, a framing problem to answer with a parse error, or the end of input.</summary>
internal readonly record struct Frame(byte[]? Body, string? Error)
{
    public static Frame End => default;

    public bool IsEnd => Body is null && Error is null;
}

/// <summary>
/// Reads LSP's base protocol: header lines (<c>Content-Length: N</c>), an empty line, then N bytes of JSON. Malformed
/// headers give an error frame and reading goes on: a line holding <c>Content-Length:</c> after junk (a body whose
/// length was wrong, garbage bytes) starts the next header block, so one bad message does not lose the connection.
/// </summary>
internal sealed class MessageReader
{
    /// <summary>The largest body accepted; a bigger Content-Length is refused and its bytes read as junk.</summary>
    public const int MaxBodyBytes = 64 * 1024 * 1024;

    private const int MaxHeaderLineBytes = 16 * 1024;
    private static readonly byte[] ContentLengthHeader = Encoding.ASCII.GetBytes("content-length:");

    private readonly Stream _input;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public MessageReader(Stream input) => _input = input;

    public async Task<Frame> ReadAsync(CancellationToken cancellationToken)
    {
        long? length = null;
        string? error = null;
        var sawHeader = false;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null) return Frame.End;
            if (line.Length == 0)
            {
                if (!sawHeader) continue; // blank lines between messages are harmless
                break;
            }

            // Junk before a header (the rest of a body longer than announced, stray bytes): resume at the header.
            var at = IndexOf(line, ContentLengthHeader);
            if (at > 0)
            {
                // Skipped silently: the message that left them (over-long, or with a wrong length) already got its error.
                line = line.AsSpan(at).ToArray();
                if (!sawHeader) error = null;
            }
            sawHeader = true;
            var text = Encoding.ASCII.GetString(line);
            var colon = text.IndexOf(':');
            if (colon <= 0)
            {
                error ??= "Malformed header line (expected 'Name: value'): '" + Shorten(text) + "'.";
                continue;
            }
            var name = text.Substring(0, colon).Trim();
            var value = text.Substring(colon + 1).Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)) length = parsed;
                else error ??= "Content-Length is not a non-negative number: '" + Shorten(value) + "'.";
            }
        }

        if (length is not { } n) return new Frame(null, error ?? "The header block has no Content-Length.");
        if (n > MaxBodyBytes) return new Frame(null, "Content-Length " + n + " is over the server's limit of " + MaxBodyBytes + " bytes.");
        var body = new byte[n];
        if (!await ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false)) return Frame.End;
        return error is null ? new Frame(body, null) : new Frame(null, error);
    }

    /// <summary>A line without its terminator (<c>\r\n</c> or <c>\n</c>); null at the end of input.</summary>
    private async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
    {
        using var line = new MemoryStream();
        var overlong = false;
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return line.Length == 0 && !overlong ? null : Trim(line.ToArray());
            }
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            if (line.Length + (stop - _start) <= MaxHeaderLineBytes) line.Write(_buffer, _start, stop - _start);
            else
            {
                // Keep the tail only: a header may follow junk on the same line.
                overlong = true;
                line.SetLength(0);
                var keep = Math.Min(stop - _start, 256);
                line.Write(_buffer, stop - keep, keep);
            }
            _start = stop;
            if (newline >= 0)
            {
                _start = newline + 1;
                return Trim(line.ToArray());
            }
        }
    }

    private static byte[] Trim(byte[] line) => line.Length > 0 && line[^1] == '\r' ? line.AsSpan(0, line.Length - 1).ToArray() : line;

    private async Task<bool> ReadExactlyAsync(byte[] target, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < target.Length)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false)) return false;
            var count = Math.Min(_end - _start, target.Length - filled);
            Buffer.BlockCopy(_buffer, _start, target, filled, count);
            _start += count;
            filled += count;
        }
        return true;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = 0;
        int read;
        try
        {
            read = await _input.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        _end = read;
        return read > 0;
    }

    private static int IndexOf(byte[] line, byte[] lowerCaseNeedle)
    {
        for (var i = 0; i + lowerCaseNeedle.Length <= line.Length; i++)
        {
            var match = true;
            for (var k = 0; k < lowerCaseNeedle.Length && match; k++)
            {
                var b = line[i + k];
                if (b >= 'A' && b <= 'Z') b = (byte)(b + 32);
                match = b == lowerCaseNeedle[k];
            }
            if (match) return i;
        }
        return -1;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 77) + "...";
}
