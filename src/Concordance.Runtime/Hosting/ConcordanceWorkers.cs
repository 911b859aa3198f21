using System.Collections.Concurrent;

namespace Concordance;

/// <summary>
/// The hosted workers of this host (one service provider): each projector's, process manager's and gateway's, and the
/// outbox dispatcher's, with what each is doing now. Read by the health checks; resolve it to show the same elsewhere.
/// </summary>
public interface IConcordanceWorkers
{
    /// <summary>This host's id as a lease owner (with a store several hosts share, such as NATS).</summary>
    string HostId { get; }

    /// <summary>Every worker registered on this host and its state now, by name (e.g. <c>projector:Bank.AccountLedger</c>, <c>outbox</c>).</summary>
    IReadOnlyList<WorkerStatus> Current { get; }
}

/// <summary>What one hosted worker is doing.</summary>
public enum WorkerState
{
    /// <summary>The host has not started the worker (or has no host: a service provider built without one).</summary>
    NotStarted,

    /// <summary>Running on this host (with leases: this host holds the worker's lease).</summary>
    Running,

    /// <summary>Waiting: another host holds the worker's lease and runs it (or the lease could not be read); this host takes over when it expires.</summary>
    Standby,

    /// <summary>Failed and waiting to restart from its stored checkpoint after a backoff; <see cref="WorkerStatus.LastError"/> says why.</summary>
    Restarting,

    /// <summary>Stopped with the host.</summary>
    Stopped,
}

/// <summary>One worker's state.</summary>
/// <param name="Name">The worker's name, which is also its checkpoint and lease name: <c>projector:Bank.AccountLedger</c>, <c>outbox</c>.</param>
/// <param name="State">What it is doing.</param>
/// <param name="Since">When it entered <paramref name="State"/>.</param>
/// <param name="LastError">The failure that made it restart last, or null.</param>
public sealed record WorkerStatus(string Name, WorkerState State, DateTimeOffset Since, string? LastError);

/// <summary>The state cells of this host's workers; each worker writes its own.</summary>
internal sealed class ConcordanceWorkers(ProcessingEnvironment environment) : IConcordanceWorkers
{
    /// <summary>The outbox dispatcher's worker and lease name.</summary>
    public const string OutboxName = "outbox";

    private readonly ConcurrentDictionary<string, WorkerCell> _cells = new(StringComparer.Ordinal);

    public string HostId => environment.HostId;

    public IReadOnlyList<WorkerStatus> Current => _cells.Values.Select(c => c.Status).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    /// <summary>The cell of worker <paramref name="name"/>, made on first use (as the worker is created).</summary>
    public WorkerCell For(string name) => _cells.GetOrAdd(name, n => new WorkerCell(n, environment.Time));

    /// <summary>The status of worker <paramref name="name"/>, or null when no such worker is registered.</summary>
    public WorkerStatus? Find(string name) => _cells.TryGetValue(name, out var cell) ? cell.Status : null;
}

/// <summary>One worker's state, written by the worker and read by anyone.</summary>
internal sealed class WorkerCell(string name, TimeProvider time)
{
    private volatile WorkerStatus _status = new(name, WorkerState.NotStarted, time.GetUtcNow(), null);

    public WorkerStatus Status => _status;

    public void Set(WorkerState state, Exception? error = null)
    {
        var current = _status;
        if (current.State == state && error is null) return;
        _status = new WorkerStatus(name, state, time.GetUtcNow(), error?.Message ?? current.LastError);
    }
}
