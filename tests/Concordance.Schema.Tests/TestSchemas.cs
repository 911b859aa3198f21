using Concordance.Schema.Syntax;

namespace Concordance.Schema.Tests;

/// <summary>Schema texts shared by the tests.</summary>
public static class TestSchemas
{
    /// <summary>DESIGN.md's Bank sample, verbatim.</summary>
    public static string Bank { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "Bank.concordance"));

    public static SchemaFile Parse(string text) => SchemaParser.Parse(text, "Test.concordance");

    public static T Single<T>(SchemaFile file, string name) where T : DeclarationSyntax =>
        file.Declarations.OfType<T>().Single(d => d.Name.Text == name);
}
