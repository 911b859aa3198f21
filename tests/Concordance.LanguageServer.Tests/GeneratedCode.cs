using System.Text.RegularExpressions;
using Concordance.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.LanguageServer.Tests;

/// <summary>What the real generator writes for a schema, with namespaces left off as an IDE shows signatures.</summary>
public static partial class GeneratedCode
{
    public static string For(string path, string schema)
    {
        var compilation = CSharpCompilation.Create("Generated", [CSharpSyntaxTree.ParseText("class C { }")], [],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var driver = CSharpGeneratorDriver.Create(new ConcordanceGenerator()).AddAdditionalTexts([new SchemaText(path, schema)]);
        var result = driver.RunGenerators(compilation).GetRunResult();
        var text = string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
        return Namespaces().Replace(text, "");
    }

    /// <summary>The generated line that starts with <paramref name="start"/>, trimmed.</summary>
    public static string Line(string generated, string start) =>
        generated.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(start, StringComparison.Ordinal));

    [GeneratedRegex(@"global::(System\.Collections\.Generic\.|System\.Threading\.Tasks\.|System\.Threading\.|System\.|Concordance\.|Shop\.)?")]
    private static partial Regex Namespaces();

    private sealed class SchemaText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
