using Concordance.Storage;
using Microsoft.Extensions.Logging;

namespace Concordance;

// Blue/green builds: a new version or a rebuild is projected into a shadow collection, then switched to in one step.
internal sealed partial class ProjectorRunner
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);
    private readonly SemaphoreSlim _buildGate = new(1, 1);
    private ProjectorRunner? _shadow;
    private int _loggedTenths = -1;

    /// <summary>
    /// One step of the blue/green machinery, run by the worker after each batch (and by a rebuild on a store without
    /// leases): removes a retired build, starts building a declared version newer than the active build's, projects one
    /// batch into the shadow build, and once the shadow has reached the head of the log, switches readers to it and
    /// removes the old build. Returns true while a build is in progress (the worker then goes on without waiting).
    /// </summary>
    public async Task<bool> AdvanceBuildAsync(CancellationToken cancellationToken)
    {
        await _buildGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var components = Environment.Store.Components;
            var stored = await components.GetProjectionAsync(ProjectorName, cancellationToken).ConfigureAwait(false);
            var current = stored ?? ProjectionGenerations.Initial;
            if (current.Retired is { } retired)
            {
                await RemoveAsync(retired, cancellationToken).ConfigureAwait(false);
                await components.SetProjectionAsync(ProjectorName, stored, current with { Retired = null }, cancellationToken).ConfigureAwait(false);
                return true;
            }
            if (current.Active != Active) await FollowSwitchAsync(cancellationToken).ConfigureAwait(false);
            // Only a newer declared version is built on its own: a host still running an older one (a rolling deploy) must
            // not take the read models back; it keeps following the active build until it is replaced.
            if (Version > (current.Building ?? current.Active).Version)
            {
                var next = current with { Building = new ProjectionGeneration(Version, current.LastNumber + 1) };
                if (await components.SetProjectionAsync(ProjectorName, stored, next, cancellationToken).ConfigureAwait(false))
                {
                    Logger.LogInformation("{Component}: version {Version} declared, the read models are of version {Active}; building {Generation} in the background.",
                        Component, Version, current.Active.Version, next.Building);
                    // A build of an older version still in progress is abandoned: its collection goes.
                    if (current.Building is { } abandoned) await RemoveAsync(abandoned, cancellationToken).ConfigureAwait(false);
                }
                return true;
            }
            // A build of a newer version than this host declares (another host's, during a rolling deploy) is built only by
            // hosts running that version's code: this one keeps following the active build until it is replaced.
            if (current.Building is not { } building || building.Version > Version)
            {
                DisposeShadow();
                return false;
            }
            var shadow = ShadowOf(building);
            if (await shadow.ProcessOneBatchAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                await LogProgressAsync(shadow, cancellationToken).ConfigureAwait(false);
                return true;
            }
            return !await SwitchAsync(stored, current, shadow, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _buildGate.Release();
        }
    }

    /// <summary>
    /// With the live worker paused, brings the shadow to the head and makes it the active build in one compare-and-set;
    /// then removes the old build. Returns false when another host changed the generations first.
    /// </summary>
    private async Task<bool> SwitchAsync(ProjectionGenerations? stored, ProjectionGenerations current, ProjectorRunner shadow, CancellationToken cancellationToken)
    {
        var components = Environment.Store.Components;
        var switched = new ProjectionGenerations(shadow.Active, null, current.Active);
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (await shadow.ProcessOneBatchAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
            }
            if (!await components.SetProjectionAsync(ProjectorName, stored, switched, CancellationToken.None).ConfigureAwait(false)) return false;
            Activate(switched.Active);
            Reset();
        }
        finally
        {
            Gate.Release();
        }
        Logger.LogInformation("{Component}: build {Generation} reached the head at position {Checkpoint}; readers switched to it from {Old}.",
            Component, switched.Active, shadow.Checkpoint, current.Active);
        DisposeShadow();
        await RemoveAsync(current.Active, cancellationToken).ConfigureAwait(false);
        await components.SetProjectionAsync(ProjectorName, switched, switched with { Retired = null }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Another host switched the build: serve and follow the new one.</summary>
    private async Task FollowSwitchAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RefreshActiveAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// Removes a build: its documents, its checkpoint and its dead letters (the build that replaced it projected their
    /// events itself, and parked its own for those that failed again).
    /// </summary>
    private async Task RemoveAsync(ProjectionGeneration generation, CancellationToken cancellationToken)
    {
        var store = Environment.Store;
        await store.Components.ResetAsync(generation.CheckpointOf(ProjectorName), generation.CollectionOf(ProjectorName), cancellationToken).ConfigureAwait(false);
        foreach (var letter in await store.DeadLetters.ListAsync(DeadLetterComponent, cancellationToken).ConfigureAwait(false))
        {
            if (GenerationOf(letter)?.Number == generation.Number)
                await store.DeadLetters.DeleteAsync(letter.Id, cancellationToken).ConfigureAwait(false);
        }
        // Parked before dead letters named the projector: under the build's own name.
        if (generation.Number != 0)
        {
            foreach (var letter in await store.DeadLetters.ListAsync(generation.CheckpointOf(ProjectorName), cancellationToken).ConfigureAwait(false))
                await store.DeadLetters.DeleteAsync(letter.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The build that parked <paramref name="letter"/>: its <see cref="DeadLetter.Generation"/>, the initial build when it
    /// has none, or the build named in its component (<c>projector:Name#v2.1</c>, as shadow builds parked them before);
    /// null when that does not parse.
    /// </summary>
    private ProjectionGeneration? GenerationOf(DeadLetter letter)
    {
        var hash = letter.Component.IndexOf('#', StringComparison.Ordinal);
        var text = letter.Generation ?? (hash >= 0 ? letter.Component[(hash + 1)..] : null);
        if (text is null) return ProjectionGeneration.Initial;
        try
        {
            return ProjectionGeneration.Parse(text);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// Retries a dead letter through the build that parked it: the active build (after a switch, the shadow build that
    /// parked it has become the active one), or the shadow build still in progress. A dead letter of a build since
    /// replaced is refused: the build now active projected its event itself.
    /// </summary>
    public override async Task<bool> RetryAsync(DeadLetter letter, StoredEvent stored, CancellationToken cancellationToken)
    {
        if (IsShadow) return await base.RetryAsync(letter, stored, cancellationToken).ConfigureAwait(false);
        var generation = GenerationOf(letter);
        if (generation?.Number == Active.Number) return await base.RetryAsync(letter, stored, cancellationToken).ConfigureAwait(false);
        var current = await Environment.Store.Components.GetProjectionAsync(ProjectorName, cancellationToken).ConfigureAwait(false) ?? ProjectionGenerations.Initial;
        if (generation is not null && current.Active.Number == generation.Number)
        {
            // Another host switched: follow it, then retry against the build readers are served.
            await FollowSwitchAsync(cancellationToken).ConfigureAwait(false);
            return await base.RetryAsync(letter, stored, cancellationToken).ConfigureAwait(false);
        }
        if (generation is not null && current.Building is { } building && building.Number == generation.Number)
        {
            await _buildGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await ShadowOf(building).RetryAsync(letter, stored, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _buildGate.Release();
            }
        }
        throw new InvalidOperationException(
            $"Dead letter '{letter.Id}' was parked by build {(object?)generation ?? letter.Generation} of {DeadLetterComponent}, which has since been replaced by {current.Active}: " +
            "that build projected the event itself. Discard the dead letter.");
    }

    private ProjectorRunner ShadowOf(ProjectionGeneration building)
    {
        if (_shadow is { } existing && existing.Active == building) return existing;
        DisposeShadow();
        _loggedTenths = -1;
        return _shadow = new ProjectorRunner(Projector, Environment, building);
    }

    private void DisposeShadow()
    {
        _shadow?.Dispose();
        _shadow = null;
    }

    /// <summary>A log line each time the shadow build passes another tenth of the log.</summary>
    private async Task LogProgressAsync(ProjectorRunner shadow, CancellationToken cancellationToken)
    {
        var head = await Environment.Store.Events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        var tenths = head <= 0 ? 10 : (int)Math.Min(10, shadow.Checkpoint * 10 / head);
        if (tenths <= _loggedTenths) return;
        _loggedTenths = tenths;
        Logger.LogInformation("{Component}: building {Generation}: {Percent} % (position {Checkpoint} of {Head}).",
            Component, shadow.Active, tenths * 10, shadow.Checkpoint, head);
    }

    /// <summary>
    /// Starts a new build of the declared version (or joins the build already in progress) and completes once readers
    /// are switched to it. On a store with leases the host holding the component's lease builds; otherwise this call does.
    /// </summary>
    public async Task RebuildAsync(IProgress<ProjectionRebuildProgress>? progress, CancellationToken cancellationToken)
    {
        var components = Environment.Store.Components;
        ProjectionGeneration requested;
        while (true)
        {
            var stored = await components.GetProjectionAsync(ProjectorName, cancellationToken).ConfigureAwait(false);
            var current = stored ?? ProjectionGenerations.Initial;
            if (current.Building is { } inProgress)
            {
                requested = inProgress;
                break;
            }
            requested = new ProjectionGeneration(Version, current.LastNumber + 1);
            if (await components.SetProjectionAsync(ProjectorName, stored, current with { Building = requested }, cancellationToken).ConfigureAwait(false)) break;
        }
        Logger.LogInformation("{Component}: rebuilding into {Generation}; readers keep {Active} until it reaches the head.", Component, requested, Active);
        var poll = FirstPoll;
        var time = Environment.Time;
        var lastPosition = -1L;
        var movedAt = time.GetTimestamp();
        var buildHere = false;
        while (true)
        {
            // With leases the worker holding the lease builds, here or on another host, and this call only waits. It builds
            // itself when no host holds the lease (none runs the projector), or when the build has not moved for a lease's
            // time to live (the holder runs an older version, which leaves newer builds alone): every commit and the switch
            // are compare-and-set, so two builders stay correct.
            // Once this call builds, it goes on building (its own commits move the build).
            buildHere = buildHere || Environment.Store.Leases is not { } leases
                || (!IsRunning && (await leases.GetHolderAsync(Component, cancellationToken).ConfigureAwait(false) is null
                    || time.GetElapsedTime(movedAt) > leases.TimeToLive));
            if (buildHere)
            {
                await AdvanceBuildAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(poll, cancellationToken).ConfigureAwait(false);
                poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
            }
            var generations = await components.GetProjectionAsync(ProjectorName, cancellationToken).ConfigureAwait(false) ?? ProjectionGenerations.Initial;
            var head = await Environment.Store.Events.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
            if (generations.Active.Number >= requested.Number)
            {
                if (generations.Active != Active) await FollowSwitchAsync(cancellationToken).ConfigureAwait(false);
                progress?.Report(new ProjectionRebuildProgress(ProjectorName, requested, head, head, true));
                return;
            }
            if (generations.Building != requested)
                throw new InvalidOperationException($"{Component}: the build {requested} was abandoned (the projector's declared version changed on another host?).");
            var position = await components.GetCheckpointAsync(requested.CheckpointOf(ProjectorName), cancellationToken).ConfigureAwait(false);
            if (position != lastPosition)
            {
                lastPosition = position;
                movedAt = time.GetTimestamp();
            }
            progress?.Report(new ProjectionRebuildProgress(ProjectorName, requested, Math.Min(position, head), head, false));
        }
    }
}
