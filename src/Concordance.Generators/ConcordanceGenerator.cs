using System;
using System.Threading;
using Concordance.Generators.Emit;
using Concordance.Generators.Model;
using Concordance.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Concordance.Generators;

/// <summary>
/// Turns every <c>*.concordance</c> additional file into messages, JSON converters, decisions,
/// outcomes and component bases, and writes <c>AddGeneratedComponents()</c> for the assembly.
/// Pipeline: text → <see cref="SchemaModel"/> (equatable) → source, per file; user components are
/// found by the name of their base type, since generated bases are not visible as symbols here.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ConcordanceGenerator : IIncrementalGenerator
{
    /// <summary>The hint name of the wiring file.</summary>
    public const string WiringHintName = "Concordance.GeneratedComponents.g.cs";

    private static readonly string[] BaseSuffixes = ["AggregateBase", "ProjectorBase", "ProcessManagerBase", "GatewayBase"];

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Generated names depend on where a schema sits in the project, never on where the project sits on the disk.
        var projectDirectory = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.ProjectDir", out var directory) ? directory : null);

        var texts = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".concordance", StringComparison.OrdinalIgnoreCase))
            .Combine(projectDirectory)
            .Select(static (input, cancellationToken) => new SchemaText(
                input.Left.Path, ProjectPath.Relative(input.Left.Path, input.Right), input.Left.GetText(cancellationToken)?.ToString() ?? string.Empty))
            .WithTrackingName(TrackingNames.SchemaTexts);

        // One parse per file feeds both the model and the diagnostics.
        var analyses = texts
            .Select(static (text, _) =>
            {
                var file = SchemaParser.Parse(text.Text, text.Path);
                return new SchemaAnalysis(ModelBuilder.Build(text.Path, file, text.ProjectPath), SchemaDiagnosticsReader.Read(file, text.Text));
            })
            .WithTrackingName(TrackingNames.SchemaAnalyses);

        var schemas = analyses
            .Select(static (analysis, _) => analysis.Model)
            .WithTrackingName(TrackingNames.SchemaModels);

        // The analyzer reports schema diagnostics, but the command-line compiler skips analyzers once
        // C# has errors — and a broken schema usually breaks the user's C#. So the generator reports
        // the same diagnostics too (same descriptors, same locations): the compiler drops the
        // duplicate when both run, and the schema's own error still leads the build output when not.
        var diagnostics = analyses
            .Select(static (analysis, _) => analysis.Diagnostics)
            .WithTrackingName(TrackingNames.SchemaDiagnostics);

        context.RegisterSourceOutput(diagnostics, static (output, schema) =>
        {
            foreach (var diagnostic in schema.Diagnostics) output.ReportDiagnostic(ToRoslyn(schema.Path, diagnostic));
        });

        context.RegisterSourceOutput(schemas, static (output, schema) =>
        {
            foreach (var file in SchemaEmitter.Emit(schema)) output.AddSource(file.HintName, file.Text);
        });

        var schemaComponents = schemas
            .Select(static (schema, _) => schema.ToComponents())
            .WithTrackingName(TrackingNames.SchemaComponents)
            .Collect()
            .WithTrackingName(TrackingNames.AllSchemaComponents);

        var components = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => IsCandidate(node), static (syntax, cancellationToken) => ToComponent(syntax, cancellationToken))
            .Where(static component => component is not null)
            .Select(static (component, _) => component!)
            .WithTrackingName(TrackingNames.Components)
            .Collect()
            .WithTrackingName(TrackingNames.AllComponents);

        var wiring = schemaComponents.Combine(components).WithTrackingName(TrackingNames.Wiring);
        context.RegisterSourceOutput(wiring, static (output, input) =>
            output.AddSource(WiringHintName, SchemaEmitter.Wiring(input.Left, input.Right)));
    }

    private static bool IsCandidate(SyntaxNode node)
    {
        if (node is not ClassDeclarationSyntax { BaseList: { } baseList }) return false;
        foreach (var type in baseList.Types)
        {
            if (BaseName(type.Type) is not null) return true;
        }
        return false;
    }

    private static ComponentModel? ToComponent(GeneratorSyntaxContext syntax, CancellationToken cancellationToken)
    {
        var declaration = (ClassDeclarationSyntax)syntax.Node;
        string? baseName = null;
        foreach (var type in declaration.BaseList!.Types)
        {
            baseName ??= BaseName(type.Type);
        }
        if (baseName is null) return null;
        if (syntax.SemanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not { } symbol) return null;
        if (symbol.IsAbstract || symbol.IsGenericType || symbol.IsFileLocal || symbol.IsStatic) return null;
        for (ISymbol? current = symbol; current is INamedTypeSymbol; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)) return null;
        }
        return new ComponentModel(symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), baseName);
    }

    private static Diagnostic ToRoslyn(string path, SchemaDiagnosticInfo diagnostic)
    {
        var location = Location.Create(path, TextSpan.FromBounds(diagnostic.Start, diagnostic.End),
            new LinePositionSpan(new LinePosition(diagnostic.StartLine, diagnostic.StartCharacter), new LinePosition(diagnostic.EndLine, diagnostic.EndCharacter)));
        var descriptor = Analyzers.DiagnosticDescriptors.ForSchemaId(diagnostic.Id);
        // Interned like the analyzer's, so the compiler recognises the two as one diagnostic.
        return descriptor is null
            ? Diagnostic.Create(Analyzers.DiagnosticDescriptors.SyntaxError, location, string.Intern($"{diagnostic.Id}: {diagnostic.Message}"))
            : Diagnostic.Create(descriptor, location, string.Intern(diagnostic.Message));
    }

    /// <summary>The simple name of <paramref name="type"/> when it looks like a generated base, else null.</summary>
    private static string? BaseName(TypeSyntax type)
    {
        var name = type switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right is IdentifierNameSyntax right ? right.Identifier.ValueText : null,
            AliasQualifiedNameSyntax alias => alias.Name is IdentifierNameSyntax right ? right.Identifier.ValueText : null,
            _ => null,
        };
        if (name is null) return null;
        foreach (var suffix in BaseSuffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal)) return name;
        }
        return null;
    }

    /// <summary>What one parse of a schema file yields: its model and its diagnostics.</summary>
    private sealed record SchemaAnalysis(SchemaModel Model, SchemaDiagnosticsModel Diagnostics);

    /// <summary>A schema file's path, its path within the project (what generated names derive from) and its text: the first, cheap, equatable step.</summary>
    private sealed record SchemaText(string Path, string ProjectPath, string Text);
}
