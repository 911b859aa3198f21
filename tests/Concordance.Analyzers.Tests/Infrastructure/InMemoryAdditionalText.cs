using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Analyzers.Tests.Infrastructure;

/// <summary>An additional file held in memory, as MSBuild's AdditionalFiles items reach analyzers.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
