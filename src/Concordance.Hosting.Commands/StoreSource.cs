using System.CommandLine;
using Concordance.Nats;
using Concordance.Storage;
using Concordance.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using NATS.Client.Core;

namespace Concordance.Hosting.Commands;

/// <summary>
/// Where a store command finds its store: the application's own (in-app commands), or a SQLite file or a NATS server named
/// on the command line (<c>--db FILE | --nats URL [--prefix P]</c>) by the tool.
/// </summary>
internal abstract class StoreSource
{
    /// <summary>Adds what the source needs to <paramref name="command"/> (the tool's store options; nothing in-app).</summary>
    public abstract void AddOptionsTo(Command command);

    /// <summary>Opens the store for reading only: nothing in it is created, migrated or changed. <paramref name="follow"/>: reads must see later commits.</summary>
    public abstract Task<StoreLease> OpenForReadingAsync(ParseResult parse, CancellationToken cancellationToken, bool follow = false);

    /// <summary>Opens the store for writing (discarding a dead letter, importing events); <paramref name="create"/> creates a store that does not exist yet.</summary>
    public abstract Task<StoreLease> OpenForWritingAsync(ParseResult parse, bool create, CancellationToken cancellationToken);

    /// <summary>The status of every component the store knows of (a checkpoint or dead letters); in-app, of every registered component too.</summary>
    public virtual Task<IReadOnlyList<ComponentStatus>> ReadStatusAsync(IConcordanceStore store, CancellationToken cancellationToken) =>
        ComponentStatus.ReadAsync(store, null, cancellationToken);
}

/// <summary>A store a command uses, disposed after it when the command opened it.</summary>
internal sealed class StoreLease(IConcordanceStore store, string description, bool owned) : IAsyncDisposable
{
    public IConcordanceStore Store { get; } = store;

    /// <summary>The store as the user named it, for messages.</summary>
    public string Description { get; } = description;

    public ValueTask DisposeAsync() => owned ? Store.DisposeAsync() : ValueTask.CompletedTask;
}

/// <summary>The application's own store, from its service provider; never disposed by a command.</summary>
internal sealed class AppStoreSource(IConcordanceStore store, IProcessingStatus status) : StoreSource
{
    public override Task<IReadOnlyList<ComponentStatus>> ReadStatusAsync(IConcordanceStore store, CancellationToken cancellationToken) =>
        status.GetAsync(cancellationToken);

    public override void AddOptionsTo(Command command)
    {
    }

    public override Task<StoreLease> OpenForReadingAsync(ParseResult parse, CancellationToken cancellationToken, bool follow = false) =>
        Task.FromResult(new StoreLease(store, "the application's store", owned: false));

    public override Task<StoreLease> OpenForWritingAsync(ParseResult parse, bool create, CancellationToken cancellationToken) =>
        OpenForReadingAsync(parse, cancellationToken);
}

/// <summary>A store named on the command line: <c>--db FILE</c> (SQLite) or <c>--nats URL [--prefix P]</c>.</summary>
internal sealed class CommandLineStoreSource : StoreSource
{
    /// <summary>How long reaching a NATS server may take before the command gives up.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    private readonly Option<FileInfo?> _db = new("--db") { Description = "The SQLite file of the store (read-only commands never change it).", HelpName = "FILE" };
    private readonly Option<string?> _nats = new("--nats") { Description = "The NATS server of the store, e.g. nats://127.0.0.1:4222.", HelpName = "URL" };
    private readonly Option<string?> _prefix = new("--prefix") { Description = "The store's prefix on NATS (its streams and buckets are named after it). Default: concordance.", HelpName = "P" };

    public override void AddOptionsTo(Command command)
    {
        command.Add(_db);
        command.Add(_nats);
        command.Add(_prefix);
        command.Validators.Add(result =>
        {
            var db = result.GetResult(_db) is not null;
            var nats = result.GetResult(_nats) is not null;
            if (db == nats) result.AddError("Name the store with exactly one of --db FILE or --nats URL.");
            else if (db && result.GetResult(_prefix) is not null) result.AddError("--prefix applies to --nats only.");
        });
    }

    public override async Task<StoreLease> OpenForReadingAsync(ParseResult parse, CancellationToken cancellationToken, bool follow = false)
    {
        if (parse.GetValue(_db) is { } file)
        {
            RequireFile(file);
            return new StoreLease(OpenSqlite(file, () => SqliteStore.OpenReadOnly(file.FullName, follow)), file.FullName, owned: true);
        }
        return await OpenNatsAsync(parse, create: false, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<StoreLease> OpenForWritingAsync(ParseResult parse, bool create, CancellationToken cancellationToken)
    {
        if (parse.GetValue(_db) is { } file)
        {
            if (!create) RequireFile(file);
            var connection = new SqliteConnectionStringBuilder { DataSource = file.FullName, Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite };
            return new StoreLease(OpenSqlite(file, () => SqliteStore.Open(connection.ToString())), file.FullName, owned: true);
        }
        return await OpenNatsAsync(parse, create, cancellationToken).ConfigureAwait(false);
    }

    private static void RequireFile(FileInfo file)
    {
        if (!file.Exists) throw new CommandFailure($"There is no file '{file.FullName}'.");
    }

    private static SqliteStore OpenSqlite(FileInfo file, Func<SqliteStore> open)
    {
        try
        {
            return open();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 26)
        {
            throw new CommandFailure($"'{file.FullName}' is not a SQLite database, so not a Concordance store.");
        }
        catch (SqliteException ex)
        {
            throw new CommandFailure($"Cannot open '{file.FullName}': {ex.Message}");
        }
    }

    private async Task<StoreLease> OpenNatsAsync(ParseResult parse, bool create, CancellationToken cancellationToken)
    {
        var url = parse.GetValue(_nats)!;
        var options = new NatsStoreOptions
        {
            Url = url,
            Prefix = parse.GetValue(_prefix) ?? new NatsStoreOptions().Prefix,
            ConnectionName = "concordance-tool",
            // A tool gives up at once on a server it cannot reach, instead of reconnecting for ever as a host does.
            ConfigureConnection = o => o with { ConnectTimeout = ConnectTimeout, MaxReconnectRetry = 0 },
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout * 2);
        var description = $"prefix '{options.Prefix}' on {url}";
        try
        {
            var connecting = create ? NatsStore.ConnectAsync(options, timeout.Token) : NatsStore.ConnectExistingAsync(options, timeout.Token);
            var store = await connecting.WaitAsync(timeout.Token).ConfigureAwait(false);
            return new StoreLease(store, description, owned: true);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailure($"Cannot reach the NATS server at {url}: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            throw new CommandFailure(ex.Message);
        }
    }
}
