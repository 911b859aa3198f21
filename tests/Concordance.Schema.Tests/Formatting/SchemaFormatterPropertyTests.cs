using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Concordance.Schema.Formatting;
using Concordance.Schema.Syntax;
using CsCheck;

namespace Concordance.Schema.Tests.Formatting;

/// <summary>
/// The formatter's three promises, over random schemas built from the language's pieces and over the repository's own
/// schema files with their whitespace and comments shuffled: formatting twice changes nothing more, the parsed
/// declarations stay the same, and every comment survives in order.
/// </summary>
public sealed class SchemaFormatterPropertyTests
{
    [Fact]
    public void Given_generated_schemas_when_formatted_then_formatting_again_changes_nothing()
    {
        GeneratedSchemas.Any.Where(HasNoSyntaxErrors).Sample(text =>
        {
            var once = SchemaFormatter.Format(text);
            Assert.Equal(once, SchemaFormatter.Format(once));
        }, iter: 400, threads: 1, print: Show);
    }

    [Fact]
    public void Given_generated_schemas_when_formatted_then_the_parsed_declarations_are_unchanged()
    {
        GeneratedSchemas.Any.Where(HasNoSyntaxErrors).Sample(text =>
            Assert.Equal(Declarations(text), Declarations(SchemaFormatter.Format(text))), iter: 400, threads: 1, print: Show);
    }

    [Fact]
    public void Given_generated_schemas_when_formatted_then_every_comment_survives_in_order()
    {
        GeneratedSchemas.Any.Where(HasNoSyntaxErrors).Sample(text =>
            Assert.Equal(Comments(text), Comments(SchemaFormatter.Format(text))), iter: 400, threads: 1, print: Show);
    }

    [Fact]
    public void Given_the_generator_then_most_generated_schemas_are_free_of_syntax_errors()
    {
        // Guards the properties above against a generator that makes only broken (and so unformatted) schemas.
        var valid = 0;
        GeneratedSchemas.Any.Sample(text => { if (HasNoSyntaxErrors(text)) valid++; }, iter: 200, threads: 1);
        Assert.True(valid >= 190, $"only {valid} of 200 generated schemas parse without syntax errors");
    }

    public static TheoryData<string> RepositorySchemas()
    {
        var data = new TheoryData<string>();
        foreach (var path in RepositorySchemaFiles()) data.Add(Path.GetRelativePath(RepositoryRoot, path));
        return data;
    }

    [Theory]
    [MemberData(nameof(RepositorySchemas))]
    public void Given_a_schema_of_the_repository_with_shuffled_whitespace_and_comments_when_formatted_then_the_promises_hold(string relativePath)
    {
        var source = File.ReadAllText(Path.Combine(RepositoryRoot, relativePath));
        if (!HasNoSyntaxErrors(source))
        {
            Assert.Throws<SchemaFormatException>(() => SchemaFormatter.Format(source));
            return;
        }
        Gen.Int.Select(seed => ShuffleWhitespace(source, new Random(seed))).Sample(text =>
        {
            Assert.True(HasNoSyntaxErrors(text), "the shuffle broke the schema");
            var once = SchemaFormatter.Format(text);
            Assert.Equal(once, SchemaFormatter.Format(once));
            Assert.Equal(Declarations(text), Declarations(once));
            Assert.Equal(Comments(text), Comments(once));
        }, iter: 60, threads: 1, print: Show);
    }

    [Fact]
    public void Given_the_repository_schemas_then_there_are_several_including_the_bank_sample()
    {
        var files = RepositorySchemaFiles().Select(p => Path.GetRelativePath(RepositoryRoot, p).Replace('\\', '/')).ToList();
        Assert.Contains("samples/BankAccount/Bank.concordance", files);
        Assert.True(files.Count >= 5, string.Join(", ", files));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static bool HasNoSyntaxErrors(string text) =>
        SchemaParser.Parse(text, "x.concordance").Diagnostics.All(d => d.Id != SchemaDiagnosticIds.SyntaxError);

    private static string Show(string text) => "\n----- schema -----\n" + text + "\n----- formatted -----\n" + (SchemaFormatter.TryFormat(text, out var f, out _) ? f : "(not formatted)");

    /// <summary>The parsed declarations written out by reflection, every position left out.</summary>
    private static string Declarations(string text)
    {
        var file = SchemaParser.Parse(text, "x.concordance");
        var sb = new StringBuilder();
        Dump(sb, file.Namespace?.Text, 0);
        foreach (var declaration in file.Declarations) Dump(sb, declaration, 0);
        return sb.ToString();
    }

    private static void Dump(StringBuilder sb, object? value, int depth)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                return;
            case string s:
                sb.Append('"').Append(s).Append('"');
                return;
            case SourceSpan or LinePosition or LinePositionSpan or LineMap:
                return;
            case IEnumerable items:
                sb.Append('[');
                foreach (var item in items) { Dump(sb, item, depth + 1); sb.Append(','); }
                sb.Append(']');
                return;
        }
        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum) { sb.Append(value); return; }
        sb.Append(type.Name).Append('{');
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name))
        {
            if (property.Name == "EqualityContract" || property.PropertyType == typeof(SourceSpan) || property.PropertyType == typeof(SourceSpan?)) continue;
            sb.Append(property.Name).Append('=');
            Dump(sb, property.GetValue(value), depth + 1);
            sb.Append(';');
        }
        sb.Append('}');
    }

    /// <summary>The comments of a schema in order, found independently of the formatter (line comments without trailing spaces).</summary>
    private static List<string> Comments(string text)
    {
        var comments = new List<string>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '/' || i + 1 >= text.Length) continue;
            if (text[i + 1] == '/')
            {
                var end = text.IndexOfAny(['\r', '\n'], i);
                if (end < 0) end = text.Length;
                comments.Add(text[i..end].TrimEnd());
                i = end;
            }
            else if (text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                comments.Add(text[i..end]);
                i = end - 1;
            }
        }
        return comments;
    }

    private static readonly Regex WhitespaceRun = new(@"[ \t]*(?:\r?\n[ \t]*)+|[ \t]+", RegexOptions.Compiled);

    /// <summary>
    /// Replaces some whitespace runs: one with a line break by another with a line break (blank lines, indentation, a
    /// line comment, an own-line block comment), one without by another without (tabs, spaces, an inline block comment).
    /// </summary>
    private static string ShuffleWhitespace(string source, Random random) => WhitespaceRun.Replace(source, match =>
    {
        if (random.Next(3) != 0) return match.Value;
        string[] choices = match.Value.Contains('\n')
            ? ["\n", "\n\n", "\n        ", "\r\n", " // shuffled in\n", "\n/* shuffled in */\n", "\n\n\n\t"]
            : [" ", "\t", "    ", " /* shuffled in */ "];
        return choices[random.Next(choices.Length)];
    });

    private static readonly string RepositoryRoot = FindRepositoryRoot();

    private static IEnumerable<string> RepositorySchemaFiles() =>
        Directory.EnumerateFiles(RepositoryRoot, "*.concordance", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" or ".git"))
            .OrderBy(p => p, StringComparer.Ordinal);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Concordance.sln"))) return dir.FullName;
        throw new InvalidOperationException("Concordance.sln not found above " + AppContext.BaseDirectory);
    }
}
