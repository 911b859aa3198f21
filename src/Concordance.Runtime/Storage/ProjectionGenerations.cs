using System.Globalization;

namespace Concordance.Storage;

/// <summary>
/// One build of a projector's read models: the projector's schema version and a generation number that grows with each
/// build (a new version or a rebuild). Generation 0 is the build every projector starts with, stored where projectors
/// always stored it: its collection is the projector's name and its checkpoint is the component's.
/// </summary>
/// <param name="Version">The projector's schema version the build runs (1 when the schema declares none).</param>
/// <param name="Number">The generation number, unique among the projector's builds.</param>
public sealed record ProjectionGeneration(int Version, long Number)
{
    /// <summary>The generation every projector starts with.</summary>
    public static ProjectionGeneration Initial { get; } = new(1, 0);

    /// <summary>The document collection holding this generation's read models of projector <paramref name="projector"/>.</summary>
    public string CollectionOf(string projector) => Number == 0 ? projector : $"{projector}#v{Version}.{Number}";

    /// <summary>The checkpoint name of this generation's build of projector <paramref name="projector"/>.</summary>
    public string CheckpointOf(string projector) => "projector:" + CollectionOf(projector);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"v{Version}.{Number}");

    internal static ProjectionGeneration? Parse(string text)
    {
        if (text.Length == 0) return null;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (text[0] != 'v' || dot < 2) throw new FormatException($"'{text}' is not a projection generation (v<version>.<number>).");
        return new ProjectionGeneration(int.Parse(text.AsSpan(1, dot - 1), CultureInfo.InvariantCulture), long.Parse(text.AsSpan(dot + 1), CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Which builds of a projector exist: the one readers are served (<see cref="Active"/>), the one being built in the
/// background to replace it (<see cref="Building"/>), and the one just replaced whose documents are still to be removed
/// (<see cref="Retired"/>). Stores keep it per projector and change it only by compare-and-set, so a switch happens once.
/// </summary>
/// <param name="Active">The build readers are served.</param>
/// <param name="Building">The shadow build in progress, or null.</param>
/// <param name="Retired">The replaced build whose documents and checkpoint are still to be removed, or null.</param>
public sealed record ProjectionGenerations(ProjectionGeneration Active, ProjectionGeneration? Building = null, ProjectionGeneration? Retired = null)
{
    /// <summary>The state of a projector that never switched: its initial build is active.</summary>
    public static ProjectionGenerations Initial { get; } = new(ProjectionGeneration.Initial);

    /// <summary>The highest generation number in use.</summary>
    public long LastNumber => Math.Max(Active.Number, Math.Max(Building?.Number ?? 0, Retired?.Number ?? 0));

    /// <summary>The compact text a store keeps: <c>active|building|retired</c>, e.g. <c>v1.0|v2.1|</c>.</summary>
    public string Format() => $"{Active}|{Building}|{Retired}";

    /// <summary>Reads what <see cref="Format"/> wrote.</summary>
    /// <exception cref="FormatException">The text is not in that form.</exception>
    public static ProjectionGenerations Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('|');
        if (parts.Length != 3 || ProjectionGeneration.Parse(parts[0]) is not { } active)
            throw new FormatException($"'{text}' is not a projector's generations (active|building|retired).");
        return new ProjectionGenerations(active, ProjectionGeneration.Parse(parts[1]), ProjectionGeneration.Parse(parts[2]));
    }
}
