using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Checking;
using Concordance.Schema.Syntax;

namespace Concordance.Schema;

/// <summary>One C# type a schema file generates, with the schema text that causes it.</summary>
/// <param name="Name">The type's simple name, e.g. <c>PayDecision</c>.</param>
/// <param name="Origin">What it is, as messages say it: "command 'Pay'", "the base class of aggregate 'Order'".</param>
/// <param name="At">The schema text that causes it (a declaration's name, a handle's command, the namespace).</param>
/// <param name="Line">The one-based line of <paramref name="At"/>.</param>
/// <param name="IsNamespace">True for a namespace the generator writes into rather than a type: files may share it, but no type may take its name.</param>
public sealed record SchemaTypeName(string Name, string Origin, SourceSpan At, int Line, bool IsNamespace = false);

/// <summary>
/// The C# types one schema file generates, in the namespace it generates them in: what the check across the files of a
/// project compares (<see cref="SchemaChecker.CheckAcrossFiles"/>). Plain, equatable data, so a generator can hold it.
/// </summary>
public sealed class SchemaTypeNames : IEquatable<SchemaTypeNames>
{
    private SchemaTypeNames(string path, string @namespace, IReadOnlyList<SchemaTypeName> types, long userStringBytes, int fields)
    {
        Path = path;
        Namespace = @namespace;
        Types = types;
        UserStringBytes = userStringBytes;
        Fields = fields;
        GeneratedTypeCount = types.Count(t => !t.IsNamespace);
    }

    /// <summary>The schema file's path.</summary>
    public string Path { get; }

    /// <summary>The namespace its types are generated in.</summary>
    public string Namespace { get; }

    /// <summary>Its generated types, the file's own first.</summary>
    public IReadOnlyList<SchemaTypeName> Types { get; }

    /// <summary>An upper bound of the string-literal bytes its generated code adds to the assembly.</summary>
    public long UserStringBytes { get; }

    /// <summary>The fields of its messages (every version), records and states: each a property of a generated record.</summary>
    public int Fields { get; }

    /// <summary>How many top-level C# types it generates (<see cref="Types"/> without the namespaces it writes into; a type nested in one is part of its cost).</summary>
    public int GeneratedTypeCount { get; }

    /// <summary>Its fields and generated types together: what the build-size limit counts (CC0029).</summary>
    public int BuildSize => Fields + GeneratedTypeCount;

    /// <summary>
    /// The most fields and generated types the schemas of one project may have together (CC0029): beyond it, compiling
    /// the generated code takes the C# compiler more than 2 GB of memory.
    /// </summary>
    public const int MaxBuildSize = GeneratedCodeSize.MaxBuildSize;

    /// <summary>The most string-literal bytes the generated code of one assembly may hold: 0xFFFFFF (CS8103).</summary>
    public const long MaxUserStringBytes = GeneratedCodeSize.MaxUserStringBytes;

    /// <summary>The generated types of <paramref name="file"/>. Never throws.</summary>
    public static SchemaTypeNames Of(SchemaFile file) => new(
        file.Path,
        GeneratedTypes.NamespaceOf(file),
        GeneratedTypes.Of(file).Select(t => new SchemaTypeName(t.Name, t.Origin, t.At, file.Lines.GetPosition(t.At.Start).Line + 1, t.IsNamespace)).ToArray(),
        GeneratedCodeSize.UserStringBytes(file),
        GeneratedCodeSize.BuildSizeOf(file).Fields);

    /// <inheritdoc />
    public bool Equals(SchemaTypeNames? other) =>
        other is not null && Path == other.Path && Namespace == other.Namespace && UserStringBytes == other.UserStringBytes && Fields == other.Fields && Types.SequenceEqual(other.Types);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SchemaTypeNames);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        unchecked
        {
            var hash = (StringComparer.Ordinal.GetHashCode(Path) * 31) + StringComparer.Ordinal.GetHashCode(Namespace);
            return (hash * 31) + Types.Count;
        }
    }
}

/// <summary>A schema diagnostic together with the file it is in: what a check across files reports.</summary>
/// <param name="Path">The schema file the diagnostic is in.</param>
/// <param name="Diagnostic">The diagnostic.</param>
public sealed record SchemaFileDiagnostic(string Path, SchemaDiagnostic Diagnostic);
