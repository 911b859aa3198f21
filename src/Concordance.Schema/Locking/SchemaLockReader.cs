using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Locking;

/// <summary>What <see cref="SchemaLockReader.Read"/> found.</summary>
/// <param name="Lock">The lock; null when the text has any error, so nothing is compared against half a lock.</param>
/// <param name="Diagnostics">CC0024 errors with spans into the lock text; empty when it reads cleanly.</param>
/// <param name="Lines">Maps offsets of the lock text to lines and columns.</param>
public sealed record SchemaLockReadResult(SchemaLock? Lock, IReadOnlyList<SchemaDiagnostic> Diagnostics, LineMap Lines);

/// <summary>Reads the text of a <c>.concordance.lock</c> file, as <see cref="SchemaLockWriter"/> writes it.</summary>
public static class SchemaLockReader
{
    /// <summary>
    /// Reads <paramref name="text"/>. Never throws: every line that is not part of the format gives
    /// a CC0024 error at its place, and reading goes on to report the others.
    /// </summary>
    /// <param name="text">The lock file's contents.</param>
    public static SchemaLockReadResult Read(string text)
    {
        text ??= string.Empty;
        var reader = new Reading(text);
        reader.Run();
        return new SchemaLockReadResult(reader.Diagnostics.Count == 0 ? reader.Result() : null, reader.Diagnostics, new LineMap(text));
    }

    private sealed class Reading(string text)
    {
        private readonly List<LockedEvent> _events = new();
        private readonly List<LockedRecord> _records = new();
        private readonly List<LockedEnum> _enums = new();
        private readonly List<LockedUpcast> _upcasts = new();
        private string? _namespace;
        private bool _sawFormat;
        private bool _sawDeclaration;

        // The block the indented lines belong to: the fields of an event or record, or an enum's members.
        private List<LockedField>? _fields;
        private List<string>? _members;
        private string? _fallback;
        private string? _enumName;

        public List<SchemaDiagnostic> Diagnostics { get; } = new();

        public SchemaLock Result()
        {
            CloseEnum();
            return new SchemaLock(
                _namespace,
                _events.OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.Version).ToList(),
                _records.OrderBy(r => r.Name, StringComparer.Ordinal).ToList(),
                _enums.OrderBy(e => e.Name, StringComparer.Ordinal).ToList(),
                _upcasts.OrderBy(u => u.Event, StringComparer.Ordinal).ThenBy(u => u.From).ThenBy(u => u.To).ToList());
        }

        public void Run()
        {
            // A byte order mark left by an editor is not part of the first line.
            var start = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
            while (start <= text.Length)
            {
                var end = text.IndexOf('\n', start);
                if (end < 0) end = text.Length;
                var length = end - start;
                if (length > 0 && text[end - 1] == '\r') length--;
                Line(start, text.Substring(start, length));
                if (!_sawFormat && Diagnostics.Count > 0) return;
                start = end + 1;
            }
            if (!_sawFormat) Error(new SourceSpan(0, 0), $"The file is empty: a lock starts with '{SchemaLockSyntax.FormatKeyword} {SchemaLock.FormatVersion}'. Recreate it with: dotnet build -p:ConcordanceUpdateLock=true");
        }

        private void Line(int offset, string line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#') return;
            var span = new SourceSpan(offset + line.IndexOf(trimmed, StringComparison.Ordinal), trimmed.Length);
            if (!_sawFormat)
            {
                Format(trimmed, span);
                return;
            }
            if (char.IsWhiteSpace(line[0])) Member(trimmed, span);
            else Declaration(trimmed, span);
        }

        private void Format(string line, SourceSpan span)
        {
            var words = Words(line);
            if (words.Length != 2 || words[0] != SchemaLockSyntax.FormatKeyword || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                Error(span, $"This is not a Concordance lock: its first line must be '{SchemaLockSyntax.FormatKeyword} {SchemaLock.FormatVersion}'. Recreate it with: dotnet build -p:ConcordanceUpdateLock=true");
                return;
            }
            if (version != SchemaLock.FormatVersion)
            {
                Error(span, $"The lock is in format {version}; this version of Concordance reads format {SchemaLock.FormatVersion}. Use the Concordance version that wrote it, or a newer one.");
                return;
            }
            _sawFormat = true;
        }

        private void Declaration(string line, SourceSpan span)
        {
            CloseEnum();
            _fields = null;
            var words = Words(line);
            switch (words[0])
            {
                case SchemaLockSyntax.NamespaceKeyword when words.Length == 2 && IsDottedName(words[1]):
                    if (_namespace is not null || _sawDeclaration) Error(span, "The namespace must be given once, before the first declaration.");
                    else _namespace = words[1];
                    return;
                case SchemaLockSyntax.EventKeyword when words.Length == 3 && IsName(words[1]) && Version(words[2]) is int version:
                    _sawDeclaration = true;
                    if (_events.Any(e => e.Name == words[1] && e.Version == version)) Error(span, $"Event '{words[1]}' v{version} is listed twice.");
                    _fields = new List<LockedField>();
                    _events.Add(new LockedEvent(words[1], version, _fields));
                    return;
                case SchemaLockSyntax.RecordKeyword when words.Length == 2 && IsName(words[1]):
                    _sawDeclaration = true;
                    if (_records.Any(r => r.Name == words[1])) Error(span, $"Record '{words[1]}' is listed twice.");
                    _fields = new List<LockedField>();
                    _records.Add(new LockedRecord(words[1], _fields));
                    return;
                case SchemaLockSyntax.EnumKeyword when words.Length == 2 && IsName(words[1]):
                    _sawDeclaration = true;
                    if (_enums.Any(e => e.Name == words[1])) Error(span, $"Enum '{words[1]}' is listed twice.");
                    _enumName = words[1];
                    _members = new List<string>();
                    _fallback = null;
                    return;
                case SchemaLockSyntax.UpcastKeyword when words.Length == 5 && IsName(words[1]) && Version(words[2]) is int from && words[3] == "->" && Version(words[4]) is int to:
                    _sawDeclaration = true;
                    _upcasts.Add(new LockedUpcast(words[1], from, to));
                    return;
                default:
                    Error(span, "Expected a declaration: 'namespace N', 'event Name vN', 'record Name', 'enum Name' or 'upcast Name vA -> vB'.");
                    return;
            }
        }

        private void Member(string line, SourceSpan span)
        {
            if (_members is not null)
            {
                var words = Words(line);
                var isFallback = words.Length == 2 && words[0] == SchemaLockSyntax.FallbackKeyword;
                var name = isFallback ? words[1] : words[0];
                if ((words.Length != 1 && !isFallback) || !IsName(name)) Error(span, $"Expected an enum member ('Name' or 'fallback Name') of enum '{_enumName}'.");
                else if (_members.Contains(name)) Error(span, $"Member '{name}' of enum '{_enumName}' is listed twice.");
                else if (isFallback && _fallback is not null) Error(span, $"Enum '{_enumName}' lists two fallback members.");
                else
                {
                    _members.Add(name);
                    if (isFallback) _fallback = name;
                }
                return;
            }
            if (_fields is null)
            {
                Error(span, "An indented line belongs under an 'event', 'record' or 'enum' line.");
                return;
            }
            var colon = line.IndexOf(':');
            var fieldName = colon < 0 ? line : line.Substring(0, colon).Trim();
            var type = colon < 0 ? null : LockedTypeText.Parse(line.Substring(colon + 1));
            if (!IsName(fieldName) || type is null) Error(span, "Expected a field: 'name: type', e.g. 'amount: decimal' or 'note: string?'.");
            else if (_fields.Any(f => f.Name == fieldName)) Error(span, $"Field '{fieldName}' is listed twice.");
            else _fields.Add(new LockedField(fieldName, type));
        }

        private void CloseEnum()
        {
            if (_members is not null) _enums.Add(new LockedEnum(_enumName!, _members, _fallback));
            _members = null;
        }

        private void Error(SourceSpan span, string message) =>
            Diagnostics.Add(new SchemaDiagnostic(SchemaDiagnosticIds.MalformedLock, SchemaSeverity.Error, message, span));

        private static string[] Words(string line) => line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);

        private static int? Version(string word) =>
            word.Length > 1 && word[0] == 'v' && int.TryParse(word.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
                ? version : null;

        private static bool IsDottedName(string text) => text.Split('.').All(IsName);

        internal static bool IsName(string text) =>
            text.Length > 0 && (char.IsLetter(text[0]) || text[0] == '_') && text.All(c => char.IsLetterOrDigit(c) || c == '_');
    }
}

/// <summary>Parses the lock's spelling of a type: <c>map&lt;string, list&lt;Line?&gt;&gt;</c>.</summary>
internal static class LockedTypeText
{
    /// <summary>The type written in <paramref name="text"/>; null when it is not one whole type.</summary>
    public static LockedType? Parse(string text)
    {
        var position = 0;
        var type = ParseType(text, ref position, depth: 0);
        SkipSpaces(text, ref position);
        return position == text.Length ? type : null;
    }

    // Deep enough for any real schema; a hostile lock cannot exhaust the stack.
    private const int MaxDepth = 64;

    private static LockedType? ParseType(string text, ref int position, int depth)
    {
        if (depth > MaxDepth) return null;
        SkipSpaces(text, ref position);
        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_')) position++;
        var name = text.Substring(start, position - start);
        if (name.Length == 0 || char.IsDigit(name[0])) return null;
        LockedType? type;
        if ((name == "list" || name == "map") && Peek(text, ref position) == '<')
        {
            position++;
            var first = ParseType(text, ref position, depth + 1);
            LockedType? second = null;
            if (name == "map")
            {
                if (Peek(text, ref position) != ',') return null;
                position++;
                second = ParseType(text, ref position, depth + 1);
                if (second is null) return null;
            }
            if (first is null || Peek(text, ref position) != '>') return null;
            position++;
            type = name == "list" ? LockedType.List(first) : LockedType.Map(first, second!);
        }
        else
        {
            type = LockedType.Named(name);
        }
        if (Peek(text, ref position) == '?')
        {
            position++;
            type = LockedType.Nullable(type);
        }
        return type;
    }

    private static char Peek(string text, ref int position)
    {
        SkipSpaces(text, ref position);
        return position < text.Length ? text[position] : '\0';
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && (text[position] == ' ' || text[position] == '\t')) position++;
    }
}
