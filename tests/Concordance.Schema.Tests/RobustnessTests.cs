using Concordance.Schema.Syntax;
using Concordance.Schema.Tests.Mutations;

namespace Concordance.Schema.Tests;

public class RobustnessTests
{
    private const int Seed = 20240917;

    [Fact]
    public void Given_ten_thousand_mutations_of_the_bank_sample_when_parsed_and_checked_then_nothing_throws_and_spans_stay_inside()
    {
        var count = 0;
        foreach (var text in SchemaMutator.Variants(TestSchemas.Bank, 10_000, Seed))
        {
            AssertWellFormed(text);
            count++;
        }
        Assert.Equal(10_000, count);
    }

    [Fact]
    public void Given_every_seventh_truncation_of_the_bank_sample_when_parsed_and_checked_then_nothing_throws_and_spans_stay_inside()
    {
        var truncations = SchemaMutator.Truncations(TestSchemas.Bank, 7).ToList();
        Assert.True(truncations.Count > 300);
        foreach (var text in truncations) AssertWellFormed(text);
    }

    [Fact]
    public void Given_random_bytes_when_parsed_and_checked_then_nothing_throws()
    {
        var random = new Random(Seed);
        for (var i = 0; i < 200; i++)
        {
            var chars = new char[random.Next(5000)];
            for (var k = 0; k < chars.Length; k++) chars[k] = (char)random.Next(char.MaxValue + 1);
            AssertWellFormed(new string(chars));
        }
    }

    [Fact]
    public void Given_a_mutator_with_a_fixed_seed_when_run_twice_then_it_gives_the_same_variants()
    {
        Assert.Equal(SchemaMutator.Variants(TestSchemas.Bank, 50, 7), SchemaMutator.Variants(TestSchemas.Bank, 50, 7));
        Assert.Contains(SchemaMutator.Variants(TestSchemas.Bank, 50, 7), v => v != TestSchemas.Bank);
    }

    private static void AssertWellFormed(string text)
    {
        var file = SchemaParser.Parse(text, "Fuzz.concordance");
        Assert.All(file.Diagnostics, d => AssertInside(d.Span, text));
        Assert.All(SchemaChecker.Check(file), d => AssertInside(d.Span, text));
        foreach (var declaration in file.Declarations) AssertInside(declaration.Name.Span, text);
    }

    private static void AssertInside(SourceSpan span, string text)
    {
        Assert.InRange(span.Start, 0, text.Length);
        Assert.InRange(span.Length, 0, text.Length - span.Start);
    }
}
