using Xunit;

namespace Concordance.Analyzers.Tests.Purity;

/// <summary>
/// Every impurity category placed behind every way a component can reach code: each case must
/// be reported exactly once, with its category's ID, at the impure expression when it sits in a
/// component, and at the call inside the component when it sits in a helper.
/// </summary>
public sealed class ReachMatrixTests
{
    /// <summary>One impure statement per category; <c>[[…]]</c> marks the offending expression.</summary>
    public static readonly (string Id, string Statement)[] Impurities =
    {
        ("CC1001", """[[System.IO.File.WriteAllText("audit.log", "x")]];"""),
        ("CC1002", "var now = [[System.DateTime.UtcNow]];"),
        ("CC1003", "var id = [[System.Guid.NewGuid()]];"),
        ("CC1004", "var machine = [[System.Environment.MachineName]];"),
        ("CC1005", "[[System.Threading.ThreadPool.QueueUserWorkItem(_ => { })]];"),
        ("CC1006", "[[Counters.Total]]++;"),
        ("CC1007", "[[Legacy.Ping()]];"),
    };

    public const string BannedList = """
        // the team's own list
        T:Legacy; use Modern.Ping, which is deterministic
        """;

    public const string SupportTypes = """
        public static class Counters { public static int Total; }
        public static class Legacy { public static void Ping() { } }
        """;

    /// <summary>
    /// Ways to reach code. <c>$IMPURE$</c> is where the impure statement goes; <c>[|…|]</c> marks
    /// the call inside the component where an indirect use is reported. No marker: direct.
    /// </summary>
    public static readonly (string Name, string Component, string Helpers, string? SecondFile)[] Paths =
    {
        ("directly in a handler", Aggregate("$IMPURE$"), "", null),
        ("in a lambda inside a handler", Aggregate("Action act = () => { $IMPURE$ }; act();"), "", null),
        ("in a local function of a handler", Aggregate("Local(); void Local() { $IMPURE$ }"), "", null),
        ("in the component's constructor", AggregateWith("", "public BankAccount() { $IMPURE$ }"), "", null),
        ("in the component's static constructor", AggregateWith("", "static BankAccount() { $IMPURE$ }"), "", null),
        ("in the component's field initializer", AggregateWith("", "private readonly int _probe = ((Func<int>)(() => { $IMPURE$ return 0; }))();"), "", null),
        ("in a property getter of the component", AggregateWith("", "private int Probe { get { $IMPURE$ return 0; } }"), "", null),
        ("in the component's own private helper", AggregateWith("Check();", "private static void Check() { $IMPURE$ }"), "", null),
        ("in a user base class between the component and the generated base",
            """
            public abstract class AuditedAccount : BankAccountAggregateBase { protected void Audit() { $IMPURE$ } }
            public sealed class BankAccount : AuditedAccount
            {
                public override WithdrawFundsDecision Handle(WithdrawFunds command, BankAccountState? state) { Audit(); return Reject("audited"); }
                public override BankAccountState? Apply(FundsWithdrawn @event, BankAccountState? state) => state;
            }
            """, "", null),
        ("in a projector handler", Projector("$IMPURE$"), "", null),
        ("in a process manager handler", ProcessManager("$IMPURE$"), "", null),
        ("in a static helper", Aggregate("[|Audit.Log()|];"), "public static class Audit { public static void Log() { $IMPURE$ } }", null),
        ("three helpers deep", Aggregate("[|Audit.Log()|];"),
            """
            public static class Audit { public static void Log() => Writer.Write(); }
            public static class Writer { public static void Write() => Sink.Put(); }
            public static class Sink { public static void Put() { $IMPURE$ } }
            """, null),
        ("in an instance method of a helper", Aggregate("var writer = new Writer(); [|writer.Write()|];"), "public sealed class Writer { public void Write() { $IMPURE$ } }", null),
        ("in an extension method", Aggregate("[|command.Audit()|];"), "public static class CommandExtensions { public static void Audit(this WithdrawFunds command) { $IMPURE$ } }", null),
        ("in a helper's property getter", Aggregate("var limit = [|Settings.Limit|];"), "public static class Settings { public static int Limit { get { $IMPURE$ return 1; } } }", null),
        ("in a helper's property setter", Aggregate("var box = new Box(); [|box.Value|] = 1;"), "public sealed class Box { public int Value { set { $IMPURE$ } } }", null),
        ("in a helper's indexer", Aggregate("var table = new Table(); var cell = [|table[0]|];"), "public sealed class Table { public int this[int i] { get { $IMPURE$ return i; } } }", null),
        ("in a helper's constructor", Aggregate("var writer = [|new Writer()|];"), "public sealed class Writer { public Writer() { $IMPURE$ } }", null),
        ("in the static constructor of a used type", Aggregate("[|Audit.Log()|];"), "public static class Audit { static Audit() { $IMPURE$ } public static void Log() { } }", null),
        ("in a field initializer of a constructed type", Aggregate("var writer = [|new Writer()|];"),
            "public sealed class Writer { private readonly int _seed = Seed(); private static int Seed() { $IMPURE$ return 0; } }", null),
        ("in a static field initializer of a used type", Aggregate("var fee = [|Fees.Standard|];"),
            "public static class Fees { public static readonly decimal Standard = Compute(); private static decimal Compute() { $IMPURE$ return 1m; } }", null),
        ("in a user-defined operator", Aggregate("var total = [|new Money(1m) + new Money(2m)|];"),
            "public readonly record struct Money(decimal Amount) { public static Money operator +(Money a, Money b) { $IMPURE$ return new Money(a.Amount + b.Amount); } }", null),
        ("in a user-defined implicit conversion", Aggregate("decimal amount = [|new Money(1m)|];"),
            "public readonly record struct Money(decimal Amount) { public static implicit operator decimal(Money m) { $IMPURE$ return m.Amount; } }", null),
        ("in a method group turned into a delegate", Aggregate("Func<int> compute = [|Calculator.Compute|]; compute();"),
            "public static class Calculator { public static int Compute() { $IMPURE$ return 0; } }", null),
        ("in an override called on a receiver of known type", Aggregate("var formatter = new AuditingFormatter(); var text = [|formatter.Format()|];"),
            """
            public class Formatter { public virtual string Format() => ""; }
            public class AuditingFormatter : Formatter { public override string Format() { $IMPURE$ return ""; } }
            """, null),
        ("in an explicit interface implementation called on a receiver of known type", Aggregate("var rule = new LimitRule(); var ok = [|((IRule)rule).Check()|];"),
            """
            public interface IRule { bool Check(); }
            public sealed class LimitRule : IRule { bool IRule.Check() { $IMPURE$ return true; } }
            """, null),
        ("in a generic method", Aggregate("var same = [|Util.Echo(1)|];"), "public static class Util { public static T Echo<T>(T value) { $IMPURE$ return value; } }", null),
        ("in a method of a generic type", Aggregate("var box = new Box<int>(); var got = [|box.Get(1)|];"), "public sealed class Box<T> { public T Get(T value) { $IMPURE$ return value; } }", null),
        ("behind mutual recursion", Aggregate("var depth = [|Walk.Up(3)|];"),
            """
            public static class Walk
            {
                public static int Up(int n) => n > 10 ? n : Down(n + 1);
                public static int Down(int n) { if (n > 5) { $IMPURE$ } return Up(n + 1); }
            }
            """, null),
        ("in a partial class across files", Aggregate("[|Audit.Log()|];"), "public static partial class Audit { public static void Log() => Write(); }",
            "public static partial class Audit { private static void Write() { $IMPURE$ } }"),
        ("in a lambda built by a helper and invoked by the component", Aggregate("var act = [|Actions.Make()|]; act();"),
            "public static class Actions { public static Action Make() => () => { $IMPURE$ }; }", null),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in Paths)
        {
            foreach (var impurity in Impurities)
            {
                data.Add(path.Name, impurity.Id);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Given_an_impurity_reachable_from_a_component_then_it_is_reported_once_with_its_category_at_the_right_place(string pathName, string id)
    {
        var path = Paths.Single(p => p.Name == pathName);
        var statement = Impurities.Single(i => i.Id == id).Statement;
        var direct = !path.Component.Contains("[|", StringComparison.Ordinal);
        var impure = direct
            ? statement.Replace("[[", "{|" + id + ":").Replace("]]", "|}")
            : statement.Replace("[[", "").Replace("]]", "");
        string Fill(string code) => code.Replace("$IMPURE$", impure).Replace("[|", "{|" + id + ":").Replace("|]", "|}");

        var source = Fill(path.Component) + "\n" + Fill(path.Helpers) + "\n" + SupportTypes;
        var more = path.SecondFile is null ? Array.Empty<string>() : new[] { Fill(path.SecondFile) };
        await PurityHarness.VerifyAsync(source, BannedList, more);
    }

    public static string Aggregate(string handlerBody) => AggregateWith(handlerBody, "");

    public static string AggregateWith(string handlerBody, string members) => $$"""
        public sealed class BankAccount : BankAccountAggregateBase
        {
            public override WithdrawFundsDecision Handle(WithdrawFunds command, BankAccountState? state)
            {
                {{handlerBody}}
                return new FundsWithdrawn(command.AccountNumber, command.Amount);
            }

            public override BankAccountState? Apply(FundsWithdrawn @event, BankAccountState? state) =>
                new BankAccountState((state?.Balance ?? 0m) - @event.Amount);

            {{members}}
        }
        """;

    public static string Projector(string handlerBody) => $$"""
        public sealed class AccountLedger : AccountLedgerProjectorBase
        {
            public override async ValueTask Handle(FundsWithdrawn @event, ProjectionContext context)
            {
                var ledger = await context.GetAsync<string>(@event.AccountNumber);
                {{handlerBody}}
                context.Set(@event.AccountNumber, ledger + "-" + @event.Amount);
            }
        }
        """;

    public static string ProcessManager(string handlerBody) => $$"""
        public sealed class Transfer : TransferProcessManagerBase
        {
            public override TransferOutcome Handle(FundsWithdrawn @event, TransferState? state)
            {
                {{handlerBody}}
                return Continue(new TransferState(@event.AccountNumber));
            }

            public override TransferOutcome Handle(TransferClosed @event, TransferState? state) => Complete();
        }
        """;
}
