using System;
using System.Threading;
using Concordance.Analyzers.Wiring;
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

    // Any class with a base list may reach a generated base, through abstract intermediates or an alias: the semantic
    // step decides (ComponentRule, which the wiring analyzer applies too).
    private static bool IsCandidate(SyntaxNode node) => node is ClassDeclarationSyntax { BaseList: not null };

    private static ComponentModel? ToComponent(GeneratorSyntaxContext syntax, CancellationToken cancellationToken)
    {
        var declaration = (ClassDeclarationSyntax)syntax.Node;
        if (syntax.SemanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not { } symbol) return null;
        // A partial class is found once, at the first of its declarations that has a base list.
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not ClassDeclarationSyntax { BaseList: not null } first) continue;
            if (first != declaration) return null;
            break;
        }
        if (ComponentRule.WhyNotRegistrable(symbol) is not null) return null;
        // Generated bases are not visible to a generator: in its compilation they are unresolved types with their names.
        var componentBase = ComponentRule.ComponentBase(symbol, static type => type.TypeKind == TypeKind.Error && ComponentRule.HasBaseSuffix(type.Name));
        return componentBase is null ? null : new ComponentModel(symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), componentBase.Name);
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

    /// <summary>What one parse of a schema file yields: its model and its diagnostics.</summary>
    private sealed record SchemaAnalysis(SchemaModel Model, SchemaDiagnosticsModel Diagnostics);

    /// <summary>A schema file's path, its path within the project (what generated names derive from) and its text: the first, cheap, equatable step.</summary>
    private sealed record SchemaText(string Path, string ProjectPath, string Text);
}
