using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;
using static Concordance.Schema.Checking.SchemaNames;

namespace Concordance.Schema.Checking;

/// <summary>
/// The checks no single file can make: a C# type two files of one project both generate (CC0026, reported in each
/// file, naming the other), string literals of all files together over the compiler's limit (CC0028), and fields and
/// generated types of all files together over the build-size limit (CC0029).
/// </summary>
internal static class CrossFileChecker
{
    public static IReadOnlyList<SchemaFileDiagnostic> Check(IReadOnlyList<SchemaTypeNames> files)
    {
        var result = new List<SchemaFileDiagnostic>();
        var distinct = files.Where(f => f is not null).GroupBy(f => f.Path, StringComparer.Ordinal).Select(g => g.First()).ToList();
        if (distinct.Count < 2) return result;

        var owners = new Dictionary<(string Namespace, string Name), List<(SchemaTypeNames File, SchemaTypeName Type)>>();
        foreach (var file in distinct)
        {
            foreach (var type in file.Types)
            {
                if (!owners.TryGetValue((file.Namespace, type.Name), out var list)) owners[(file.Namespace, type.Name)] = list = new();
                list.Add((file, type));
            }
        }

        var reported = new HashSet<(string Path, int Start)>();
        foreach (var file in distinct)
        {
            foreach (var type in file.Types)
            {
                // Two files may both write into a namespace (the test scenarios'); a type may not take its name.
                var other = owners[(file.Namespace, type.Name)].FirstOrDefault(o => o.File.Path != file.Path && !(o.Type.IsNamespace && type.IsNamespace));
                if (other.File is null || !reported.Add((file.Path, type.At.Start))) continue;
                var message = "'" + Short(file.Namespace + "." + type.Name) + "' (" + type.Origin + ") is also generated from " + RelativePath(file.Path, other.File.Path)
                    + " line " + other.Type.Line + " (" + other.Type.Origin + "): two schema files of one project cannot generate the same C# type; rename one, or give the files different namespaces.";
                result.Add(new SchemaFileDiagnostic(file.Path, new SchemaDiagnostic(SchemaDiagnosticIds.DuplicateAcrossFiles, SchemaSeverity.Error, message, type.At)));
            }
        }

        // Each file's own estimate is checked with the file; here, all of them together, once each is under the limit.
        var total = distinct.Sum(f => f.UserStringBytes);
        if (total > GeneratedCodeSize.MaxUserStringBytes && distinct.All(f => f.UserStringBytes <= GeneratedCodeSize.MaxUserStringBytes))
        {
            foreach (var file in distinct)
            {
                var message = "the code generated for the " + distinct.Count + " schema files of this project would hold about " + Checker.Bytes(total)
                    + " of string literals, over the C# compiler's limit of " + Checker.Bytes(GeneratedCodeSize.MaxUserStringBytes)
                    + " (0xFFFFFF, CS8103) for one assembly (this file: about " + Checker.Bytes(file.UserStringBytes) + "): split the schemas across several projects.";
                result.Add(new SchemaFileDiagnostic(file.Path, new SchemaDiagnostic(SchemaDiagnosticIds.CompilerLimitExceeded, SchemaSeverity.Error, Capitalize(message), file.Types[0].At)));
            }
        }

        // The same for the build-size limit (CC0029): each file's share, then all together.
        var fields = distinct.Sum(f => f.Fields);
        var types = distinct.Sum(f => f.GeneratedTypeCount);
        if (fields + types > GeneratedCodeSize.MaxBuildSize && distinct.All(f => f.BuildSize <= GeneratedCodeSize.MaxBuildSize))
        {
            foreach (var file in distinct)
            {
                var message = "the " + distinct.Count + " schema files of this project are too large to build together: " + Checker.TooLarge(fields, types)
                    + " (this file: " + Checker.Count(file.Fields) + " fields and " + Checker.Count(file.GeneratedTypeCount) + " types): split the schemas across several projects.";
                result.Add(new SchemaFileDiagnostic(file.Path, new SchemaDiagnostic(SchemaDiagnosticIds.SchemaTooLargeToBuild, SchemaSeverity.Error, Capitalize(message), file.Types[0].At)));
            }
        }

        return result
            .OrderBy(d => d.Path, StringComparer.Ordinal)
            .ThenBy(d => d.Diagnostic.Span.Start)
            .ToList();
    }

    /// <summary>Where <paramref name="to"/> is, seen from the directory of <paramref name="from"/>: <c>Other.concordance</c>, <c>../b/Orders.concordance</c>.</summary>
    public static string RelativePath(string from, string to)
    {
        var source = from.Replace('\\', '/').Split('/');
        var target = to.Replace('\\', '/').Split('/');
        var common = 0;
        while (common < source.Length - 1 && common < target.Length - 1 && source[common] == target[common]) common++;
        var ups = Enumerable.Repeat("..", source.Length - 1 - common);
        return string.Join("/", ups.Concat(target.Skip(common)));
    }

    private static string Capitalize(string message) => message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message.Substring(1);
}
