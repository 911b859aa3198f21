using Xunit;
using static Concordance.Analyzers.Tests.Purity.ReachMatrixTests;

namespace Concordance.Analyzers.Tests.Purity;

/// <summary>
/// Every impurity category behind every kind of dynamic dispatch, with a receiver whose static
/// type does not say which implementation runs: the analysis must consider every override and
/// implementation in the compilation and report the one that is impure, at the call inside the
/// component, naming the impure implementation in the chain.
/// </summary>
public sealed class DispatchMatrixTests
{
    /// <summary>
    /// Ways to dispatch. <c>$IMPURE$</c> is where the impure statement goes (always in a class the
    /// component never names); <c>[|…|]</c> marks the call where the diagnostic is expected;
    /// <c>Link</c> is the chain link naming the impure implementation.
    /// </summary>
    public static readonly (string Name, string Component, string Helpers, string Link)[] Shapes =
    {
        ("an interface method through a local", Aggregate("IPricing pricing = PricingCatalog.Default; var fee = [|pricing.Fee(command.Amount)|];"),
            """
            public interface IPricing { decimal Fee(decimal amount); }
            public sealed class FlatPricing : IPricing { public decimal Fee(decimal amount) => 1m; }
            public sealed class AuditedPricing : IPricing { public decimal Fee(decimal amount) { $IMPURE$ return 1m; } }
            public static class PricingCatalog { public static readonly IPricing Default = new FlatPricing(); }
            """, "AuditedPricing.Fee"),
        ("an interface method through a field of the component",
            AggregateWith("var fee = [|_pricing.Fee(command.Amount)|];", "private readonly IPricing _pricing = new FlatPricing();"),
            """
            public interface IPricing { decimal Fee(decimal amount); }
            public sealed class FlatPricing : IPricing { public decimal Fee(decimal amount) => 1m; }
            public sealed class AuditedPricing : IPricing { public decimal Fee(decimal amount) { $IMPURE$ return 1m; } }
            """, "AuditedPricing.Fee"),
        ("an interface method through a helper's parameter", Aggregate("var fee = [|Fees.Charge(new FlatPricing(), command.Amount)|];"),
            """
            public interface IPricing { decimal Fee(decimal amount); }
            public sealed class FlatPricing : IPricing { public decimal Fee(decimal amount) => 1m; }
            public sealed class AuditedPricing : IPricing { public decimal Fee(decimal amount) { $IMPURE$ return 1m; } }
            public static class Fees { public static decimal Charge(IPricing pricing, decimal amount) => pricing.Fee(amount); }
            """, "AuditedPricing.Fee"),
        ("an explicit interface implementation", Aggregate("IPricing pricing = PricingCatalog.Default; var fee = [|pricing.Fee(command.Amount)|];"),
            """
            public interface IPricing { decimal Fee(decimal amount); }
            public sealed class FlatPricing : IPricing { decimal IPricing.Fee(decimal amount) => 1m; }
            public sealed class AuditedPricing : IPricing { decimal IPricing.Fee(decimal amount) { $IMPURE$ return 1m; } }
            public static class PricingCatalog { public static readonly IPricing Default = new FlatPricing(); }
            """, "AuditedPricing.IPricing.Fee"),
        ("an abstract method through a base-typed local", Aggregate("FeePolicy policy = Policies.Standard; var fee = [|policy.Apply(command.Amount)|];"),
            """
            public abstract class FeePolicy { public abstract decimal Apply(decimal amount); }
            public sealed class StandardPolicy : FeePolicy { public override decimal Apply(decimal amount) => amount; }
            public sealed class AuditedPolicy : FeePolicy { public override decimal Apply(decimal amount) { $IMPURE$ return amount; } }
            public static class Policies { public static readonly FeePolicy Standard = new StandardPolicy(); }
            """, "AuditedPolicy.Apply"),
        ("a virtual method overridden two levels down", Aggregate("Formatter formatter = Formatters.Plain; var text = [|formatter.Format()|];"),
            """
            public class Formatter { public virtual string Format() => "plain"; }
            public class TrimmingFormatter : Formatter { public override string Format() => base.Format().Trim(); }
            public sealed class StampingFormatter : TrimmingFormatter { public override string Format() { $IMPURE$ return "stamped"; } }
            public static class Formatters { public static readonly Formatter Plain = new Formatter(); }
            """, "StampingFormatter.Format"),
        ("a property overridden in a subclass", Aggregate("Limits limits = LimitCatalog.Default; var max = [|limits.Maximum|];"),
            """
            public class Limits { public virtual decimal Maximum => 100m; }
            public sealed class DynamicLimits : Limits { public override decimal Maximum { get { $IMPURE$ return 50m; } } }
            public static class LimitCatalog { public static readonly Limits Default = new Limits(); }
            """, "DynamicLimits.Maximum"),
        ("a generic interface implemented by a generic class", Aggregate("IRule<decimal> rule = Rules.Positive; var ok = [|rule.Check(command.Amount)|];"),
            """
            public interface IRule<T> { bool Check(T value); }
            public sealed class PositiveRule : IRule<decimal> { public bool Check(decimal value) => value > 0m; }
            public sealed class LoggedRule<T> : IRule<T> { public bool Check(T value) { $IMPURE$ return true; } }
            public static class Rules { public static readonly IRule<decimal> Positive = new PositiveRule(); }
            """, "LoggedRule<T>.Check"),
        ("a default interface method", Aggregate("IDescribed described = Descriptions.Plain; var text = [|described.Describe()|];"),
            """
            public interface IDescribed { string Describe() { $IMPURE$ return "described"; } }
            public sealed class PlainDescription : IDescribed { }
            public static class Descriptions { public static readonly IDescribed Plain = new PlainDescription(); }
            """, "IDescribed.Describe"),
        ("a default interface method implemented by a class", Aggregate("IDescribed described = Descriptions.Plain; var text = [|described.Describe()|];"),
            """
            public interface IDescribed { string Describe() => "described"; }
            public sealed class PlainDescription : IDescribed { }
            public sealed class StampedDescription : IDescribed { public string Describe() { $IMPURE$ return "stamped"; } }
            public static class Descriptions { public static readonly IDescribed Plain = new PlainDescription(); }
            """, "StampedDescription.Describe"),
        ("a method group of a virtual method on a base-typed receiver", Aggregate("FeePolicy policy = Policies.Standard; Func<decimal, decimal> apply = [|policy.Apply|]; var fee = apply(command.Amount);"),
            """
            public abstract class FeePolicy { public abstract decimal Apply(decimal amount); }
            public sealed class StandardPolicy : FeePolicy { public override decimal Apply(decimal amount) => amount; }
            public sealed class AuditedPolicy : FeePolicy { public override decimal Apply(decimal amount) { $IMPURE$ return amount; } }
            public static class Policies { public static readonly FeePolicy Standard = new StandardPolicy(); }
            """, "AuditedPolicy.Apply"),
        ("a lambda stored in a static field of a helper", Aggregate("[|Hooks.OnWithdraw|](command.Amount);"),
            "public static class Hooks { public static readonly Action<decimal> OnWithdraw = amount => { $IMPURE$ }; }",
            "Hooks static initialization"),
        ("a lambda stored in an instance field of a helper", Aggregate("var hooks = [|new Hooks()|]; hooks.OnWithdraw(command.Amount);"),
            "public sealed class Hooks { public readonly Action<decimal> OnWithdraw = amount => { $IMPURE$ }; }",
            "new Hooks"),
        ("a static abstract interface member (generic math)", Aggregate("var zero = [|Sums.Zero<Money>()|];"),
            """
            public interface IHasZero<T> where T : IHasZero<T> { static abstract T Zero(); }
            public readonly record struct Money(decimal Amount) : IHasZero<Money> { public static Money Zero() { $IMPURE$ return new Money(0m); } }
            public static class Sums { public static T Zero<T>() where T : IHasZero<T> => T.Zero(); }
            """, "Money.Zero"),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var shape in Shapes)
        {
            foreach (var impurity in Impurities)
            {
                data.Add(shape.Name, impurity.Id);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Given_an_impure_implementation_behind_dispatch_when_analyzed_then_the_call_is_reported_once_naming_the_implementation(string shapeName, string id)
    {
        var shape = Shapes.Single(s => s.Name == shapeName);
        var impure = Impurities.Single(i => i.Id == id).Statement.Replace("[[", "").Replace("]]", "");
        string Fill(string code) => code.Replace("$IMPURE$", impure).Replace("[|", "{|" + id + ":").Replace("|]", "|}");
        var source = Fill(shape.Component) + "\n" + Fill(shape.Helpers) + "\n" + SupportTypes;

        var diagnostic = Assert.Single(await PurityHarness.VerifyAsync(source, BannedList));
        Assert.True(diagnostic.GetMessage().Contains(shape.Link + ": ", StringComparison.Ordinal), diagnostic.GetMessage());
    }

    [Theory]
    [MemberData(nameof(PureShapes))]
    public Task Given_only_pure_implementations_behind_dispatch_when_analyzed_then_nothing_is_reported(string shapeName)
    {
        var shape = Shapes.Single(s => s.Name == shapeName);
        return PurityHarness.VerifyAsync((shape.Component + "\n" + shape.Helpers).Replace("$IMPURE$", "var pure = 1 + 1;").Replace("[|", "").Replace("|]", ""));
    }

    public static TheoryData<string> PureShapes()
    {
        var data = new TheoryData<string>();
        foreach (var shape in Shapes)
        {
            data.Add(shape.Name);
        }

        return data;
    }
}
