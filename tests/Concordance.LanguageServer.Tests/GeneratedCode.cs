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

    /// <summary>
    /// The generated declaration that starts with <paramref name="start"/>, on one line as a hover shows it: a record writes a
    /// parameter a line, each behind its <c>#line</c> directive, so its lines are joined up to the <c>;</c> or the body's brace.
    /// </summary>
    public static string Line(string generated, string start)
    {
        var lines = generated.Split('\n').Select(l => l.Trim()).Where(l => !l.StartsWith("#line", StringComparison.Ordinal)).ToList();
        var first = lines.FindIndex(l => l.StartsWith(start, StringComparison.Ordinal));
        if (first < 0) throw new InvalidOperationException($"no generated line starts with '{start}'");
        var declaration = lines[first];
        for (var i = first + 1; i < lines.Count && !declaration.EndsWith(';') && lines[i] != "{"; i++)
        {
            declaration += (declaration.EndsWith('(') ? "" : " ") + lines[i];
        }
        return declaration;
    }

    [GeneratedRegex(@"global::(System\.Collections\.Generic\.|System\.Threading\.Tasks\.|System\.Threading\.|System\.|Concordance\.|Shop\.)?")]
    private static partial Regex Namespaces();

    private sealed class SchemaText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
