using System.Security.Cryptography;
using System.Text;

namespace Concordance;

/// <summary>
/// Ids derived from what caused a message (component, triggering event id, index…), so that processing the same
/// event again produces the same ids and the stores' id checks make the repeat a no-op.
/// </summary>
internal static class DeterministicId
{
    /// <summary>32 hex digits of the SHA-256 of <paramref name="parts"/> (separated by a unit separator, so parts cannot run together).</summary>
    public static string Create(params ReadOnlySpan<string> parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts) text.Append(part).Append('\u001f');
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>Like <see cref="Create(ReadOnlySpan{string})"/>, also covering <paramref name="data"/> (a message's JSON).</summary>
    public static string Create(ReadOnlySpan<byte> data, params ReadOnlySpan<string> parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(part));
            sha.AppendData([0x1f]);
        }
        sha.AppendData(data);
        return Convert.ToHexStringLower(sha.GetHashAndReset().AsSpan(0, 16));
    }
}
