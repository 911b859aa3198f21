using Bank;
using Concordance;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

// The bank story through the real runtime (see BankStory.cs), on a real SQLite file or on NATS JetStream.
//   dotnet run --project samples/BankAccount                  a fresh temporary database, deleted at exit
//   dotnet run --project samples/BankAccount -- --db bank.db  use bank.db (created if missing) and keep it
//   dotnet run --project samples/BankAccount -- --nats nats://127.0.0.1:4222 [--prefix NAME]
//       NATS JetStream (start a server with scripts/nats-server.sh); streams and buckets under a fresh prefix unless
//       --prefix names one. They stay on the server: rerun with the same --prefix and every command is answered from
//       its first outcome.
//   dotnet run --project samples/BankAccount -- --db bank.db concordance status
//       in-app commands on the application's own store and components (everything after "concordance"): status, events,
//       dead-letters list|show|retry|discard, projections rebuild AccountLedger; see docs/tool.md, "In-app commands"
//   dotnet publish samples/BankAccount -c Release -p:PublishAot=true -o out, then out/BankAccount with the same options
//       one native executable (NativeAOT), no .NET runtime needed; see docs/nativeaot.md
const string usage = "Usage: BankAccount [--db PATH] | [--nats URL [--prefix NAME]] [concordance COMMAND…]";
string? dbPath = null, natsUrl = null, prefix = null;
string[]? command = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == ConcordanceCommandsHostExtensions.CommandName)
    {
        command = args[i..];
        break;
    }
    if (args[i] == "--db" && i + 1 < args.Length) dbPath = args[++i];
    else if (args[i].StartsWith("--db=", StringComparison.Ordinal)) dbPath = args[i]["--db=".Length..];
    else if (args[i] == "--nats" && i + 1 < args.Length) natsUrl = args[++i];
    else if (args[i].StartsWith("--nats=", StringComparison.Ordinal)) natsUrl = args[i]["--nats=".Length..];
    else if (args[i] == "--prefix" && i + 1 < args.Length) prefix = args[++i];
    else if (args[i].StartsWith("--prefix=", StringComparison.Ordinal)) prefix = args[i]["--prefix=".Length..];
    else
    {
        Console.Error.WriteLine($"Unknown argument '{args[i]}'. {usage}");
        return 2;
    }
}
if ((natsUrl is not null && dbPath is not null) || (prefix is not null && natsUrl is null))
{
    Console.Error.WriteLine(usage);
    return 2;
}

if (command is not null)
{
    // The application's own host, store and components run the command; the wire network is simulated here too, so a
    // retried gateway dead letter reaches it.
    if (dbPath is null && natsUrl is null)
    {
        Console.Error.WriteLine($"error: name the store the command works on (--db PATH or --nats URL --prefix NAME). {usage}");
        return 2;
    }
    await using var network = SimulatedWireNetwork.Start();
    using var http = new HttpClient { BaseAddress = network.BaseAddress };
    Action<ConcordanceOptions> useStore = natsUrl is not null
        ? o => o.UseNats(natsUrl, n => n.Prefix = prefix ?? "concordance")
        : o => o.UseSqlite($"Data Source={dbPath}");
    return await BankStory.BuildHost(useStore, http).RunConcordanceCommandsAsync(command);
}

if (natsUrl is not null)
{
    prefix ??= $"bank-{Guid.NewGuid():N}"[..13];
    var result = await BankStory.RunAsync(o => o.UseNats(natsUrl, n => n.Prefix = prefix), $"{natsUrl} (NATS JetStream, prefix {prefix})", Console.Out);
    Console.WriteLine($"(The streams and buckets stay on the server under prefix {prefix}; rerun the same story on them with: --nats {natsUrl} --prefix {prefix})");
    return result.Succeeded ? 0 : 1;
}

var temporary = dbPath is null;
dbPath ??= Path.Combine(Path.GetTempPath(), $"concordance-bank-{Guid.NewGuid():N}.db");

try
{
    var result = await BankStory.RunAsync(dbPath, Console.Out);
    return result.Succeeded ? 0 : 1;
}
finally
{
    if (temporary)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" })
        {
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        Console.WriteLine($"(The database was temporary and is deleted; keep one with: dotnet run --project samples/BankAccount -- --db bank.db)");
    }
}
