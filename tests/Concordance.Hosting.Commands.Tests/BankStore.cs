using Bank;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Concordance.Hosting.Commands.Tests;

/// <summary>
/// A SQLite store written by the bank sample run as a process (<c>BankAccount --db FILE</c>), once per test class; each
/// test works on its own copy.
/// </summary>
public sealed class BankStore : IDisposable
{
    private readonly TempFolder _folder = new();

    public BankStore()
    {
        Template = _folder.File("bank.db");
        var run = Processes.Bank("--db", Template);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("The story reached its expected end", run.Output);
        Assert.Equal([Template], Directory.GetFiles(_folder.Path));
    }

    /// <summary>The file the sample wrote.</summary>
    public string Template { get; }

    /// <summary>The bank story's events, in log order: stream, version, type.</summary>
    public static readonly string[] StoryEvents =
    [
        "Bank.BankAccount/ABC123 1 Bank.AccountCreated",
        "Bank.BankAccount/ABC123 2 Bank.FundsDeposited",
        "Bank.BankAccount/ABC123 3 Bank.FundsDeposited",
        "Bank.BankAccount/ABC123 4 Bank.FundsWithdrawn",
        "Bank.BankAccount/ABC123 5 Bank.WireTransferInitiated",
        "Bank.BankAccount/ABC123 6 Bank.FundsReserved",
        "Bank.WireNetwork/ABC123 1 Bank.WireTransferSucceeded",
        "Bank.BankAccount/ABC123 7 Bank.FundsCommitted",
        "Bank.BankAccount/ABC123 8 Bank.WireTransferInitiated",
        "Bank.BankAccount/ABC123 9 Bank.FundsReserved",
        "Bank.WireNetwork/ABC123 2 Bank.WireTransferFailed",
        "Bank.BankAccount/ABC123 10 Bank.FundsReleased",
    ];

    /// <summary>A copy of the bank store in <paramref name="folder"/>.</summary>
    public string CopyTo(TempFolder folder, string name = "bank.db")
    {
        var path = folder.File(name);
        File.Copy(Template, path);
        return path;
    }

    /// <summary>
    /// Appends a deposit whose data is torn JSON to the account's stream, then runs the bank application on the file
    /// until its ledger projector has parked that event as a dead letter.
    /// </summary>
    /// <returns>The dead letter's id.</returns>
    public static async Task<string> PoisonAsync(string path)
    {
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO events (category, stream_key, version, id, type, schema_version, source, time, correlation_id, causation_id, data)
                VALUES ('Bank.BankAccount', 'ABC123', 11, 'poison-1', 'Bank.FundsDeposited', 1, '/tests', 0, NULL, NULL, CAST('{"accountNumber":"ABC1' AS BLOB))
                """;
            insert.ExecuteNonQuery();
        }
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var host = BankStory.BuildHost(o => o.UseSqlite($"Data Source={path}"), http);
        try
        {
            await host.StartAsync();
            var deadLetters = host.Services.GetRequiredService<IDeadLetters>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                if (await deadLetters.ListAsync() is [var letter]) return letter.Id;
                await Task.Delay(50);
            }
            throw new TimeoutException("The ledger did not park the poisoned deposit.");
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>Mends the poisoned deposit's data, so a retry succeeds.</summary>
    public static void Mend(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var update = connection.CreateCommand();
        update.CommandText = """UPDATE events SET data = CAST('{"accountNumber":"ABC123","amount":5,"note":"mended","customerId":"CUSTBOB"}' AS BLOB) WHERE id = 'poison-1'""";
        Assert.Equal(1, update.ExecuteNonQuery());
    }

    public void Dispose() => _folder.Dispose();
}
