using System.Collections.Generic;
using System.IO;
using Concordance.Schema.Syntax;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Analyzers.Wiring;

/// <summary>
/// An aggregate, projector, process manager or gateway declared in a schema file, with the
/// metadata name of the abstract base class the generator writes for it.
/// </summary>
/// <param name="KindTitle">How messages name its kind: "Aggregate", "Process manager"…</param>
/// <param name="Name">The component's name as declared.</param>
/// <param name="BaseTypeName">The generated base's metadata name, e.g. <c>Bank.BankAccountAggregateBase</c>.</param>
/// <param name="Location">The component's name in the schema file.</param>
internal sealed record SchemaComponent(string KindTitle, string Name, string BaseTypeName, Location Location)
{
    /// <summary>The components declared in one parsed schema file, in file order.</summary>
    public static IEnumerable<SchemaComponent> In(SchemaFile schema, SourceText text)
    {
        var @namespace = schema.Namespace is { IsMissing: false } declared
            ? declared.Text
            : Path.GetFileNameWithoutExtension(schema.Path); // the generator's fallback for a missing namespace
        foreach (var declaration in schema.Declarations)
        {
            if (declaration.Name.IsMissing) continue;
            var (kindTitle, baseSuffix) = declaration.Kind switch
            {
                DeclarationKind.Aggregate => ("Aggregate", "AggregateBase"),
                DeclarationKind.Projector => ("Projector", "ProjectorBase"),
                DeclarationKind.Process => ("Process manager", "ProcessManagerBase"),
                DeclarationKind.Gateway => ("Gateway", "GatewayBase"),
                _ => (null, null),
            };
            if (kindTitle is null) continue;
            var name = declaration.Name.Text;
            yield return new SchemaComponent(
                kindTitle, name, $"{@namespace}.{name}{baseSuffix}",
                Schema.SchemaFiles.CreateLocation(schema.Path, text, declaration.Name.Span));
        }
    }
}
