using Xunit;
using static Concordance.Analyzers.Tests.Purity.ReachMatrixTests;

namespace Concordance.Analyzers.Tests.Purity;

/// <summary>
/// Where dispatch analysis stops: what a receiver's type rules out, what is not followed
/// (reflection, <c>dynamic</c>, code in other assemblies), and that depth and cycles stay cheap.
/// Each case states the documented behaviour.
/// </summary>
public sealed class DispatchBoundaryTests
{
    private const string Formatters = """
        public class Formatter { public virtual string Format() => "plain"; }
        public class TrimmingFormatter : Formatter { public override string Format() => base.Format().Trim(); }
        public sealed class StampingFormatter : TrimmingFormatter { public override string Format() => DateTime.Now.ToString("O"); }
        public class PaddingFormatter : Formatter { public override string Format() => "padded"; }
        public static class FormatterCatalog { public static readonly PaddingFormatter Padding = new(); public static readonly Formatter Plain = new(); }
        """;

    [Fact]
    public Task Given_a_receiver_typed_as_a_sibling_class_when_analyzed_then_the_other_branch_override_is_not_reported() =>
        PurityHarness.VerifyAsync(Aggregate("var text = FormatterCatalog.Padding.Format();") + Formatters);

    [Fact]
    public Task Given_a_new_object_as_receiver_when_analyzed_then_only_its_own_override_is_considered() =>
        PurityHarness.VerifyAsync(Aggregate("var text = new TrimmingFormatter().Format();") + Formatters);

    [Fact]
    public Task Given_a_base_call_when_analyzed_then_overrides_below_are_not_considered() =>
        PurityHarness.VerifyAsync(AggregateWith("var text = new Lenient().Describe();", "") + Formatters + """
            public class Strict : Formatter { public override string Format() => base.Format(); }
            public sealed class Lenient : Strict { public string Describe() => base.Format(); public override string Format() => DateTime.Now.ToString(); }
            """);

    [Fact]
    public Task Given_a_receiver_typed_as_the_base_class_when_analyzed_then_an_impure_override_two_levels_down_is_reported() =>
        PurityHarness.VerifyAsync(Aggregate("var text = {|CC1002:FormatterCatalog.Plain.Format()|};") + Formatters);

    [Fact]
    public Task Given_a_source_override_of_a_framework_virtual_method_when_called_through_the_framework_type_then_it_is_reported() =>
        PurityHarness.VerifyAsync(Aggregate("System.IO.TextWriter writer = Writers.Current; {|CC1001:writer.Write('x')|};") + """
            public sealed class ConsoleEcho : System.IO.StringWriter { public override void Write(char value) => Console.Write(value); }
            public static class Writers { public static readonly System.IO.TextWriter Current = new System.IO.StringWriter(); }
            """);

    [Fact]
    public Task Given_an_interface_nobody_in_the_component_calls_when_its_implementation_does_io_then_nothing_is_reported() =>
        PurityHarness.VerifyAsync(Aggregate("var fee = 1m;") + """
            public interface INotifier { void Notify(string text); }
            public sealed class MailNotifier : INotifier { public void Notify(string text) => System.IO.File.AppendAllText("mail.log", text); }
            """);

    [Fact]
    public Task Given_a_call_made_through_reflection_when_analyzed_then_it_is_not_followed() =>
        PurityHarness.VerifyAsync(Aggregate("typeof(Audit).GetMethod(nameof(Audit.Log))!.Invoke(null, null);") + """
            public static class Audit { public static void Log() => System.IO.File.AppendAllText("audit.log", "x"); }
            """);

    [Fact]
    public Task Given_a_call_made_through_dynamic_when_analyzed_then_it_is_not_followed() =>
        PurityHarness.VerifyAsync(Aggregate("dynamic formatter = FormatterCatalog.Plain; var text = formatter.Format();") + Formatters.Replace("public static readonly Formatter Plain = new();", "public static readonly object Plain = new StampingFormatter();"));

    [Fact]
    public async Task Given_a_delegate_and_a_method_from_another_assembly_when_analyzed_then_only_the_banned_list_applies()
    {
        var library = PurityHarness.Library("Clocks", """
            public static class LibraryClock
            {
                public static System.Func<System.DateTime> Now { get; } = () => System.DateTime.UtcNow;
                public static System.DateTime Read() => System.DateTime.UtcNow;
            }
            """);
        var source = PurityHarness.Usings + Aggregate("var a = LibraryClock.Now(); var b = LibraryClock.Read();");

        var unlisted = await PurityHarness.RunAsync(new[] { ("Test0.cs", source) }, references: new[] { library });
        var listed = await PurityHarness.RunAsync(new[] { ("Test0.cs", source) }, "M:LibraryClock.Read; read the time from the command", references: new[] { library });

        Assert.Empty(unlisted);
        var diagnostic = Assert.Single(listed);
        Assert.Equal("CC1007", diagnostic.Id);
        Assert.EndsWith("reaches LibraryClock.Read: read the time from the command", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public Task Given_a_type_created_through_Activator_when_analyzed_then_its_constructor_is_not_followed() =>
        PurityHarness.VerifyAsync(Aggregate("var audit = Activator.CreateInstance(typeof(Audit));") + """
            public sealed class Audit { public Audit() => System.IO.File.AppendAllText("audit.log", "created"); }
            """);

    [Fact]
    public Task Given_calls_the_compiler_inserts_for_using_and_foreach_when_analyzed_then_they_are_not_followed() =>
        PurityHarness.VerifyAsync(Aggregate("using (var scope = new Scope()) { } foreach (var n in new Numbers()) { }") + """
            public sealed class Scope : IDisposable { public void Dispose() => System.IO.File.AppendAllText("scope.log", "closed"); }
            public sealed class Numbers
            {
                public Enumerator GetEnumerator() => new();
                public struct Enumerator { public int Current => 0; public bool MoveNext() => DateTime.Now.Second < 0; }
            }
            """);

    [Fact]
    public async Task Given_a_hierarchy_five_hundred_classes_deep_and_calls_in_a_cycle_when_analyzed_then_the_impure_override_at_the_bottom_is_found()
    {
        var classes = new System.Text.StringBuilder("public class Level0 { public virtual int Next(int n) => n > 0 ? Next(n - 1) : 0; }\n");
        for (var level = 1; level < 500; level++)
        {
            var body = level == 499 ? "System.Environment.MachineName.Length + base.Next(n)" : "Next(n - 1) + base.Next(n)";
            classes.Append($"public class Level{level} : Level{level - 1} {{ public override int Next(int n) => {body}; }}\n");
        }

        var source = Aggregate("var depth = {|CC1004:Levels.Root.Next(3)|};") + "public static class Levels { public static readonly Level0 Root = new Level0(); }\n" + classes;

        var diagnostic = Assert.Single(await PurityHarness.VerifyAsync(source));

        Assert.True(diagnostic.GetMessage().Contains("Level499.Next", StringComparison.Ordinal), diagnostic.GetMessage());
    }
}
