using System.Diagnostics;
using System.Globalization;
using Concordance.Storage;
using Spectre.Console;

namespace Concordance.Hosting.Commands;

/// <summary>Where <c>events</c> writes the events it streams.</summary>
internal interface IEventSink
{
    void Write(StoredEvent stored);

    void Flush();
}

/// <summary>JSON lines, written as UTF-8 bytes to the raw output (or through the text writer when there is none).</summary>
internal sealed class JsonEventSink : IEventSink
{
    private readonly EventJsonLines.LineWriter _lines;
    private readonly Stream _stream;

    public JsonEventSink(Stream stream)
    {
        _stream = stream;
        _lines = new EventJsonLines.LineWriter(stream);
    }

    public JsonEventSink(CommandConsole console)
        : this(console.RawOutput ?? new TextWriterStream(console.Out.Profile.Out.Writer))
    {
        // Whatever the console buffered goes out before the bytes.
        console.Out.Profile.Out.Writer.Flush();
    }

    public void Write(StoredEvent stored) => _lines.Write(stored);

    public void Flush()
    {
        _lines.Flush();
        _stream.Flush();
    }

    /// <summary>A write-only stream over a text writer, for a console without a byte stream (tests, a host's own writer).</summary>
    private sealed class TextWriterStream(TextWriter writer) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => writer.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => writer.Write(System.Text.Encoding.UTF8.GetString(buffer));
    }
}

/// <summary>
/// One line per event in aligned columns: position, stream, version, type, time. Written as the events come (a table
/// would have to see every row first to size its columns), so a long log or <c>--follow</c> streams.
/// </summary>
internal sealed class TableEventSink(CommandConsole console) : IEventSink
{
    private readonly TextWriter _writer = console.Out.Profile.Out.Writer;
    private bool _headerWritten;

    public void Write(StoredEvent stored)
    {
        if (!_headerWritten)
        {
            _writer.WriteLine(Row("POSITION", "STREAM", "VERSION", "TYPE", "TIME"));
            _headerWritten = true;
        }
        var type = stored.Problem is null ? stored.Type : $"{(stored.Type.Length == 0 ? "?" : stored.Type)} (unreadable: {stored.Problem})";
        _writer.WriteLine(Row(
            stored.Position.ToString(CultureInfo.InvariantCulture),
            stored.Stream.ToString(),
            stored.Version.ToString(CultureInfo.InvariantCulture),
            type,
            stored.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)));
    }

    private static string Row(string position, string stream, string version, string type, string time) =>
        $"{position,8}  {stream,-36}  {version,7}  {type,-36}  {time}";

    public void Flush()
    {
        if (!_headerWritten) _writer.WriteLine("(no events)");
        _headerWritten = true;
        _writer.Flush();
    }
}

/// <summary>
/// Counts what passes through to another sink and, on a terminal, shows a progress bar (rate and time left) on standard
/// output, updated from a timer so it moves at least once a second however long a page takes.
/// </summary>
internal sealed class ProgressSink(IEventSink inner, CommandConsole console, string description, long total) : IEventSink
{
    private long _count;
    private long _position;

    public void Write(StoredEvent stored)
    {
        inner.Write(stored);
        Interlocked.Increment(ref _count);
        Volatile.Write(ref _position, stored.Position);
    }

    public void Flush() => inner.Flush();

    public async Task<long> RunAsync(Func<Task<long>> work)
    {
        if (!console.IsTerminal || total <= 0) return await work().ConfigureAwait(false);
        long result = 0;
        await ProgressDisplay.RunAsync(console, description, () => total, () => Volatile.Read(ref _position), async () => result = await work().ConfigureAwait(false)).ConfigureAwait(false);
        return result;
    }
}

/// <summary>A Spectre.Console progress bar over work whose position a function reads; refreshed from a timer.</summary>
internal static class ProgressDisplay
{
    /// <summary>How often the bar moves: more than once a second, as a progress display should.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    public static Task RunAsync(CommandConsole console, string description, Func<long> total, Func<long> position, Func<Task> work)
    {
        var progress = console.Out.Progress();
        progress.RefreshRate = Refresh;
        return progress
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: Math.Max(1, total()));
                var running = work();
                while (await Task.WhenAny(running, Task.Delay(Refresh)).ConfigureAwait(false) != running)
                {
                    task.MaxValue = Math.Max(1, total());
                    task.Value = Math.Min(position(), task.MaxValue);
                }
                await running.ConfigureAwait(false);
                task.Value = task.MaxValue;
            });
    }

    /// <summary>A plain progress line for redirected output: position, share, rate and time left.</summary>
    public static string Line(string description, long position, long total, long count, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? count / elapsed.TotalSeconds : 0;
        var share = total > 0 ? Math.Clamp((double)position / total, 0, 1) : 1;
        var left = rate > 0 && share < 1 && position > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - share) / share) : TimeSpan.Zero;
        return string.Create(CultureInfo.InvariantCulture,
            $"{description}: position {position:N0} of {total:N0} ({share:P0}), {count:N0} event(s), {rate:N0} events/s, {left:hh\\:mm\\:ss} left");
    }

    /// <summary>Elapsed time since <paramref name="start"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static TimeSpan Since(long start) => Stopwatch.GetElapsedTime(start);
}
