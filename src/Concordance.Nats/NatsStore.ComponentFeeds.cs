using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Concordance.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Concordance.Nats;

public sealed partial class NatsStore
{
    private readonly ConcurrentDictionary<string, ComponentFeed> _feeds = new(StringComparer.Ordinal);

    /// <summary>
    /// The name of the durable consumer through which <paramref name="component"/> reads the events of stream
    /// category <paramref name="category"/> (null: of every stream, when the component's categories are unknown):
    /// the prefix, the component and the category with every character a consumer name cannot hold replaced, and a
    /// hash of the exact names so that two components never share one. For tools and tests.
    /// </summary>
    public string ComponentConsumerName(string component, string? category)
    {
        ArgumentException.ThrowIfNullOrEmpty(component);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(component + "\n" + (category ?? "\n*")));
        return $"{_options.Prefix}_{Readable(component)}_{(category is null ? "all" : Readable(category))}_{Convert.ToHexStringLower(hash.AsSpan(0, 4))}";

        static string Readable(string name)
        {
            var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '-').Take(64).ToArray();
            return new string(chars);
        }
    }

    /// <summary>The events-stream subjects of <paramref name="category"/>'s streams (every stream's when null).</summary>
    private string CategorySubject(string? category) =>
        category is null ? _eventSubjectPrefix + ">" : _eventSubjectPrefix + SubjectToken.Encode(category) + ".*";

    /// <summary>
    /// A component's read: through its durable consumers, one per stream category (2.9 gives a consumer one filter
    /// subject), merged in stream-sequence order. The feed is reused when the read resumes exactly where the last one
    /// ended, in the same reader session; otherwise (first read in this process, a new session after a failure or a
    /// lease lost to another host, a checkpoint moved, a rebuild) its consumers are deleted and created again at the
    /// asked position: the checkpoint is the truth, the durables are its server-side cursor. No request per page checks
    /// them: on nats-server 2.9 a wildcard-filtered consumer's info costs a scan of the stored messages.
    /// </summary>
    private async ValueTask<IReadOnlyList<StoredEvent>> ReadComponentAsync(string component, long afterPosition, int maxCount, EventFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Categories is { Count: 0 }) return [];
        var feed = _feeds.GetOrAdd(component, c => new ComponentFeed(c));
        await feed.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var callStarted = feed.Epoch;
            // Within one session of the component's reader the durables are this host's alone: the worker holds the
            // component's lease throughout, and restarts its session whenever it may not have (see EventFilter.Session).
            if (feed.ResumeAfter != afterPosition || feed.Session != filter.Session || !feed.Reads(filter.Categories))
            {
                await RestartFeedAsync(feed, filter.Categories, afterPosition, cancellationToken).ConfigureAwait(false);
                feed.Session = filter.Session;
            }
            return await ReadFeedPageAsync(feed, callStarted, afterPosition, maxCount, filter, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A page in progress may have taken messages off a buffer: the next read starts the consumers afresh.
            feed.ResumeAfter = -1;
            throw;
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    private async Task RestartFeedAsync(ComponentFeed feed, IReadOnlySet<string>? categories, long afterPosition, CancellationToken cancellationToken)
    {
        var start = Math.Max(1, EventMessage.SequenceOf(afterPosition));
        IEnumerable<string?> wanted = categories is null ? [null] : categories.Order(StringComparer.Ordinal);
        feed.Categories = categories is null ? null : new HashSet<string>(categories, StringComparer.Ordinal);
        feed.Sources = [.. wanted.Select(c => new CategorySource(c, ComponentConsumerName(feed.Component, c), CategorySubject(c), new LogCursor(null, afterPosition, start)))];
        feed.ResumeAfter = -1;
        var epoch = ++feed.Epoch;
        await Task.WhenAll(feed.Sources.Select(s => RecreateDurableAsync(s, epoch, cancellationToken))).ConfigureAwait(false);
        feed.ResumeAfter = afterPosition;
    }

    /// <summary>
    /// Deletes the source's durable consumer and creates it again at the source's next sequence (its buffer stays: it
    /// holds only lower sequences); <paramref name="epoch"/> dates the creation's answer of what is pending.
    /// </summary>
    private async Task RecreateDurableAsync(CategorySource source, long epoch, CancellationToken cancellationToken)
    {
        var cursor = source.Cursor;
        cursor.Consumer = null;
        var config = new ConsumerConfig(source.Name)
        {
            FilterSubject = source.Subject,
            AckPolicy = ConsumerConfigAckPolicy.None,
            DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = cursor.NextSequence,
            NumReplicas = _options.Replicas,
            // A consumer the server deleted for inactivity is recreated where the source stands (FillSourceAsync).
            InactiveThreshold = _options.ComponentConsumerInactiveThreshold,
        };
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                try
                {
                    await _js.DeleteConsumerAsync(_eventsStream, source.Name, timeout.Token).ConfigureAwait(false);
                }
                catch (NatsJSApiException ex) when (ex.Error.Code == 404)
                {
                    // Not there yet (first start) or already gone.
                }
                var consumer = await _js.CreateOrUpdateConsumerAsync(_eventsStream, config, timeout.Token).ConfigureAwait(false);
                cursor.Consumer = consumer;
                cursor.ConsumerName = source.Name;
                cursor.ConsumerSequence = 0;
                cursor.Pending = consumer.Info.NumPending;
                source.EmptyAtEpoch = consumer.Info.NumPending == 0 ? epoch : -1;
                return;
            }
            // Unanswered (a cluster electing a leader), or another host recreating it at the same moment: try again.
            catch (Exception ex) when (attempt < 4 && !cancellationToken.IsCancellationRequested
                && ex is NatsJSApiException or NatsJSApiNoResponseException or NatsNoReplyException or OperationCanceledException)
            {
            }
        }
    }

    /// <summary>
    /// Fills a page from the feed's consumers in stream-sequence order. The message with the lowest sequence among the
    /// buffered ones is returned only when every other consumer either has a buffered message (a higher sequence) or
    /// reported nothing pending after that message was fetched: JetStream stores in sequence order, so no message with
    /// a lower sequence can still come from it.
    /// </summary>
    private async ValueTask<IReadOnlyList<StoredEvent>> ReadFeedPageAsync(ComponentFeed feed, long callStarted, long afterPosition, int maxCount, EventFilter filter, CancellationToken cancellationToken)
    {
        var result = new List<StoredEvent>(Math.Min(maxCount, 1024));
        var firstSequence = EventMessage.SequenceOf(afterPosition);
        var headerTypes = !filter.EventTypes.Any(t => t.Contains(',')) ? filter.EventTypes : null;
        var sources = feed.Sources;
        while (result.Count < maxCount)
        {
            CategorySource? lowest = null;
            foreach (var source in sources)
            {
                if (source.Cursor.Buffer.Count > 0 && (lowest is null || source.Cursor.Buffer.Peek().Sequence < lowest.Cursor.Buffer.Peek().Sequence)) lowest = source;
            }
            if (lowest is null)
            {
                // Every buffer is empty: ask each consumer not yet seen at its end during this call.
                var asked = false;
                foreach (var source in sources)
                {
                    if (source.AtEndSince(callStarted)) continue;
                    await FillSourceAsync(feed, source, cancellationToken).ConfigureAwait(false);
                    asked = true;
                }
                if (!asked) break;
                continue;
            }
            var unproven = sources.FirstOrDefault(s => s != lowest && s.Cursor.Buffer.Count == 0 && !s.AtEndSince(lowest.BufferEpoch));
            if (unproven is not null)
            {
                await FillSourceAsync(feed, unproven, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var raw = lowest.Cursor.Buffer.Peek();
            if (raw.Sequence < firstSequence || (headerTypes is not null && raw.Types is { } types && !NamesAny(types, headerTypes)))
            {
                lowest.Cursor.Buffer.Dequeue();
                continue;
            }
            if (AddEvents(raw, afterPosition, maxCount, filter, result)) lowest.Cursor.Buffer.Dequeue();
        }
        feed.ResumeAfter = result.Count > 0 ? Math.Max(afterPosition, result[^1].Position) : afterPosition;
        return result;
    }

    /// <summary>
    /// Fetches the source's next messages into its (empty) buffer, or proves it has none pending; either way marks the
    /// time of the answer with a new epoch of the feed. A consumer that is gone, answers nothing although messages are
    /// pending, or delivered a message the buffer never got (a consumer-sequence gap) is recreated where the source stands.
    /// </summary>
    private async ValueTask FillSourceAsync(ComponentFeed feed, CategorySource source, CancellationToken cancellationToken)
    {
        var cursor = source.Cursor;
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > MaxFillAttempts + 1)
                throw new NatsJSException($"Reading the events stream '{_eventsStream}' through consumer '{source.Name}' from sequence {cursor.NextSequence} returned nothing although messages are pending.");
            if (cursor.Consumer is null)
            {
                var created = ++feed.Epoch;
                await RecreateDurableAsync(source, created, cancellationToken).ConfigureAwait(false);
                // Its creation answered that nothing is pending: that proves the end as well as a look would.
                if (source.AtEndSince(created - 1)) return;
            }
            // Known to be at its end: one look at the consumer's state costs less than a fetch that comes back empty.
            if (cursor.Pending == 0)
            {
                var epoch = ++feed.Epoch;
                var pending = await CheckConsumerAsync(cursor, cancellationToken).ConfigureAwait(false);
                if (pending == 0)
                {
                    source.EmptyAtEpoch = epoch;
                    return;
                }
                if (pending is null)
                {
                    cursor.Consumer = null;
                    continue;
                }
                cursor.Pending = pending.Value;
            }
            var fetchEpoch = ++feed.Epoch;
            var (received, broken) = await FetchAsync(cursor, cancellationToken).ConfigureAwait(false);
            if (received > 0)
            {
                source.BufferEpoch = fetchEpoch;
                if (cursor.Pending == 0) source.EmptyAtEpoch = fetchEpoch;
            }
            if (broken)
            {
                cursor.Consumer = null;
                if (received > 0) return;
            }
            else if (received > 0)
            {
                return;
            }
            else
            {
                // An empty fetch although something was pending: look again (the state check above settles it).
                cursor.Pending = 0;
            }
        }
    }

    /// <summary>One component's reading state in this process: its consumers and where its last page ended.</summary>
    private sealed class ComponentFeed(string component)
    {
        public string Component { get; } = component;

        /// <summary>Serialises reads of the component (its worker reads one page at a time anyway).</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>The position after which the next read can go on without recreating the consumers; -1 when none.</summary>
        public long ResumeAfter { get; set; } = -1;

        public HashSet<string>? Categories { get; set; }

        /// <summary>The reader session the durables were created for (see <see cref="EventFilter.Session"/>).</summary>
        public string? Session { get; set; }

        public IReadOnlyList<CategorySource> Sources { get; set; } = [];

        /// <summary>Counts the requests to the server, in the order they were made (one at a time): a later epoch answered later.</summary>
        public long Epoch { get; set; }

        public bool Reads(IReadOnlySet<string>? categories) =>
            Categories is null ? categories is null && Sources.Count == 1 : categories is not null && Categories.SetEquals(categories);
    }

    /// <summary>One durable consumer of a component: its category's streams, its place and its fetched messages.</summary>
    private sealed class CategorySource(string? category, string name, string subject, LogCursor cursor)
    {
        public string? Category { get; } = category;

        public string Name { get; } = name;

        public string Subject { get; } = subject;

        public LogCursor Cursor { get; } = cursor;

        /// <summary>The epoch of the fetch that filled the buffer (a source is filled only when its buffer is empty).</summary>
        public long BufferEpoch { get; set; } = -1;

        /// <summary>The epoch of the last answer saying nothing was pending beyond what was fetched; -1 when none.</summary>
        public long EmptyAtEpoch { get; set; } = -1;

        /// <summary>True when, with an empty buffer, the consumer said it had nothing more in an answer later than <paramref name="epoch"/>.</summary>
        public bool AtEndSince(long epoch) => Cursor.Pending == 0 && EmptyAtEpoch > epoch;
    }
}
