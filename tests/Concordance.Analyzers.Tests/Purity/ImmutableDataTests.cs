using Xunit;
using static Concordance.Analyzers.Tests.Purity.ReachMatrixTests;

namespace Concordance.Analyzers.Tests.Purity;

/// <summary>
/// Immutable and read-only data is how pure C# is written: immutable and frozen collections,
/// static readonly values of immutable types, constants, strings, LINQ, records and <c>with</c>,
/// pattern matching, local functions and generic math are never reported; static state that can
/// change still is.
/// </summary>
public sealed class ImmutableDataTests
{
    private const string Catalog = """
        public enum Tier { Basic, Gold }
        public sealed record Rate(string Currency, decimal Value, Tier Tier);
        public readonly record struct Window(int Days);
        public sealed class Threshold
        {
            public Threshold(decimal value) => Value = value;
            public decimal Value { get; }
            public bool Exceeds(decimal amount) => amount > Value;
        }
        public static class Catalog
        {
            public const decimal Limit = 1000m;
            public const string Prefix = "ACC-";
            public static readonly string Bank = "Concordance Bank";
            public static readonly Tier DefaultTier = Tier.Gold;
            public static readonly DateTime Epoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            public static readonly TimeSpan Grace = TimeSpan.FromDays(3);
            public static readonly Guid Namespace = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
            public static readonly Rate Standard = new("EUR", 1.5m, Tier.Basic);
            public static readonly Window Statement = new(30);
            public static readonly Threshold Large = new(10_000m);
            public static readonly System.Collections.Immutable.ImmutableList<string> Countries = System.Collections.Immutable.ImmutableList.Create("NL", "BE");
            public static readonly System.Collections.Immutable.ImmutableArray<int> Levels = System.Collections.Immutable.ImmutableArray.Create(3, 1, 2);
            public static readonly System.Collections.Immutable.ImmutableDictionary<string, decimal> Fees =
                System.Collections.Immutable.ImmutableDictionary<string, decimal>.Empty.Add("NL", 1m).Add("BE", 2m);
            public static readonly System.Collections.Frozen.FrozenDictionary<string, Rate> Rates =
                System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(new Dictionary<string, Rate> { ["EUR"] = Standard });
            public static readonly System.Collections.Frozen.FrozenSet<string> Blocked =
                System.Collections.Frozen.FrozenSet.ToFrozenSet(new[] { "X1", "X2" });
            public static System.Collections.Immutable.ImmutableHashSet<Tier> Tiers { get; } = System.Collections.Immutable.ImmutableHashSet.Create(Tier.Basic, Tier.Gold);
            public static readonly Func<decimal, decimal> Double = amount => amount * 2m;
        }
        public static class Numbers
        {
            public static T Sum<T>(IEnumerable<T> values) where T : System.Numerics.INumber<T>
            {
                var total = T.Zero;
                foreach (var value in values) { total += value; }
                return total;
            }
        }
        """;

    /// <summary>Handler statements that build, read or transform immutable data.</summary>
    public static readonly TheoryData<string, string> PureStatements = new()
    {
        { "ImmutableDictionary.Empty.Add", "var fees = System.Collections.Immutable.ImmutableDictionary<string, decimal>.Empty.Add(command.AccountNumber, command.Amount);" },
        { "ImmutableList.Create then Add", "var list = System.Collections.Immutable.ImmutableList.Create(1, 2, 3).Add(4).Remove(1);" },
        { "ImmutableArray.Create then Add and Sort", "var array = System.Collections.Immutable.ImmutableArray.Create(3, 1).Add(2).Sort();" },
        { "ImmutableHashSet.Empty.Add and Remove", "var set = System.Collections.Immutable.ImmutableHashSet<string>.Empty.Add(command.AccountNumber).Remove(\"x\");" },
        { "ImmutableStack.Empty.Push and Pop", "var stack = System.Collections.Immutable.ImmutableStack<int>.Empty.Push(1).Push(2).Pop();" },
        { "ImmutableQueue.Empty.Enqueue and Dequeue", "var queue = System.Collections.Immutable.ImmutableQueue<int>.Empty.Enqueue(1).Dequeue();" },
        { "ImmutableSortedDictionary.Empty.SetItem", "var sorted = System.Collections.Immutable.ImmutableSortedDictionary<string, int>.Empty.SetItem(\"a\", 1).SetItem(\"a\", 2);" },
        { "a frozen dictionary built locally", "var frozen = System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(new Dictionary<string, int> { [\"a\"] = 1 }); var hit = frozen.TryGetValue(\"a\", out var one);" },
        { "a static readonly immutable list, extended", "var more = Catalog.Countries.Add(command.AccountNumber); var known = Catalog.Countries.Contains(\"NL\");" },
        { "a static readonly immutable array, sorted and added to", "var sorted = Catalog.Levels.Sort().Add(4); var first = Catalog.Levels[0];" },
        { "a static readonly immutable dictionary, read and set", "var fee = Catalog.Fees[\"NL\"]; var next = Catalog.Fees.SetItem(\"NL\", 3m).Remove(\"BE\");" },
        { "a static readonly frozen dictionary", "var rate = Catalog.Rates.TryGetValue(\"EUR\", out var found) ? found.Value : 1m; var count = Catalog.Rates.Count;" },
        { "a static readonly frozen set", "var blocked = Catalog.Blocked.Contains(command.AccountNumber);" },
        { "a static get-only auto-property of an immutable set", "var tiers = Catalog.Tiers.Add(Tier.Basic).Count;" },
        { "constants", "var over = command.Amount > Catalog.Limit; var id = Catalog.Prefix + command.AccountNumber;" },
        { "a static readonly string", "var bank = Catalog.Bank.ToUpperInvariant();" },
        { "a static readonly enum", "var tier = Catalog.DefaultTier == Tier.Gold ? \"gold\" : \"basic\";" },
        { "static readonly date, span and guid", "var due = Catalog.Epoch + Catalog.Grace; var ns = Catalog.Namespace.ToString(\"N\");" },
        { "a static readonly record of init-only members", "var rate = Catalog.Standard with { Value = command.Amount }; var currency = Catalog.Standard.Currency;" },
        { "a static readonly record struct", "var days = Catalog.Statement.Days * 2;" },
        { "a static readonly immutable class and its method", "var large = Catalog.Large.Exceeds(command.Amount);" },
        { "a pure lambda stored in a static readonly field", "var doubled = Catalog.Double(command.Amount);" },
        { "string methods", "var parts = command.AccountNumber.Split('-'); var joined = string.Join(\"/\", parts).Replace(\"/\", \"-\").Trim().PadLeft(10, '0');" },
        { "string interpolation and comparison", "var text = $\"{command.AccountNumber}:{command.Amount:F2}\"; var same = string.Equals(text, \"x\", StringComparison.Ordinal);" },
        { "LINQ projections and grouping", "var groups = new[] { 1, 2, 3, 4 }.Where(n => n > 1).GroupBy(n => n % 2).ToDictionary(g => g.Key, g => g.Sum());" },
        { "LINQ aggregation over immutable data", "var total = Catalog.Fees.Values.Aggregate(0m, (sum, fee) => sum + fee) + Catalog.Countries.Select(c => c.Length).Max();" },
        { "a record with 'with' on the state", "var next = (state ?? new BankAccountState(0m)) with { Balance = command.Amount };" },
        { "property and relational patterns", "var size = command switch { { Amount: > 1000m } => \"large\", { Amount: > 0m, AccountNumber.Length: > 3 } => \"normal\", _ => \"none\" };" },
        { "list patterns", "var shape = command.AccountNumber.ToCharArray() is ['A', .., var last] ? last.ToString() : \"\";" },
        { "type patterns on the state", "var balance = state is { Balance: var b } ? b : 0m;" },
        { "a static local function", "var fee = Fee(command.Amount); static decimal Fee(decimal amount) => Math.Round(amount * 0.01m, 2);" },
        { "a recursive local function", "var f = Fact(5); static int Fact(int n) => n <= 1 ? 1 : n * Fact(n - 1);" },
        { "generic math", "var sum = Numbers.Sum(new[] { 1m, 2m, command.Amount }) + Numbers.Sum(new[] { 1, 2 });" },
        { "generic math over BCL interfaces directly", "var clamped = decimal.Clamp(command.Amount, 0m, Catalog.Limit); var max = int.Max(1, 2);" },
        { "a readonly span over a local array", "ReadOnlySpan<int> span = new[] { 1, 2, 3 }; var slice = span[1..].ToArray();" },
        { "Enum parsing and formatting", "var tier = Enum.Parse<Tier>(\"Gold\"); var name = tier.ToString();" },
    };

    [Theory]
    [MemberData(nameof(PureStatements))]
    public Task Given_a_handler_using_immutable_or_read_only_data_when_analyzed_then_nothing_is_reported(string what, string statement)
    {
        Assert.NotEmpty(what);
        return PurityHarness.VerifyAsync(Aggregate(statement) + Catalog);
    }

    [Theory]
    [MemberData(nameof(PureStatements))]
    public Task Given_a_projector_using_immutable_or_read_only_data_when_analyzed_then_nothing_is_reported(string what, string statement)
    {
        Assert.NotEmpty(what);
        var projectorStatement = statement.Replace("command.", "@event.").Replace("command switch", "@event switch").Replace("(state ?? new BankAccountState(0m))", "new BankAccountState(0m)").Replace("state is", "(BankAccountState?)null is");
        return PurityHarness.VerifyAsync(Projector(projectorStatement) + Catalog);
    }

    /// <summary>Static state that can change: each use is still CC1006.</summary>
    public static readonly TheoryData<string, string> ChangeableStatics = new()
    {
        { "reading a static field that is not readonly", "var n = {|CC1006:Mutable.Count|};" },
        { "reading a static auto-property with a setter", "var s = {|CC1006:Mutable.Name|};" },
        { "replacing a static immutable list", "{|CC1006:Mutable.Countries|} = {|CC1006:Mutable.Countries|}.Add(\"NL\");" },
        { "adding to a static mutable list", "{|CC1006:Mutable.Seen.Add(command.AccountNumber)|};" },
        { "adding to a static immutable-list builder", "{|CC1006:Mutable.Builder.Add(command.AccountNumber)|};" },
        { "writing a static array element", "{|CC1006:Mutable.Slots[0]|} = 1;" },
        { "reading a static field through a helper", "var n = {|CC1006:Mutable.Peek()|};" },
        { "reading another assembly's static property that has a public setter", "var culture = {|CC1006:System.Globalization.CultureInfo.DefaultThreadCurrentCulture|};" },
    };

    [Theory]
    [MemberData(nameof(ChangeableStatics))]
    public Task Given_a_handler_using_static_state_that_can_change_when_analyzed_then_it_is_CC1006(string what, string statement)
    {
        Assert.NotEmpty(what);
        return PurityHarness.VerifyAsync(Aggregate(statement) + """
            public static class Mutable
            {
                public static int Count;
                public static string Name { get; set; } = "";
                public static readonly List<string> Seen = new();
                public static readonly int[] Slots = new int[2];
                public static readonly System.Collections.Immutable.ImmutableList<string>.Builder Builder = System.Collections.Immutable.ImmutableList.CreateBuilder<string>();
                public static System.Collections.Immutable.ImmutableList<string> Countries = System.Collections.Immutable.ImmutableList<string>.Empty;
                public static int Peek() => Count;
            }
            """);
    }
}
