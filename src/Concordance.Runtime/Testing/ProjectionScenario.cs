using System.Text.Json;

namespace Concordance.Testing;

/// <summary>
/// Given/then for a projector, with no store: the given events are projected one by one through an
/// <see cref="InMemoryProjectionContext"/>, committing after each (as the runtime does), and the read models
/// are compared with what the test expects. Only events the projector subscribes to reach it.
/// </summary>
/// <example>
/// <code>
/// ProjectionScenario.For(new AccountLedger())
///     .Given(new AccountCreated("ABC123", 4000m, 100m, "CUSTBOB"))
///     .ThenReadModel("ABC123", new AccountView("ABC123", 4000m, 4000m, [], [new LedgerLine("opened", 4000m, 4000m)]));
/// </code>
/// </example>
public static class ProjectionScenario
{
    /// <summary>Starts a scenario for <paramref name="projector"/>, with no events.</summary>
    public static ProjectionScenario<TProjector> For<TProjector>(TProjector projector)
        where TProjector : IProjector =>
        new(projector ?? throw new ArgumentNullException(nameof(projector)), [], null);

    /// <summary>Starts a scenario for a new <typeparamref name="TProjector"/>, with no events.</summary>
    public static ProjectionScenario<TProjector> For<TProjector>()
        where TProjector : IProjector, new() =>
        new(new TProjector(), [], null);
}

/// <summary>
/// A projector scenario: the events projected so far. Immutable until a <c>Then…</c> runs it; each
/// <c>Then…</c> returns the scenario so assertions chain.
/// </summary>
/// <typeparam name="TProjector">The projector under test.</typeparam>
public sealed class ProjectionScenario<TProjector>
    where TProjector : IProjector
{
    private readonly IEvent[] _given;
    private readonly JsonSerializerOptions? _options;
    private InMemoryProjectionContext? _context;

    internal ProjectionScenario(TProjector projector, IEvent[] given, JsonSerializerOptions? options)
    {
        Projector = projector;
        _given = given;
        _options = options;
    }

    /// <summary>The projector under test.</summary>
    public TProjector Projector { get; }

    /// <summary>Adds events to project, in order.</summary>
    public ProjectionScenario<TProjector> Given(params IEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new(Projector, [.. _given, .. events], _options);
    }

    /// <summary>Serializes read models with <paramref name="options"/> instead of the web defaults (use the options your store uses).</summary>
    public ProjectionScenario<TProjector> WithJsonOptions(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(Projector, _given, options);
    }

    /// <summary>The context after projecting every given event (runs the scenario).</summary>
    /// <exception cref="ScenarioFailedException">The projector threw.</exception>
    public InMemoryProjectionContext Context => Execute();

    /// <summary>The read model under <paramref name="key"/> as stored, read back as <typeparamref name="T"/>, or null.</summary>
    public T? ReadModel<T>(string key) where T : class => Execute().Get<T>(key);

    /// <summary>
    /// Asserts that the read model under <paramref name="key"/> equals <paramref name="expected"/>: by
    /// <see cref="object.Equals(object?)"/>, or else as stored JSON (numbers by value, object properties in any
    /// order), so read models with list or dictionary fields compare by content.
    /// </summary>
    /// <exception cref="ScenarioFailedException">There is no read model under the key, or it differs.</exception>
    public ProjectionScenario<TProjector> ThenReadModel<T>(string key, T expected)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(expected);
        var context = Execute();
        var actual = Stored<T>(context, key);
        if (Equals(expected, actual)) return this;
        var expectedJson = JsonSerializer.Serialize(expected, context.Options.GetTypeInfo(typeof(T)));
        var actualJson = context.GetJson(key)!;
        var differences = ScenarioText.JsonDifferences(expectedJson, actualJson)!;
        if (differences.Count == 0) return this;
        throw new ScenarioFailedException(
            $"{Intro()}\nThe read model '{key}' differs.\nExpected: {expectedJson}\nActual:   {actualJson}\nDifferences:\n  {string.Join("\n  ", differences)}");
    }

    /// <summary>Runs <paramref name="assert"/> (any test framework's assertions) on the read model under <paramref name="key"/>.</summary>
    /// <exception cref="ScenarioFailedException">There is no read model under the key.</exception>
    public ProjectionScenario<TProjector> ThenReadModel<T>(string key, Action<T> assert)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(assert);
        assert(Stored<T>(Execute(), key));
        return this;
    }

    /// <summary>Asserts that there is no read model under <paramref name="key"/>.</summary>
    /// <exception cref="ScenarioFailedException">There is one.</exception>
    public ProjectionScenario<TProjector> ThenNoReadModel(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var json = Execute().GetJson(key);
        if (json is null) return this;
        throw new ScenarioFailedException($"{Intro()}\nExpected no read model '{key}', but found: {json}");
    }

    private T Stored<T>(InMemoryProjectionContext context, string key)
        where T : class
    {
        if (context.GetJson(key) is null)
            throw new ScenarioFailedException(
                $"{Intro()}\nExpected a read model '{key}', but there is none. Read models: {(context.Keys.Count == 0 ? "(none)" : string.Join(", ", context.Keys.Select(k => $"'{k}'")))}");
        try
        {
            return context.Get<T>(key)!;
        }
        catch (JsonException ex)
        {
            throw new ScenarioFailedException($"{Intro()}\nThe read model '{key}' does not read back as a {typeof(T).Name}: {ex.Message}\nStored: {context.GetJson(key)}", ex);
        }
    }

    private string Intro() => $"{Projector.Name}: given {_given.Length} event(s)";

    private InMemoryProjectionContext Execute()
    {
        if (_context is not null) return _context;
        var context = new InMemoryProjectionContext(_options);
        for (var i = 0; i < _given.Length; i++)
        {
            var @event = _given[i];
            if (!Projector.EventTypes.Contains(@event.GetType())) continue;
            try
            {
                // Handlers await only their context, which completes synchronously here.
                var pending = Projector.ProjectAsync(@event, context);
                if (pending.IsCompleted) pending.GetAwaiter().GetResult();
                else pending.AsTask().GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                context.Rollback();
                throw new ScenarioFailedException(
                    $"{Projector.Name} threw projecting event [{i}] {ScenarioText.Describe(@event)}: {ex.GetType().Name}: {ex.Message}", ex);
            }
            context.Commit();
        }
        return _context = context;
    }
}
