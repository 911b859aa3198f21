using System.Text;

namespace Concordance.Nats;

/// <summary>
/// Encodes any string into one NATS subject token that is also a valid KV key part: ASCII letters, digits,
/// <c>_</c> and <c>-</c> stay as they are; every other UTF-8 byte (including <c>.</c>, <c>*</c>, <c>&gt;</c>,
/// spaces and <c>=</c> itself) becomes <c>=XX</c>. The empty string is <c>=</c>, which no other input yields.
/// Injective, so two stream ids never share a subject.
/// </summary>
internal static class SubjectToken
{
    public static string Encode(string value)
    {
        if (value.Length == 0) return "=";
        var plain = true;
        foreach (var c in value)
        {
            if (!IsPlain(c)) { plain = false; break; }
        }
        if (plain) return value;
        var builder = new StringBuilder(value.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b < 128 && IsPlain((char)b)) builder.Append((char)b);
            else builder.Append('=').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    public static string Decode(string token)
    {
        if (token == "=") return "";
        if (!token.Contains('=')) return token;
        var bytes = new List<byte>(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '=')
            {
                bytes.Add(Convert.ToByte(token.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.Add((byte)token[i]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
