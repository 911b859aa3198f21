using System.Text.RegularExpressions;

namespace Concordance.Package.Tests;

/// <summary>The shipped-schema gate as a package user meets it: the lock written on request, then enforced by dotnet build.</summary>
[Collection(nameof(PackageFeed))]
public sealed class SchemaLockPackageTests(PackageFeed feed)
{
    [Fact]
    public void Given_the_package_when_opened_then_it_holds_the_lock_task_beside_its_schema_library_and_the_targets()
    {
        var package = Path.Combine(feed.FeedDirectory, $"Concordance.{feed.Version}.nupkg");
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("tasks/netstandard2.0/Concordance.Build.dll", entries);
        Assert.Contains("tasks/netstandard2.0/Concordance.Schema.dll", entries);
        Assert.Contains("build/Concordance.targets", entries);
        Assert.Contains("buildTransitive/Concordance.targets", entries);
        Assert.Contains("buildTransitive/Concordance.props", entries);
    }

    [Fact]
    public void Given_a_consumer_without_a_lock_when_it_builds_then_the_build_says_once_how_to_create_the_lock()
    {
        var consumer = feed.CreateConsumer("Shop");

        var build = Dotnet.Run(consumer, "build", "-nologo", "-tl:off");

        Assert.True(build.ExitCode == 0, build.Output);
        var notes = Regex.Matches(build.Output, @"Concordance CC0025: no lock file beside Shop\.concordance, .*dotnet build -p:ConcordanceUpdateLock=true");
        Assert.True(notes.Count == 1, build.Output);
        Assert.False(File.Exists(Path.Combine(consumer, "Shop.concordance.lock")), "a plain build must not write the lock");
    }

    [Fact]
    public void Given_a_consumer_when_built_with_ConcordanceUpdateLock_then_Shop_concordance_lock_records_its_events()
    {
        var consumer = feed.CreateConsumer("Shop");

        var build = Dotnet.Run(consumer, "build", "-nologo", "-tl:off", "-p:ConcordanceUpdateLock=true");

        Assert.True(build.ExitCode == 0, build.Output);
        var lockText = File.ReadAllText(Path.Combine(consumer, "Shop.concordance.lock"));
        Assert.Contains("concordance-lock 1\nnamespace Shop\n", lockText);
        Assert.Contains("event CartOpened v1\n  cartId: string\n  customer: string\n  openedAt: timestamp?\n", lockText);
        Assert.Contains("event ItemAdded v1\n  cartId: string\n  sku: string\n  quantity: int\n  tags: list<string>\n", lockText);
        Assert.DoesNotContain("CC0025", build.Output);
    }

    [Fact]
    public void Given_a_locked_consumer_when_an_event_field_changes_type_then_dotnet_build_fails_at_the_field_in_the_schema()
    {
        var consumer = LockedConsumer();
        var schema = Path.Combine(consumer, "Shop.concordance");
        File.WriteAllText(schema, File.ReadAllText(schema).Replace("openedAt: timestamp?", "openedAt: date?"));

        var build = Dotnet.Run(consumer, "build", "-nologo", "-tl:off");

        Assert.NotEqual(0, build.ExitCode);
        Assert.True(Regex.IsMatch(build.Output, @"Shop\.concordance\(7,64\): error CC0018: Field 'openedAt' of event 'CartOpened' v1 changed type from 'timestamp\?' to 'date\?'"), build.Output);
    }

    [Fact]
    public void Given_a_locked_consumer_when_a_new_event_is_added_then_dotnet_build_succeeds()
    {
        var consumer = LockedConsumer();
        File.AppendAllText(Path.Combine(consumer, "Shop.concordance"), "\nevent CartAbandoned { cartId: string, reason: string? }\n");

        var build = Dotnet.Run(consumer, "build", "-nologo", "-tl:off");

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.DoesNotMatch(@"\bCC00(1[6-9]|2[0-5])\b", build.Output);
    }

    /// <summary>A fresh Shop consumer whose lock the package's own task has just written.</summary>
    private string LockedConsumer()
    {
        var consumer = feed.CreateConsumer("Shop");
        var update = Dotnet.Run(consumer, "build", "-nologo", "-tl:off", "-p:ConcordanceUpdateLock=true");
        Assert.True(update.ExitCode == 0 && File.Exists(Path.Combine(consumer, "Shop.concordance.lock")), update.Output);
        return consumer;
    }
}
