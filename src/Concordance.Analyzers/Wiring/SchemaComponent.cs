using System.Collections.Generic;
using Concordance.Schema;
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
        // The generator's namespace: the declared one, or the file's stem when there is none.
        var @namespace = schema.Namespace is { IsMissing: false } declared ? declared.Text : GeneratedNames.Stem(schema.Path);
        foreach (var declaration in schema.Declarations)
        {
            if (declaration.Name.IsMissing) continue;
            var kindTitle = declaration.Kind switch
            {
                DeclarationKind.Aggregate => "Aggregate",
                DeclarationKind.Projector => "Projector",
                DeclarationKind.Process => "Process manager",
                DeclarationKind.Gateway => "Gateway",
                _ => null,
            };
            var name = declaration.Name.Text;
            if (kindTitle is null || GeneratedNames.ComponentBase(declaration.Kind, name) is not { } baseName) continue;
            yield return new SchemaComponent(
                kindTitle, name, $"{@namespace}.{baseName}",
                Schema.SchemaFiles.CreateLocation(schema.Path, text, declaration.Name.Span));
        }
    }
}
