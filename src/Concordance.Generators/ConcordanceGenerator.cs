using System;
using System.Linq;
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
        // #line directives name the schema by its full path, mapped by the build's PathMap (set for CI builds) as the compiler maps its own.
        var buildPaths = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => new BuildPaths(
                options.GlobalOptions.TryGetValue("build_property.ProjectDir", out var directory) ? directory : null,
                options.GlobalOptions.TryGetValue("build_property.PathMap", out var pathMap) ? pathMap : null));

        var texts = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".concordance", StringComparison.OrdinalIgnoreCase))
            .Combine(buildPaths)
            .Select(static (input, cancellationToken) => new SchemaText(
                input.Left.Path, ProjectPath.Relative(input.Left.Path, input.Right.ProjectDirectory), input.Left.GetText(cancellationToken)?.ToString() ?? string.Empty,
                LinePath.For(input.Left.Path, input.Right.PathMap)))
            .WithTrackingName(TrackingNames.SchemaTexts);

        // One parse per file feeds the model, the diagnostics and the names the checks across files compare.
        var analyses = texts
            .Select(static (text, _) =>
            {
                var file = SchemaParser.Parse(text.Text, text.Path);
                return new SchemaAnalysis(text, ModelBuilder.Build(text.Path, file, text.ProjectPath, linePath: text.LinePath), SchemaDiagnosticsReader.Read(file, text.Text), SchemaTypeNames.Of(file));
            })
            .WithTrackingName(TrackingNames.SchemaAnalyses);

        // Two files of a project that generate one type name (CC0026): the first in the project's order keeps it, the
        // others leave it out with all that needs it, so the build shows the schema error and no raw C# errors.
        var claims = analyses
            .Select(static (analysis, _) => new SchemaClaims(analysis.Text.ProjectPath, analysis.Text.Path, analysis.Model.Namespace, analysis.Model.TypeNames(), analysis.Types.UserStringBytes, analysis.Types.BuildSize, analysis.Model.HasScenarios))
            .WithTrackingName(TrackingNames.SchemaClaims)
            .Collect()
            .Select(static (all, _) => all.ToEquatableArray())
            .WithTrackingName(TrackingNames.AllSchemaClaims);

        var schemas = analyses
            .Combine(claims)
            .Select(static (input, _) => Unclaimed(input.Left, input.Right))
            .WithTrackingName(TrackingNames.SchemaModelsUnclaimed)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.SchemaModels);

        var schemaTypes = analyses
            .Select(static (analysis, _) => (analysis.Text, analysis.Types))
            .Collect()
            .WithTrackingName(TrackingNames.AllSchemaTypes);

        context.RegisterSourceOutput(schemaTypes, static (output, files) =>
        {
            var texts = new System.Collections.Generic.Dictionary<string, SourceText>(StringComparer.Ordinal);
            foreach (var fileDiagnostic in SchemaChecker.CheckAcrossFiles([.. files.Select(f => f.Types)]))
            {
                if (!texts.TryGetValue(fileDiagnostic.Path, out var source))
                {
                    source = SourceText.From(files.First(f => f.Text.Path == fileDiagnostic.Path).Text.Text);
                    texts.Add(fileDiagnostic.Path, source);
                }
                output.ReportDiagnostic(ToRoslyn(fileDiagnostic.Path, SchemaDiagnosticsReader.Place(fileDiagnostic.Path, source, fileDiagnostic.Diagnostic)));
            }
        });

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

    /// <summary>
    /// The model of <paramref name="analysis"/> without the type names a file before it in the project's order claims in the
    /// same namespace: as built when nothing is taken (the usual case); rebuilt without the taken names otherwise; null when
    /// its schema class is taken (the file's types could not be listed, so none is generated) or when the project's schemas
    /// together would generate more string literals than the compiler takes (CC0028) or more than it builds within 2 GB (CC0029).
    /// </summary>
    private static SchemaModel? Unclaimed(SchemaAnalysis analysis, EquatableArray<SchemaClaims> all)
    {
        var model = analysis.Model;
        // Code the compiler would refuse by the hundred thousand errors (CS8103) after minutes, or compile in gigabytes and
        // minutes: CC0028 or CC0029 says why, nothing is generated.
        if (all.Sum(c => c.UserStringBytes) > SchemaTypeNames.MaxUserStringBytes) return null;
        if (all.Sum(c => c.BuildSize) > SchemaTypeNames.MaxBuildSize) return null;
        var self = all.FirstOrDefault(c => c.Path == analysis.Text.Path);
        if (self is null) return model;
        var taken = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var scenariosBefore = false;
        foreach (var other in all)
        {
            if (other.Namespace != model.Namespace || other.Path == self.Path || !other.IsBefore(self)) continue;
            taken.UnionWith(other.TypeNames);
            scenariosBefore |= other.HasScenarios;
        }
        // Its schema class taken, or a type named like its scenarios' namespace: its types could not be listed or tested.
        if (taken.Contains(model.SchemaClassName) || (model.HasScenarios && taken.Contains(GeneratedNames.TestKitNamespace))) return null;
        // An earlier file's scenarios live in {Namespace}.Testing: a type of this file may not take that name.
        if (scenariosBefore) taken.Add(GeneratedNames.TestKitNamespace);
        if (!taken.Overlaps(self.TypeNames)) return model;
        var file = SchemaParser.Parse(analysis.Text.Text, analysis.Text.Path);
        return ModelBuilder.Build(analysis.Text.Path, file, analysis.Text.ProjectPath, taken, analysis.Text.LinePath);
    }

    /// <summary>What one parse of a schema file yields: its model, its diagnostics and the types it generates.</summary>
    private sealed record SchemaAnalysis(SchemaText Text, SchemaModel Model, SchemaDiagnosticsModel Diagnostics, SchemaTypeNames Types);

    /// <summary>
    /// A schema file's path, its path within the project (what generated names derive from), its text and the path its
    /// <c>#line</c> directives name: the first, cheap, equatable step.
    /// </summary>
    private sealed record SchemaText(string Path, string ProjectPath, string Text, string? LinePath);

    /// <summary>The project's folder and the build's PathMap, as MSBuild hands them to the compiler.</summary>
    private sealed record BuildPaths(string? ProjectDirectory, string? PathMap);
}
