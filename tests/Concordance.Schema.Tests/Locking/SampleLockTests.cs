using Concordance.Schema.Locking;

namespace Concordance.Schema.Tests.Locking;

/// <summary>The bank sample's checked-in lock cannot go stale silently.</summary>
public sealed class SampleLockTests
{
    private static readonly string SampleDirectory = Path.Combine(FindRepositoryRoot(), "samples", "BankAccount");

    [Fact]
    public void Given_the_bank_sample_when_its_schema_is_locked_then_the_text_equals_the_checked_in_lock()
    {
        var schemaPath = Path.Combine(SampleDirectory, "Bank.concordance");
        var expected = SchemaLockWriter.Write(SchemaLockBuilder.Build(SchemaParser.Parse(File.ReadAllText(schemaPath), schemaPath)), "Bank.concordance");

        var committed = File.ReadAllText(SchemaLock.PathFor(schemaPath));

        Assert.Equal(expected, committed);
    }

    [Fact]
    public void Given_the_bank_sample_lock_when_compared_with_its_schema_then_nothing_is_reported()
    {
        var schemaPath = Path.Combine(SampleDirectory, "Bank.concordance");
        var read = SchemaLockReader.Read(File.ReadAllText(SchemaLock.PathFor(schemaPath)));

        Assert.Empty(read.Diagnostics);
        Assert.Empty(SchemaLockComparer.Compare(read.Lock!, SchemaParser.Parse(File.ReadAllText(schemaPath), schemaPath)));
        Assert.Equal(9, read.Lock!.Events.Count);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Concordance.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("No Concordance.sln above " + AppContext.BaseDirectory);
    }
}
