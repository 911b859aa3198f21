using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers.Purity;

/// <summary>One entry of a banned list: the rule it reports and an optional message.</summary>
internal sealed class BanEntry(ImpurityCategory category, string message)
{
    public ImpurityCategory Category { get; } = category;

    public string Message { get; } = message;
}

/// <summary>
/// Entries in BannedApiAnalyzers' documentation-ID format, keyed by ID. The shipped default
/// list sets the category with <c>// CC1xxx</c> lines; user lists always report CC1007.
/// </summary>
internal sealed class BannedSymbolList
{
    private const string DefaultResourceName = "Concordance.Analyzers.Purity.DefaultBannedSymbols.txt";

    private static readonly Lazy<BannedSymbolList> s_default = new(LoadDefault);

    private readonly Dictionary<string, BanEntry> _entries;

    private BannedSymbolList(Dictionary<string, BanEntry> entries) => _entries = entries;

    /// <summary>The list shipped in this assembly.</summary>
    public static BannedSymbolList Default => s_default.Value;

    public int Count => _entries.Count;

    public IEnumerable<string> Ids => _entries.Keys;

    public bool TryGet(string id, out BanEntry entry) => _entries.TryGetValue(id, out entry!);

    /// <summary>This list extended with user entries (reported as CC1007); user entries win on a tie.</summary>
    public BannedSymbolList WithUserEntries(IEnumerable<string> userFileTexts)
    {
        var merged = new Dictionary<string, BanEntry>(_entries, StringComparer.Ordinal);
        var added = false;
        foreach (var text in userFileTexts)
        {
            added |= Parse(text, ImpurityCategory.BannedByList, categoryFromComments: false, merged);
        }

        return added ? new BannedSymbolList(merged) : this;
    }

    /// <summary>Parses <paramref name="text"/> as a default-format list (categories from comment lines).</summary>
    public static BannedSymbolList ParseDefaultFormat(string text)
    {
        var entries = new Dictionary<string, BanEntry>(StringComparer.Ordinal);
        Parse(text, ImpurityCategory.InputOutput, categoryFromComments: true, entries);
        return new BannedSymbolList(entries);
    }

    private static BannedSymbolList LoadDefault()
    {
        using var stream = typeof(BannedSymbolList).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException("Missing embedded resource " + DefaultResourceName);
        using var reader = new StreamReader(stream);
        return ParseDefaultFormat(reader.ReadToEnd());
    }

    private static bool Parse(string text, ImpurityCategory category, bool categoryFromComments, Dictionary<string, BanEntry> into)
    {
        var added = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("#", StringComparison.Ordinal))
            {
                if (categoryFromComments && TryReadCategory(line, out var fromComment))
                {
                    category = fromComment;
                }

                continue;
            }

            var semicolon = line.IndexOf(';');
            var id = (semicolon < 0 ? line : line.Substring(0, semicolon)).Trim();
            var message = semicolon < 0 ? string.Empty : line.Substring(semicolon + 1).Trim();
            if (id.Length < 3 || id[1] != ':' || "TMPFEN".IndexOf(id[0]) < 0)
            {
                continue;
            }

            if (message.Length == 0 && category == ImpurityCategory.BannedByList)
            {
                message = "listed in ConcordanceBanned.txt";
            }

            into[id] = new BanEntry(category, message);
            added = true;
        }

        return added;
    }

    private static bool TryReadCategory(string commentLine, out ImpurityCategory category)
    {
        var index = commentLine.IndexOf("CC100", StringComparison.Ordinal);
        category = default;
        if (index < 0 || index + 5 >= commentLine.Length)
        {
            return false;
        }

        var digit = commentLine[index + 5] - '1';
        if (digit < 0 || digit > (int)ImpurityCategory.BannedByList)
        {
            return false;
        }

        category = (ImpurityCategory)digit;
        return true;
    }
}

/// <summary>
/// Answers "is this symbol banned, and as what?" for one compilation. Documentation IDs are
/// computed once per symbol, type and namespace and the answers cached.
/// </summary>
internal sealed class BannedSymbolMatcher(BannedSymbolList list)
{
    private readonly BannedSymbolList _list = list;
    private readonly ConcurrentDictionary<ISymbol, BanEntry?> _members = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, BanEntry?> _types = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamespaceSymbol, BanEntry?> _namespaces = new(SymbolEqualityComparer.Default);

    /// <summary>The entry banning <paramref name="member"/> (a method, property, field or event), or null.</summary>
    public BanEntry? MatchMember(ISymbol member)
    {
        var definition = member.OriginalDefinition;
        return _members.TryGetValue(definition, out var cached) ? cached : _members.GetOrAdd(definition, ComputeMember(definition));
    }

    /// <summary>The entry banning <paramref name="type"/> or its namespace, or null.</summary>
    public BanEntry? MatchType(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        var definition = named.OriginalDefinition;
        return _types.TryGetValue(definition, out var cached) ? cached : _types.GetOrAdd(definition, ComputeType(definition));
    }

    private BanEntry? ComputeMember(ISymbol member)
    {
        if (ById(member) is { } own)
        {
            return own;
        }

        if (member is IMethodSymbol { AssociatedSymbol: { } property } && ById(property) is { } viaProperty)
        {
            return viaProperty;
        }

        return member.ContainingType is { } type ? MatchType(type) : null;
    }

    private BanEntry? ComputeType(ISymbol type)
    {
        if (ById(type) is { } own)
        {
            return own;
        }

        if (type.ContainingType is { } outer)
        {
            return MatchType(outer);
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? MatchNamespace(ns) : null;
    }

    private BanEntry? MatchNamespace(INamespaceSymbol ns)
    {
        if (_namespaces.TryGetValue(ns, out var cached))
        {
            return cached;
        }

        var entry = _list.TryGet("N:" + ns.ToDisplayString(), out var own)
            ? own
            : ns.ContainingNamespace is { IsGlobalNamespace: false } parent ? MatchNamespace(parent) : null;
        return _namespaces.GetOrAdd(ns, entry);
    }

    private BanEntry? ById(ISymbol symbol)
    {
        var id = DocumentationCommentId.CreateDeclarationId(symbol);
        if (id is null)
        {
            return null;
        }

        if (_list.TryGet(id, out var exact))
        {
            return exact;
        }

        // Some compilers append "~ReturnType" to method IDs; lists rarely carry it.
        var tilde = id.IndexOf('~');
        if (tilde > 0 && _list.TryGet(id.Substring(0, tilde), out var withoutReturn))
        {
            return withoutReturn;
        }

        // "M:T.Name" without a parameter list bans every overload.
        var paren = id.IndexOf('(');
        var nameOnly = paren >= 0 ? id.Substring(0, paren) : tilde > 0 ? id.Substring(0, tilde) : id;
        var generic = nameOnly.IndexOf("``", StringComparison.Ordinal);
        if (generic > 0 && symbol is IMethodSymbol)
        {
            nameOnly = nameOnly.Substring(0, generic);
        }

        return !ReferenceEquals(nameOnly, id) && _list.TryGet(nameOnly, out var overloads) ? overloads : null;
    }
}
