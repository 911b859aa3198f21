using Concordance.Runtime.Tests.Commands;
using Concordance.Storage;
using Concordance.Storage.InMemory;
using Concordance.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concordance.Runtime.Tests;

public sealed class HostingTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Given_AddConcordance_with_UseSqlite_when_a_command_is_sent_then_it_lands_in_the_sqlite_file()
    {
        var services = new ServiceCollection();
        services.AddConcordance(o => o.UseSqlite(_database.ConnectionString)).AddMessages(AccountMessages.All).AddAggregate<AccountAggregate>();
        await using (var provider = services.BuildServiceProvider())
        {
            var bus = provider.GetRequiredService<ICommandBus>();
            Assert.True((await bus.SendAsync(new Open("alice", 0m))).IsAccepted);
            Assert.IsType<SqliteStore>(provider.GetRequiredService<IConcordanceStore>());
        }

        await using var reopened = SqliteStore.Open(_database.ConnectionString);
        Assert.Equal(1, await reopened.Events.GetStreamVersionAsync(new StreamId(AccountAggregate.AggregateName, "alice")));
    }

    [Fact]
    public async Task Given_the_parameterless_AddConcordance_then_the_bus_works_on_the_in_memory_store()
    {
        var services = new ServiceCollection();
        services.AddConcordance().AddMessages(AccountMessages.All).AddAggregate<AccountAggregate>();
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<ICommandBus>().SendAsync(new Open("alice", 0m));

        Assert.True(result.IsAccepted);
        Assert.IsType<InMemoryStore>(provider.GetRequiredService<IConcordanceStore>());
    }

    [Fact]
    public void Given_AddConcordance_twice_then_options_and_catalog_are_shared_and_the_last_store_choice_wins()
    {
        var services = new ServiceCollection();
        services.AddConcordance(o => o.SnapshotEvery = 7);
        services.AddConcordance(o => o.UseInMemory());

        using var provider = services.BuildServiceProvider();

        Assert.Equal(7, provider.GetRequiredService<ConcordanceOptions>().SnapshotEvery);
        Assert.Single(services, d => d.ServiceType == typeof(ComponentCatalog));
        Assert.Single(services, d => d.ServiceType == typeof(ConcordanceOptions));
    }

    [Fact]
    public async Task Given_a_provider_disposed_synchronously_when_the_bus_and_the_sqlite_store_were_used_then_it_disposes_and_the_command_is_kept()
    {
        var services = new ServiceCollection();
        services.AddConcordance(o => o.UseSqlite(_database.ConnectionString)).AddMessages(AccountMessages.All).AddAggregate<AccountAggregate>();
        var provider = services.BuildServiceProvider();
        Assert.True((await provider.GetRequiredService<ICommandBus>().SendAsync(new Open("alice", 0m))).IsAccepted);

        provider.Dispose();

        await using var reopened = SqliteStore.Open(_database.ConnectionString);
        Assert.Equal(1, await reopened.Events.GetStreamVersionAsync(new StreamId(AccountAggregate.AggregateName, "alice")));
    }
}
