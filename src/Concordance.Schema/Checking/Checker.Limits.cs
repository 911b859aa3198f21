using System.Collections.Generic;
using System.Globalization;
using Concordance.Schema.Syntax;
using static Concordance.Schema.Checking.SchemaNames;

namespace Concordance.Schema.Checking;

// Limits: names that .NET metadata cannot hold, generated code the C# compiler would refuse, or take gigabytes to build.
internal sealed partial class Checker
{
    private void CheckMetadataLimits()
    {
        var ns = GeneratedTypes.NamespaceOf(_file);
        var types = GeneratedTypes.Of(_file);
        // The schema class is the shortest-suffixed type every file has: when it does not fit, the namespace is the problem.
        if (!GeneratedNames.FitsMetadata(ns, types[0].Name))
        {
            Report(SchemaDiagnosticIds.NameTooLong, types[0].At,
                "namespace '" + Short(ns) + "' is too long for .NET metadata: the generated type '" + Short(ns + "." + types[0].Name) + "' takes "
                + Bytes(GeneratedNames.MetadataBytes(ns + "." + types[0].Name)) + ", over the limit of " + Bytes(GeneratedNames.MaxMetadataNameBytes) + " (CS7013): shorten the namespace.");
            return;
        }
        var reported = new HashSet<int>();
        foreach (var type in types)
        {
            if (GeneratedNames.FitsMetadata(ns, type.Name) || !reported.Add(type.At.Start)) continue;
            var full = ns + "." + type.Name;
            Report(SchemaDiagnosticIds.NameTooLong, type.At,
                type.Origin + " is too long for .NET metadata: the generated type '" + Short(full) + "' takes "
                + Bytes(GeneratedNames.MetadataBytes(full)) + ", over the limit of " + Bytes(GeneratedNames.MaxMetadataNameBytes) + " (CS7013): shorten the name.");
        }

        foreach (var declaration in _file.Declarations)
        {
            switch (declaration)
            {
                case MessageSyntax message: CheckMemberNames(message.Fields, Describe(message)); break;
                case AggregateSyntax aggregate: CheckMemberNames(aggregate.State, "the state of aggregate '" + Short(aggregate.Name.Text) + "'"); break;
                case ProcessSyntax process: CheckMemberNames(process.State, "the state of process '" + Short(process.Name.Text) + "'"); break;
                case EnumSyntax @enum:
                    foreach (var member in @enum.Members)
                    {
                        if (member.Name.IsMissing || GeneratedNames.FitsMetadataAsMember(member.Name.Text)) continue;
                        Report(SchemaDiagnosticIds.NameTooLong, member.Name.Span, MemberTooLong("member '" + Short(member.Name.Text) + "' of enum '" + Short(@enum.Name.Text) + "'", member.Name.Text));
                    }
                    break;
            }
        }
    }

    private void CheckMemberNames(IReadOnlyList<FieldSyntax> fields, string owner)
    {
        foreach (var field in fields)
        {
            if (field.Name.IsMissing) continue;
            var property = GeneratedNames.PropertyName(field.Name.Text);
            if (GeneratedNames.FitsMetadataAsMember(property)) continue;
            Report(SchemaDiagnosticIds.NameTooLong, field.Name.Span, MemberTooLong("field '" + Short(field.Name.Text) + "' of " + owner, property));
        }
    }

    private static string MemberTooLong(string what, string member) =>
        what + " is too long for .NET metadata: it takes " + Bytes(GeneratedNames.MetadataBytes(member)) + " and the generated members named after it must fit in "
        + Bytes(GeneratedNames.MaxMetadataNameBytes) + " (CS7013), so at most " + Bytes(GeneratedNames.MaxMetadataNameBytes - GeneratedNames.MemberDecorationBytes) + ": shorten the name.";

    private void CheckCompilerLimits()
    {
        var estimate = GeneratedCodeSize.UserStringBytes(_file);
        if (estimate <= GeneratedCodeSize.MaxUserStringBytes) return;
        var at = _file.Namespace is { IsMissing: false } ns ? ns.Span : new SourceSpan(0, 0);
        Report(SchemaDiagnosticIds.CompilerLimitExceeded, at,
            "the code generated for this schema would hold about " + Bytes(estimate) + " of string literals, over the C# compiler's limit of "
            + Bytes(GeneratedCodeSize.MaxUserStringBytes) + " (0xFFFFFF, CS8103) for one assembly: split the schema's messages across several projects.");
    }

    private void CheckBuildSize()
    {
        var size = GeneratedCodeSize.BuildSizeOf(_file);
        if (size.Total <= GeneratedCodeSize.MaxBuildSize) return;
        var at = size.FirstOver is { } over ? over.Name.Span : _file.Namespace is { IsMissing: false } ns ? ns.Span : new SourceSpan(0, 0);
        var where = size.FirstOver is { } first ? "; " + KindName(first.Kind) + " '" + Short(first.Name.Text) + "' is the first declaration past the limit" : "";
        Report(SchemaDiagnosticIds.SchemaTooLargeToBuild, at,
            "this schema is too large to build in one project: " + TooLarge(size.Fields, size.Types) + where + ": split its messages across several projects.");
    }

    /// <summary>The figures of a schema (or a project's schemas) over the build-size limit, and the limit, as messages say them.</summary>
    internal static string TooLarge(int fields, int types) =>
        Count(fields) + " fields and " + Count(types) + " generated C# types, " + Count(fields + types) + " together; the limit is "
        + Count(GeneratedCodeSize.MaxBuildSize) + " for a project (past it the C# compiler needs more than 2 GB of memory to compile the generated code)";

    internal static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Bytes(long count) => count.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}
