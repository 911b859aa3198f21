using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Concordance;

/// <summary>
/// The ids the bus makes for commands sent without one: UUID version 7 (RFC 9562: 48 bits of Unix milliseconds, then 74
/// random bits), as 32 lower-case hex digits, like <c>Guid.CreateVersion7(now).ToString("N")</c>.
/// </summary>
/// <remarks>
/// The random bits come from the cryptographic generator, as <c>Guid.NewGuid</c>'s do (a made id must not be guessable:
/// whoever could send a command under it first would have the bus answer the real one as a repeat), but drawn a few
/// hundred ids at a time into a buffer per thread instead of one system call per id.
/// </remarks>
internal static class CommandIds
{
    private const int RandomBytesPerId = 10;
    private const int IdsPerRefill = 256;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    public static string NewVersion7(DateTimeOffset now)
    {
        var random = t_random ??= new byte[RandomBytesPerId * IdsPerRefill];
        if (t_used == 0 || t_used + RandomBytesPerId > random.Length)
        {
            RandomNumberGenerator.Fill(random);
            t_used = 0;
        }
        var bits = random.AsSpan(t_used, RandomBytesPerId);
        t_used += RandomBytesPerId;
        Span<byte> uuid = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(uuid, now.ToUnixTimeMilliseconds() << 16);
        uuid[6] = (byte)(0x70 | (bits[0] & 0x0F));
        uuid[7] = bits[1];
        uuid[8] = (byte)(0x80 | (bits[2] & 0x3F));
        bits[3..].CopyTo(uuid[9..]);
        // Used bytes are cleared: nothing left in the buffer tells an id's randomness.
        bits.Clear();
        return Convert.ToHexStringLower(uuid);
    }
}
