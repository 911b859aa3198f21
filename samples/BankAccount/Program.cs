using Bank;

// The bank story of issue 5 on a real SQLite file, through the real runtime (see BankStory.cs).
//   dotnet run --project samples/BankAccount                 a fresh temporary database
//   dotnet run --project samples/BankAccount -- --db bank.db  keep (or reuse) bank.db
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
dbPath ??= Path.Combine(Path.GetTempPath(), $"concordance-bank-{Guid.NewGuid():N}.db");

var result = await BankStory.RunAsync(dbPath, Console.Out);
return result.Succeeded ? 0 : 1;
