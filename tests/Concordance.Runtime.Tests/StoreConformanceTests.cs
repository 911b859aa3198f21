using Concordance.Conformance;
using Concordance.Storage;
using Concordance.Storage.InMemory;
using Concordance.Storage.Sqlite;

namespace Concordance.Runtime.Tests;

public sealed class InMemoryStoreConformance : EventStoreConformance
{
    protected override ValueTask<IConcordanceStore> CreateStoreAsync() => ValueTask.FromResult<IConcordanceStore>(new InMemoryStore());
}

public sealed class SqliteStoreConformance : EventStoreConformance
{
    private readonly TempDatabase _database = new();

    protected override ValueTask<IConcordanceStore> CreateStoreAsync() => ValueTask.FromResult<IConcordanceStore>(SqliteStore.Open(_database.ConnectionString));

    protected override ValueTask CleanUpAsync()
    {
        _database.Dispose();
        return ValueTask.CompletedTask;
    }
}
