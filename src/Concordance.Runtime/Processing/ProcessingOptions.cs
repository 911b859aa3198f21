using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Concordance;

/// <summary>
/// How projectors, process managers, gateways and the outbox run: batch sizes, attempts before an event is
/// dead-lettered, retry backoff, and the JSON of read models. <c>ConcordanceOptions.Processing</c>.
/// </summary>
public sealed class ProcessingOptions
{
    /// <summary>
    /// The most events a subscriber reads and commits as one unit (projectors and process managers; a projector far
    /// behind the head reads up to <see cref="CatchUpBatchSize"/>), and the most outbox messages sent per round.
    /// </summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>
    /// The most events a projector reads and commits as one unit while it is behind the head of the log by more than
    /// <see cref="BatchSize"/> (starting, after a rebuild or a long stop): fewer, larger transactions, and a document
    /// written by several events of the batch is written once. The batch is read in pages of an eighth of this (at least
    /// <see cref="BatchSize"/>), each projected while the next are read. At the head it reads <see cref="BatchSize"/> at
    /// a time. A catch-up batch whose commit the store refuses for its size is read and handled again
    /// <see cref="BatchSize"/> at a time.
    /// Values below <see cref="BatchSize"/> mean <see cref="BatchSize"/>.
    /// </summary>
    public int CatchUpBatchSize { get; set; } = 4096;

    /// <summary>
    /// How many times a component is tried on one event before the event is parked as a dead letter (at least 1); also
    /// how many failed sends in a row, while the store answers, set an outbox command aside so the commands after it go on.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the second attempt; each later wait is <see cref="RetryBackoffFactor"/> times longer, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The factor by which consecutive retry waits grow (exponential backoff).</summary>
    public double RetryBackoffFactor { get; set; } = 2.0;

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle subscriber looks at the log even without a wake-up signal (events written by another process).</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the outbox dispatcher looks for pending messages without a wake-up signal.</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// With a store shared by several hosts (one that offers leases, e.g. NATS): how often the host running a component
    /// renews its lease, and how often a host without it tries to take it over. Null (the default) is a third of the
    /// store's lease time to live, so one renewal may fail and the next still lands in time. A host that dies stops
    /// renewing; another takes the component over once the lease has expired.
    /// </summary>
    public TimeSpan? LeaseRenewInterval { get; set; }

    /// <summary>
    /// The System.Text.Json options read models (the values projectors <c>Set</c> and <c>IReadModels</c> returns)
    /// are written and read with. The default has web defaults (camelCase) and no <c>TypeInfoResolver</c>, so
    /// System.Text.Json falls back to reflection where reflection is enabled; for trimmed or native AOT applications
    /// add a source-generated <c>JsonSerializerContext</c> listing the read-model types with <see cref="AddReadModelJson"/>.
    /// Type information is always looked up through these options (<c>GetTypeInfo</c>), never through reflection entry points.
    /// </summary>
    public JsonSerializerOptions ReadModelJson { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds <paramref name="typeInfo"/> to the resolvers of <see cref="ReadModelJson"/>, after those added before:
    /// typically a source-generated <c>JsonSerializerContext</c> with a <c>[JsonSerializable(typeof(…))]</c> per
    /// read-model type (<c>o.Processing.AddReadModelJson(AppJson.Default)</c>). From then on read models are written and
    /// read with the added type information only, never with reflection, so the application behaves the same under the
    /// JIT and published with NativeAOT or trimming. Give the context web defaults
    /// (<c>[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]</c>) to keep the JSON of read models already stored.
    /// </summary>
    /// <returns>These options, for chaining.</returns>
    public ProcessingOptions AddReadModelJson(IJsonTypeInfoResolver typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        ReadModelJson.TypeInfoResolverChain.Add(typeInfo);
        return this;
    }

    /// <summary>
    /// Fails a host with projectors whose read models could not be serialized: reflection-based JSON is off (a NativeAOT
    /// or trimmed application) and <see cref="ReadModelJson"/> has no type information of its own.
    /// </summary>
    /// <exception cref="InvalidOperationException">The read models have no way to be written or read.</exception>
    internal void CheckReadModelJson(int projectorCount, bool reflectionEnabled)
    {
        if (projectorCount == 0 || reflectionEnabled || ReadModelJson.TypeInfoResolver is not null) return;
        throw new InvalidOperationException(
            "Concordance: this application runs without reflection-based JSON (published with NativeAOT or trimming), and the read models of its " +
            "projectors have no JSON type information. List the read-model types in a source-generated JsonSerializerContext " +
            "([JsonSerializable(typeof(MyView))] partial class AppJson : JsonSerializerContext) and add it with " +
            "AddConcordance(o => o.Processing.AddReadModelJson(AppJson.Default)). See https://github.com/concordance-dotnet/concordance/blob/main/docs/nativeaot.md");
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 (1-based).</summary>
    internal TimeSpan BackoffAfter(int attempt)
    {
        var factor = Math.Pow(Math.Max(1.0, RetryBackoffFactor), Math.Max(0, attempt - 1));
        var ticks = Math.Min(RetryDelay.Ticks * factor, MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)Math.Max(0, ticks));
    }
}
