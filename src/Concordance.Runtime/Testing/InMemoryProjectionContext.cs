using System.Text.Json;

namespace Concordance.Testing;

/// <summary>
/// A <see cref="ProjectionContext"/> in memory, for tests. Read models are stored as JSON (System.Text.Json,
/// web defaults unless other options are given), so a value read back behaves as it would when stored: a
/// fresh copy, with only what survives serialization. Writes are pending until <see cref="Commit"/> (the
/// runtime commits them with the checkpoint after each event); reads see pending writes first.
/// </summary>
public sealed class InMemoryProjectionContext : ProjectionContext
{
    private readonly Dictionary<string, byte[]> _committed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]?> _pending = new(StringComparer.Ordinal);

    /// <summary>Creates an empty context serializing with <paramref name="options"/> (default: <see cref="JsonSerializerDefaults.Web"/>).</summary>
    public InMemoryProjectionContext(JsonSerializerOptions? options = null)
    {
        Options = options is null ? ScenarioText.Options : ScenarioText.WithReflection(options);
    }

    /// <summary>The options read models are serialized with.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>The committed read models' keys, in ordinal order.</summary>
    public IReadOnlyList<string> Keys => [.. _committed.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The committed JSON of the read model under <paramref name="key"/>, or null.</summary>
    public string? GetJson(string key) => _committed.TryGetValue(key, out var data) ? System.Text.Encoding.UTF8.GetString(data) : null;

    /// <inheritdoc />
    public override ValueTask<T?> GetAsync<T>(string key) where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[]? data;
        if (!_pending.TryGetValue(key, out data)) _committed.TryGetValue(key, out data);
        return ValueTask.FromResult(data is null ? null : Read<T>(data));
    }

    /// <inheritdoc />
    public override void Set<T>(string key, T value) where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _pending[key] = JsonSerializer.SerializeToUtf8Bytes(value, Options.GetTypeInfo(typeof(T)));
    }

    /// <inheritdoc />
    public override void Delete(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _pending[key] = null;
    }

    /// <summary>Makes the pending writes the committed state (what the runtime does after each event).</summary>
    public void Commit()
    {
        foreach (var (key, data) in _pending)
        {
            if (data is null) _committed.Remove(key);
            else _committed[key] = data;
        }
        _pending.Clear();
    }

    /// <summary>Drops the pending writes (what the runtime does when a handler throws).</summary>
    public void Rollback() => _pending.Clear();

    /// <summary>The committed read model under <paramref name="key"/>, read back as <typeparamref name="T"/>, or null.</summary>
    public T? Get<T>(string key) where T : class => _committed.TryGetValue(key, out var data) ? Read<T>(data) : null;

    private T Read<T>(byte[] data) where T : class =>
        (T?)JsonSerializer.Deserialize(data, Options.GetTypeInfo(typeof(T)))
        ?? throw new JsonException($"The stored read model is JSON null, not a {typeof(T).Name}.");
}
