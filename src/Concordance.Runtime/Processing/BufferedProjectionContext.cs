using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Concordance;

/// <summary>
/// The runtime's <see cref="ProjectionContext"/>: writes go to the batch's unit of work and commit with the
/// projector's checkpoint; reads see those buffered writes first. Read models are JSON through
/// <see cref="ProcessingOptions.ReadModelJson"/> (type info looked up, so a source-generated resolver keeps it AOT-safe).
/// </summary>
internal sealed class BufferedProjectionContext(ComponentUnitOfWork unit, string collection, JsonSerializerOptions json, CancellationToken cancellationToken)
    : ProjectionContext
{
    public override async ValueTask<T?> GetAsync<T>(string key) where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        MessageChecks.Identity(key, "a read-model key");
        var data = await unit.GetAsync(collection, key, cancellationToken).ConfigureAwait(false);
        return data is { } bytes ? ReadModelJson.Read<T>(bytes.Span, json) : null;
    }

    public override void Set<T>(string key, T value) where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        // Two keys that differ only in lone surrogates would be stored as one document.
        MessageChecks.Identity(key, "a read-model key");
        unit.Put(collection, key, ReadModelJson.Write(value, json));
    }

    public override void Delete(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        MessageChecks.Identity(key, "a read-model key");
        unit.Put(collection, key, null);
    }
}

/// <summary>
/// Read-model JSON through the configured options' type info (no generic reflection entry points). Options without a
/// <c>TypeInfoResolver</c> get System.Text.Json's reflection resolver, only where reflection is enabled (the feature
/// switch a trimmed or AOT application turns off); there the options must carry a source-generated resolver.
/// </summary>
internal static class ReadModelJson
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> WithReflection = new();

    public static T? Read<T>(ReadOnlySpan<byte> data, JsonSerializerOptions options) where T : class =>
        JsonSerializer.Deserialize(data, TypeInfo<T>.For(options));

    public static byte[] Write<T>(T value, JsonSerializerOptions options) =>
        JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>.For(options));

    /// <summary>The type info of <typeparamref name="T"/> last looked up, and the options it came from: a projector writes one type over and over.</summary>
    private static class TypeInfo<T>
    {
        private static Entry? _last;

        public static JsonTypeInfo<T> For(JsonSerializerOptions options)
        {
            if (_last is { } last && ReferenceEquals(last.Options, options)) return last.Info;
            var info = (JsonTypeInfo<T>)Effective(options).GetTypeInfo(typeof(T));
            _last = new Entry(options, info);
            return info;
        }

        private sealed record Entry(JsonSerializerOptions Options, JsonTypeInfo<T> Info);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only where JsonSerializer.IsReflectionEnabledByDefault is true; trimmed and AOT builds set that switch to false and remove the branch.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only where JsonSerializer.IsReflectionEnabledByDefault is true; trimmed and AOT builds set that switch to false and remove the branch.")]
    private static JsonSerializerOptions Effective(JsonSerializerOptions options)
    {
        if (options.TypeInfoResolver is not null) return options;
        if (WithReflection.TryGetValue(options, out var cached)) return cached;
        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            var reflecting = new JsonSerializerOptions(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
            return WithReflection.GetValue(options, _ => reflecting);
        }
        return options;
    }
}
