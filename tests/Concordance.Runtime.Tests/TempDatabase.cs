namespace Concordance.Runtime.Tests;

/// <summary>A real SQLite file in a fresh temp folder, deleted (with its WAL and SHM files) on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("concordance-tests-").FullName;
        Path = System.IO.Path.Combine(Directory, "store.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere on an odd platform; the temp folder is cleaned by the OS eventually.
        }
    }
}
