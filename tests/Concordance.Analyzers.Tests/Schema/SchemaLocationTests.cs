using Concordance.Analyzers.Schema;
using Concordance.Schema.Syntax;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using LinePosition = Microsoft.CodeAnalysis.Text.LinePosition;

namespace Concordance.Analyzers.Tests.Schema;

public sealed class SchemaLocationTests
{
    private const string Path = "/src/Bank.concordance";

    [Fact]
    public void Given_a_span_inside_the_text_when_located_then_the_location_is_in_the_schema_file_with_its_line_and_column()
    {
        var text = SourceText.From("namespace Bank;\r\n\r\ncommand Open { id: string }\n");

        var location = SchemaFiles.CreateLocation(Path, text, new SourceSpan(27, 4));

        Assert.Equal(LocationKind.ExternalFile, location.Kind);
        var span = location.GetLineSpan();
        Assert.Equal(Path, span.Path);
        Assert.Equal(new LinePosition(2, 8), span.StartLinePosition);
        Assert.Equal(new LinePosition(2, 12), span.EndLinePosition);
        Assert.Equal("Open", text.ToString(location.SourceSpan));
    }

    [Theory]
    [InlineData(-5, 3, 0, 0)]
    [InlineData(10, 100, 10, 11)]
    [InlineData(500, 4, 11, 11)]
    [InlineData(3, -10, 3, 3)]
    [InlineData(int.MaxValue, int.MaxValue, 11, 11)]
    [InlineData(int.MinValue, int.MinValue, 0, 0)]
    public void Given_a_span_reaching_outside_the_text_when_located_then_it_is_clamped_into_the_file(int start, int length, int expectedStart, int expectedEnd)
    {
        var text = SourceText.From("line1\nline2");

        var location = SchemaFiles.CreateLocation(Path, text, new SourceSpan(start, length));

        Assert.Equal(TextSpan.FromBounds(expectedStart, expectedEnd), location.SourceSpan);
        Assert.Equal(text.Lines.GetLinePositionSpan(location.SourceSpan), location.GetLineSpan().Span);
    }

    [Fact]
    public void Given_an_empty_file_when_located_then_the_location_is_its_start()
    {
        var location = SchemaFiles.CreateLocation(Path, SourceText.From(""), new SourceSpan(3, 2));

        Assert.Equal(new TextSpan(0, 0), location.SourceSpan);
        Assert.Equal(new LinePosition(0, 0), location.GetLineSpan().StartLinePosition);
    }
}
