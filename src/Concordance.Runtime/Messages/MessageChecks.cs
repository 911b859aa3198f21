using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Concordance;

/// <summary>
/// The limits every stored message keeps, so that whatever is written can be read back: the reader applies the same
/// ones. A value outside them is refused when it is written (an <see cref="InvalidMessageException"/>), never found
/// unreadable later.
/// </summary>
public static class MessageLimits
{
    /// <summary>
    /// How deep JSON objects and arrays may nest in a message, a process state or a snapshot: 64, System.Text.Json's
    /// default for readers. The writer and the reader both use it; a message nested deeper is refused at write time.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Writer options with <see cref="MaxDepth"/>.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Reader options with <see cref="MaxDepth"/>.</summary>
    internal static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };
}

/// <summary>
/// A message (or a key or id that goes with it) that could be written but never read back: a required field that is
/// null, text that is not valid UTF-16 (a lone surrogate), a number JSON cannot hold, nesting deeper than
/// <see cref="MessageLimits.MaxDepth"/>. Nothing was stored.
/// </summary>
public sealed class InvalidMessageException : ArgumentException
{
    /// <summary>Creates the exception for the value at <paramref name="path"/> (e.g. <c>Bank.AccountCreated.customerId</c>).</summary>
    /// <param name="path">The message type and field, in schema names.</param>
    /// <param name="problem">What is wrong with it, e.g. "must not be null".</param>
    /// <param name="innerException">The writer's own error, if any.</param>
    public InvalidMessageException(string path, string problem, Exception? innerException = null)
        : base($"{path} {problem}; nothing was stored.", innerException)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The message type and field, in schema names (e.g. <c>Bank.Order.lines[].sku</c>), or what the value is (e.g. <c>command id</c>).</summary>
    public string Path { get; }

    /// <summary>What is wrong with the value.</summary>
    public string Problem { get; }
}

/// <summary>
/// The write-time checks of generated JSON writers: each returns its value when it can be read back, and throws an
/// <see cref="InvalidMessageException"/> naming <c>path</c> when it cannot. Called by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MessageChecks
{
    /// <summary>A required reference: not null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Required<T>(T? value, string path) where T : class => value ?? throw Null(path);

    /// <summary>Required text: not null, and valid UTF-16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string Text(string? value, string path)
    {
        if (value is null) throw Null(path);
        if (HasSurrogate(value)) CheckSurrogates(value, path);
        return value;
    }

    /// <summary>A double JSON can hold: not NaN nor infinite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Finite(double value, string path) =>
        double.IsFinite(value) ? value : throw new InvalidMessageException(path, $"is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}, which JSON cannot hold");

    /// <summary>Checks a key that names stored data (a stream key, a read-model key): not null, valid UTF-16.</summary>
    /// <exception cref="InvalidMessageException">It is null or holds a lone surrogate.</exception>
    public static string Identity(string? value, string what) => Text(value, what);

    /// <summary>
    /// Checks an id that travels in message headers (a command id, a correlation id): an <see cref="Identity"/> without
    /// line breaks, which a header cannot hold (NATS refuses them; SQLite would store them: the same rule everywhere).
    /// </summary>
    /// <exception cref="InvalidMessageException">It is null, holds a lone surrogate, or holds a carriage return or line feed.</exception>
    public static string HeaderId(string? value, string what)
    {
        var text = Text(value, what);
        var at = text.AsSpan().IndexOfAny('\r', '\n');
        return at < 0 ? text : throw new InvalidMessageException(what, $"holds a line break (U+{(int)text[at]:X4} at index {at}), which a message header cannot carry");
    }

    /// <summary>
    /// Whether <paramref name="value"/> holds any UTF-16 surrogate: four chars at a time as one 64-bit word (a lane is a
    /// surrogate when its top five bits are 11011), the few left one by one. Most text has none, and most text is
    /// short, where this costs less than a call into the vectorised span search.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasSurrogate(string value)
    {
        const ulong Mask = 0xF800_F800_F800_F800, Surrogate = 0xD800_D800_D800_D800, Ones = 0x0001_0001_0001_0001, Highs = 0x8000_8000_8000_8000;
        ref var first = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(value.AsSpan()));
        var found = 0UL;
        var i = 0;
        for (; i + 4 <= value.Length; i += 4)
        {
            // A lane equal to zero after the mask and xor is a surrogate; the classic zero-lane test finds it.
            var lanes = (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, i * 2)) & Mask) ^ Surrogate;
            found |= (lanes - Ones) & ~lanes & Highs;
        }
        for (; i < value.Length; i++) found |= (value[i] & 0xF800) == 0xD800 ? 1UL : 0UL;
        return found != 0;
    }

    private static InvalidMessageException Null(string path) => new(path, "must not be null (the field is required)");

    /// <summary>The refusal of a null required field at <paramref name="path"/>.</summary>
    internal static InvalidMessageException NullField(string path) => Null(path);

    private static void CheckSurrogates(string value, string path)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            // Stored as UTF-8 it would become U+FFFD: two different strings would read back as one.
            throw new InvalidMessageException(path, $"holds a lone surrogate (U+{(int)c:X4} at index {i}), which is not valid UTF-16 and cannot be stored as UTF-8");
        }
    }
}
