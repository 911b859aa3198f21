using System.Text;
using System.Text.RegularExpressions;

namespace Concordance.Schema.Tests.Mutations;

/// <summary>
/// Produces broken variants of a schema text, deterministically from a seed, for robustness
/// tests of every layer that reads schemas (parser, checker, generator, analyzer): deleted,
/// duplicated, swapped and replaced tokens, truncations, random bytes, huge identifiers and deep
/// nesting. Same seed and source, same sequence of variants.
/// </summary>
public sealed class SchemaMutator
{
    private static readonly Regex TokenPattern = new(@"[\p{L}_][\p{L}\p{Nd}_]*|\d+|->|///[^\n]*|//[^\n]*|/\*|\*/|\S", RegexOptions.Compiled);

    private static readonly string[] Interesting =
    {
        "namespace", "command", "event", "record", "enum", "aggregate", "projector", "process", "gateway", "upcast",
        "key", "state", "handle", "on", "start", "end", "send", "emit", "v1", "v2", "v0", "v99999999999",
        "list", "map", "string", "decimal", "int", "?", "??", "<", ">", "{", "}", ",", ":", ";", "->", ".",
        "/*", "*/", "///", "//", "class", "\n", "\r\n", "\t", "\0", "\uFFFF", "\uD800", "é", "0", "-", "/",
    };

    private readonly Random _random;

    /// <summary>Creates a mutator; the same <paramref name="seed"/> gives the same variants.</summary>
    public SchemaMutator(int seed) => _random = new Random(seed);

    /// <summary>The kinds of mutation <see cref="Mutate"/> chooses from.</summary>
    public enum Kind
    {
        DeleteToken, DuplicateToken, SwapTokens, ReplaceToken, InsertInteresting, Truncate,
        InsertRandomBytes, DeleteRange, HugeIdentifier, DeepAngleNesting, DeepBraceNesting, DuplicateRange,
    }

    private static readonly Kind[] Light =
    {
        Kind.DeleteToken, Kind.DuplicateToken, Kind.SwapTokens, Kind.ReplaceToken, Kind.InsertInteresting,
        Kind.Truncate, Kind.InsertRandomBytes, Kind.DeleteRange, Kind.DuplicateRange,
    };

    private static readonly Kind[] Heavy = { Kind.HugeIdentifier, Kind.DeepAngleNesting, Kind.DeepBraceNesting };

    /// <summary>
    /// One random mutation of <paramref name="source"/>, sometimes several stacked. The heavy ones
    /// (100k-character identifiers, 10k-deep nesting) come in one variant out of 40, last, so a
    /// corpus of thousands stays quick to process.
    /// </summary>
    public string Mutate(string source)
    {
        var text = source;
        var rounds = _random.Next(10) == 0 ? 2 + _random.Next(4) : 1;
        for (var i = 0; i < rounds; i++)
        {
            text = Apply(Light[_random.Next(Light.Length)], text);
        }
        if (_random.Next(40) == 0) text = Apply(Heavy[_random.Next(Heavy.Length)], text);
        return text;
    }

    /// <summary>Applies one mutation of the given kind at a random place.</summary>
    public string Apply(Kind kind, string text)
    {
        var tokens = TokenPattern.Matches(text);
        Match? Pick() => tokens.Count == 0 ? null : tokens[_random.Next(tokens.Count)];
        var at = text.Length == 0 ? 0 : _random.Next(text.Length + 1);
        switch (kind)
        {
            case Kind.DeleteToken when Pick() is { } m:
                return text.Remove(m.Index, m.Length);
            case Kind.DuplicateToken when Pick() is { } m:
                return text.Insert(m.Index + m.Length, (_random.Next(2) == 0 ? " " : "") + m.Value);
            case Kind.SwapTokens when tokens.Count > 1:
            {
                var i = _random.Next(tokens.Count - 1);
                var j = _random.Next(3) == 0 ? _random.Next(i + 1, tokens.Count) : i + 1;
                var a = tokens[i];
                var b = tokens[j];
                return text.Substring(0, a.Index) + b.Value + text.Substring(a.Index + a.Length, b.Index - a.Index - a.Length) + a.Value + text.Substring(b.Index + b.Length);
            }
            case Kind.ReplaceToken when Pick() is { } m:
                return text.Substring(0, m.Index) + Interesting[_random.Next(Interesting.Length)] + text.Substring(m.Index + m.Length);
            case Kind.InsertInteresting:
                return text.Insert(at, Interesting[_random.Next(Interesting.Length)]);
            case Kind.Truncate:
                return text.Substring(0, at);
            case Kind.InsertRandomBytes:
            {
                var sb = new StringBuilder();
                var n = 1 + _random.Next(16);
                for (var i = 0; i < n; i++) sb.Append((char)_random.Next(_random.Next(4) == 0 ? 0x10000 : 0x80));
                return text.Insert(at, sb.ToString());
            }
            case Kind.DeleteRange:
            {
                var length = Math.Min(text.Length - at, _random.Next(200));
                return text.Remove(at, length);
            }
            case Kind.HugeIdentifier:
                return text.Insert(at, new string((char)('a' + _random.Next(26)), 100_000));
            case Kind.DeepAngleNesting:
                return text.Insert(at, Repeat(_random.Next(2) == 0 ? "list<" : "map<string, ", 10_000) + (_random.Next(2) == 0 ? new string('>', 10_000) : ""));
            case Kind.DeepBraceNesting:
                return text.Insert(at, Repeat("{", 10_000) + (_random.Next(2) == 0 ? Repeat("}", 10_000) : ""));
            case Kind.DuplicateRange:
            {
                var length = Math.Min(text.Length - at, _random.Next(400));
                return text.Insert(_random.Next(text.Length + 1), text.Substring(at, length));
            }
            default:
                return text;
        }
    }

    /// <summary>Every prefix of <paramref name="source"/> whose length is a multiple of <paramref name="step"/>, plus the empty text.</summary>
    public static IEnumerable<string> Truncations(string source, int step)
    {
        for (var length = 0; length < source.Length; length += step) yield return source.Substring(0, length);
    }

    /// <summary><paramref name="count"/> mutated variants of <paramref name="source"/>, deterministic for a <paramref name="seed"/>.</summary>
    public static IEnumerable<string> Variants(string source, int count, int seed)
    {
        var mutator = new SchemaMutator(seed);
        for (var i = 0; i < count; i++) yield return mutator.Mutate(source);
    }

    /// <summary>
    /// Names a schema may use that C# or .NET reject once generated, or that are close to it: members records have or
    /// generated code calls, names of generated types, C# keywords, names at and over the metadata limit, and ordinary
    /// names generated code also uses (<c>Value</c>, <c>Handle</c>, <c>System</c>).
    /// </summary>
    public static readonly string[] RiskyNames =
    {
        "clone", "Clone", "referenceEquals", "equalityContract", "printMembers", "deconstruct", "toString", "getHashCode",
        "equals", "getType", "memberwiseClone", "finalize", "upcast", "value__",
        "BankAccountAggregateBase", "BankAccountState", "CreateAccountDecision", "InterbankTransferOutcome", "InterbankTransferState",
        "AccountCreatedJsonConverter", "AccountCreatedV1", "BankSchema", "WireNetworkGatewayBase", "AccountLedgerProjectorBase",
        "Value", "value", "Handle", "Apply", "Emit", "Reject", "Event", "Command", "Continue", "Complete", "Name", "Type",
        "System", "Concordance", "Bank", "Microsoft", "Task", "String", "Object", "_x", "x1", "é", "Ünïcode",
        "class", "event", "record", "string", "Testing", "BankAccountScenario",
        "L" + new string('x', 499), "L" + new string('x', 989), "L" + new string('x', 990), "L" + new string('x', 1005),
        "L" + new string('x', 1022), "L" + new string('x', 1999), "Lé" + new string('é', 600),
    };

    private static readonly HashSet<string> LanguageWords = new(StringComparer.Ordinal)
    {
        "namespace", "command", "event", "record", "enum", "aggregate", "projector", "process", "gateway", "upcast",
        "key", "state", "handle", "on", "start", "end", "send", "emit", "fallback", "list", "map",
        "string", "bool", "int", "long", "decimal", "double", "guid", "timestamp", "date", "duration", "bytes",
    };

    /// <summary>
    /// <paramref name="source"/> with one to three of its names (declarations, fields, namespace parts) replaced, every
    /// occurrence, by one of <see cref="RiskyNames"/>: references stay consistent, so many variants are valid schemas.
    /// </summary>
    public string Rename(string source)
    {
        var names = Regex.Matches(source, @"(?<![\w/])[\p{L}_][\p{L}\p{Nd}_]*").Cast<Match>()
            .Select(m => m.Value).Where(n => !LanguageWords.Contains(n) && !Regex.IsMatch(n, @"^v\d+$")).Distinct().ToList();
        var text = source;
        for (var i = 1 + _random.Next(3); i > 0 && names.Count > 0; i--)
        {
            var name = names[_random.Next(names.Count)];
            text = Regex.Replace(text, @"(?<![\w/])" + Regex.Escape(name) + @"(?!\w)", RiskyNames[_random.Next(RiskyNames.Length)].Replace("$", "$$"));
        }
        return text;
    }

    private static string Repeat(string s, int times) => new StringBuilder(s.Length * times).Insert(0, s, times).ToString();
}
