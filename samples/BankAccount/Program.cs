using Bank;
using Microsoft.Data.Sqlite;

// The bank story on a real SQLite file, through the real runtime (see BankStory.cs).
//   dotnet run --project samples/BankAccount                  a fresh temporary database, deleted at exit
//   dotnet run --project samples/BankAccount -- --db bank.db  use bank.db (created if missing) and keep it
string? dbPath = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--db" && i + 1 < args.Length) dbPath = args[++i];
    else if (args[i].StartsWith("--db=", StringComparison.Ordinal)) dbPath = args[i]["--db=".Length..];
    else
    {
        Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: BankAccount [--db PATH]");
        return 2;
    }
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
