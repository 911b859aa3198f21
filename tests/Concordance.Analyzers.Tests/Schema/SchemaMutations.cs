using System.Text;

namespace Concordance.Analyzers.Tests.Schema;

/// <summary>
/// Deterministic damage to a valid schema: deleted, inserted, duplicated and swapped pieces,
/// truncation, odd characters and line endings — the inputs an editor produces mid-typing.
/// </summary>
internal static class SchemaMutations
{
    private static readonly string[] Fragments =
    [
        "{", "}", "<", ">", ",", ":", "?", "??", "->", ";", "///", "//", "/*", "\"", "'", "v", "v0", "v2", "v99999999999",
        "namespace", "command", "event", "record", "enum", "aggregate", "projector", "process", "gateway", "upcast",
        "key", "state", "handle", "on", "start on", "end on", "send", "emit", "map<", "list<", "map<int, string>",
        "string", "decimal", "FundsReserved", "BankAccount", "accountNumber", "class", "\r", "\n", "\r\n", "\t",
        "\0", "\u2028", "\u0085", "\uFEFF", "é", "名前", "😀", "\uD800", " ",
    ];

    /// <summary><paramref name="count"/> mutants of <paramref name="schema"/>, the same for the same seed.</summary>
    public static IEnumerable<string> Generate(string schema, int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var text = schema;
            var operations = 1 + random.Next(4);
            for (var j = 0; j < operations; j++) text = Mutate(text, random);
            yield return text;
        }
    }

    private static string Mutate(string text, Random random)
    {
        var position = text.Length == 0 ? 0 : random.Next(text.Length + 1);
        switch (random.Next(8))
        {
            case 0: // delete a run of characters
                return text.Remove(position, Math.Min(random.Next(1, 40), text.Length - position));
            case 1: // insert a token or an odd character
            case 2:
                return text.Insert(position, Fragments[random.Next(Fragments.Length)]);
            case 3: // duplicate a line (duplicate names, repeated clauses)
            {
                var lines = text.Split('\n').ToList();
                var line = random.Next(lines.Count);
                lines.Insert(line, lines[line]);
                return string.Join('\n', lines);
            }
            case 4: // swap two lines
            {
                var lines = text.Split('\n');
                var (a, b) = (random.Next(lines.Length), random.Next(lines.Length));
                (lines[a], lines[b]) = (lines[b], lines[a]);
                return string.Join('\n', lines);
            }
            case 5: // truncate
                return text[..position];
            case 6: // rename an identifier-ish word to another one from the file
            {
                var words = text.Split([' ', '\n', ',', '{', '}', ':'], StringSplitOptions.RemoveEmptyEntries);
                if (words.Length < 2) return text;
                var from = words[random.Next(words.Length)];
                var to = words[random.Next(words.Length)];
                var index = text.IndexOf(from, StringComparison.Ordinal);
                return index < 0 ? text : text.Remove(index, from.Length).Insert(index, to);
            }
            default: // random printable noise
            {
                var noise = new StringBuilder();
                for (var k = random.Next(1, 10); k > 0; k--) noise.Append((char)random.Next(32, 127));
                return text.Insert(position, noise.ToString());
            }
        }
    }
}
