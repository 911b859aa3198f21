using System.Collections.Generic;
using Concordance.Schema.Checking;
using Concordance.Schema.Syntax;

namespace Concordance.Schema;

/// <summary>The semantic checks of a parsed schema (CC0002–CC0015, CC0027–CC0029) and of the schemas of a project together (CC0026, CC0028, CC0029).</summary>
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

    /// <summary>
    /// The checks across the schema files of one project: a C# type two files both generate (CC0026, in each file,
    /// naming the other), string literals of all files together over the compiler's limit (CC0028), and fields and generated
    /// types of all files together over the build-size limit (CC0029). Never throws.
    /// </summary>
    /// <param name="files">The generated types of each schema file of the project, from <see cref="SchemaTypeNames.Of"/>.</param>
    /// <returns>The diagnostics with the file each is in, by path and position.</returns>
    public static IReadOnlyList<SchemaFileDiagnostic> CheckAcrossFiles(IReadOnlyList<SchemaTypeNames> files) => CrossFileChecker.Check(files);
}
