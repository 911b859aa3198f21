using Concordance.Analyzers.Purity;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Concordance.Analyzers.Tests.Purity;

/// <summary>The shipped list is well-formed and names real framework members.</summary>
public sealed class DefaultBannedListTests
{
    public static TheoryData<string> FrameworkEntries()
    {
        var data = new TheoryData<string>();
        foreach (var id in BannedSymbolList.Default.Ids.Where(id => !id.StartsWith("N:", StringComparison.Ordinal) && id.Substring(2).StartsWith("System.", StringComparison.Ordinal)).OrderBy(id => id, StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FrameworkEntries))]
    public void Given_a_framework_entry_of_the_default_list_then_it_names_an_existing_symbol(string id)
    {
        var compilation = PurityHarness.ReferenceCompilation;
        var hasSignature = id.Contains('(', StringComparison.Ordinal) || id.StartsWith("T:", StringComparison.Ordinal) || id.StartsWith("F:", StringComparison.Ordinal);
        if (hasSignature)
        {
            Assert.NotNull(DocumentationCommentId.GetFirstSymbolForDeclarationId(id, compilation));
            return;
        }

        // "M:T.Name" / "P:T.Name" without parameters: the type exists and has a member of that name.
        var lastDot = id.LastIndexOf('.');
        var type = DocumentationCommentId.GetFirstSymbolForDeclarationId("T:" + id.Substring(2, lastDot - 2), compilation) as INamedTypeSymbol;
        Assert.NotNull(type);
        var name = id.Substring(lastDot + 1).Replace("#ctor", ".ctor", StringComparison.Ordinal);
        Assert.NotEmpty(type!.GetMembers(name));
    }

    [Fact]
    public void Given_the_default_list_then_every_category_but_the_user_one_has_entries_and_none_is_CC1007()
    {
        var categories = BannedSymbolList.Default.Ids
            .Select(id => BannedSymbolList.Default.TryGet(id, out var entry) ? entry.Category : (ImpurityCategory?)null)
            .Distinct().ToHashSet();

        Assert.Contains(ImpurityCategory.InputOutput, categories);
        Assert.Contains(ImpurityCategory.Clock, categories);
        Assert.Contains(ImpurityCategory.Randomness, categories);
        Assert.Contains(ImpurityCategory.Environment, categories);
        Assert.Contains(ImpurityCategory.Concurrency, categories);
        Assert.DoesNotContain(ImpurityCategory.BannedByList, categories);
        Assert.True(BannedSymbolList.Default.Count > 100);
    }

    [Fact]
    public void Given_a_user_list_then_entries_are_read_as_CC1007_with_their_messages_and_malformed_lines_are_ignored()
    {
        var list = BannedSymbolList.Default.WithUserEntries(new[] { "// comment\nM:App.Rates.Fetch; rates come in the command\nnot an id\n\nT:App.Legacy\n" });

        Assert.True(list.TryGet("M:App.Rates.Fetch", out var fetch));
        Assert.Equal(ImpurityCategory.BannedByList, fetch.Category);
        Assert.Equal("rates come in the command", fetch.Message);
        Assert.True(list.TryGet("T:App.Legacy", out var legacy));
        Assert.Equal("listed in ConcordanceBanned.txt", legacy.Message);
        Assert.Equal(BannedSymbolList.Default.Count + 2, list.Count);
    }
}
