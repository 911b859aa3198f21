using System.Collections.Generic;
using Concordance.Schema.Checking;
using Concordance.Schema.Syntax;

namespace Concordance.Schema;

/// <summary>The semantic checks of a parsed schema (CC0002–CC0015).</summary>
public static class SchemaChecker
{
    /// <summary>
    /// Checks <paramref name="file"/>: unknown and duplicate names, handlers, keys, subscriptions,
    /// process ends, version chains, types and generated-name collisions. Never throws; works on
    /// whatever the parser recovered. The result is sorted by position and does not include
    /// <see cref="SchemaFile.Diagnostics"/> (see <see cref="SchemaDocument"/> for both).
    /// </summary>
    /// <param name="file">A file from <see cref="SchemaParser.Parse"/>.</param>
    public static IReadOnlyList<SchemaDiagnostic> Check(SchemaFile file) => new Checker(file).Run();
}
