using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Concordance.Runtime.Tests.Commands;
using Xunit;

namespace Concordance.Runtime.Tests.Processing;

/// <summary>The ledger's read model, source-generated with the web defaults the runtime's read-model JSON has.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AccountSummary))]
public sealed partial class LedgerJson : JsonSerializerContext;

/// <summary>Type information for another type only: the ledger's read model is not in it.</summary>
[JsonSerializable(typeof(PayoutState))]
public sealed partial class UnrelatedJson : JsonSerializerContext;

/// <summary>
/// Read models through source-generated JSON (<c>o.Processing.AddReadModelJson(context)</c>), the path of trimmed and
/// NativeAOT applications; and the start-up check that fails such an application when its read models have none.
/// </summary>
public sealed class ReadModelJsonTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Given_a_source_generated_context_when_the_projector_writes_and_the_app_reads_then_the_stored_json_is_the_reflection_default_json()
    {
        await using var generated = Harness.InMemory(projectors: [new Ledger()], configure: o => o.AddReadModelJson(LedgerJson.Default));
        await using var reflection = Harness.InMemory(projectors: [new Ledger()]);
        foreach (var harness in new[] { generated, reflection })
        {
            await harness.AppendAsync(Harness.Account("alice"), new Opened("alice", 0m), new Deposited("alice", 12.5m, "salary"));
            await harness.Projector().CatchUpAsync();
        }

        Assert.Equal(new AccountSummary("alice", 12.5m, 2, "salary"), await generated.ReadModels.GetAsync<AccountSummary>(Ledger.ProjectorName, "alice"));
        var stored = await generated.Store.Components.GetDocumentAsync(Ledger.ProjectorName, "alice");
        var storedByReflection = await reflection.Store.Components.GetDocumentAsync(Ledger.ProjectorName, "alice");
        Assert.Equal("""{"account":"alice","balance":12.5,"operations":2,"lastNote":"salary"}""", Encoding.UTF8.GetString(stored!.Data.Span));
        Assert.Equal(Encoding.UTF8.GetString(storedByReflection!.Data.Span), Encoding.UTF8.GetString(stored.Data.Span));
    }

    [Fact]
    public async Task Given_a_context_without_the_read_model_type_when_the_app_reads_it_then_it_fails_naming_the_type_instead_of_falling_back_to_reflection()
    {
        await using (var writer = Harness.Sqlite(_database, projectors: [new Ledger()]))
        {
            await writer.AppendAsync(Harness.Account("alice"), new Opened("alice", 0m));
            await writer.Projector().CatchUpAsync();
        }
        await using var reader = Harness.Sqlite(_database, projectors: [new Ledger()], configure: o => o.AddReadModelJson(UnrelatedJson.Default));

        var failure = await Assert.ThrowsAsync<NotSupportedException>(() => reader.ReadModels.GetAsync<AccountSummary>(Ledger.ProjectorName, "alice").AsTask());

        Assert.Contains(typeof(AccountSummary).FullName!, failure.Message);
    }

    [Fact]
    public void Given_reflection_based_json_off_and_projectors_without_read_model_type_information_when_the_host_builds_its_runners_then_it_fails_saying_what_to_add()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new ProcessingOptions().CheckReadModelJson(projectorCount: 1, reflectionEnabled: false));

        Assert.Contains("AddReadModelJson", failure.Message);
        Assert.Contains("JsonSerializerContext", failure.Message);
    }

    [Theory]
    [InlineData(1, true, false)]
    [InlineData(1, false, true)]
    [InlineData(0, false, false)]
    public void Given_reflection_on_or_type_information_added_or_no_projectors_when_the_host_builds_its_runners_then_it_starts(int projectors, bool reflectionEnabled, bool addContext)
    {
        var options = new ProcessingOptions();
        if (addContext) options.AddReadModelJson(LedgerJson.Default);

        options.CheckReadModelJson(projectors, reflectionEnabled);
    }
}
