using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;
using static Concordance.Schema.Checking.SchemaNames;

namespace Concordance.Schema.Checking;

/// <summary>
/// The semantic checks of one parsed file (CC0002–CC0015). Works on whatever the parser
/// recovered: missing names and types are skipped, never dereferenced.
/// </summary>
internal sealed partial class Checker
{
    private readonly SchemaFile _file;
    private readonly List<SchemaDiagnostic> _diagnostics = new();

    /// <summary>First declaration of each name (upcasts excluded; for events, the latest version).</summary>
    private readonly Dictionary<string, DeclarationSyntax> _declarations = new(StringComparer.Ordinal);

    /// <summary>Every version of each event name.</summary>
    private readonly Dictionary<string, List<MessageSyntax>> _eventVersions = new(StringComparer.Ordinal);

    /// <summary>Command name → the aggregate handle that owns it (first one).</summary>
    private readonly Dictionary<string, (AggregateSyntax Aggregate, HandleSyntax Handle)> _handledBy = new(StringComparer.Ordinal);

    /// <summary>Event names some aggregate or gateway emits.</summary>
    private readonly HashSet<string> _emitted = new(StringComparer.Ordinal);

    public Checker(SchemaFile file) => _file = file;

    public IReadOnlyList<SchemaDiagnostic> Run()
    {
        CollectDeclarations();
        CheckNamespace();
        foreach (var declaration in _file.Declarations)
        {
            switch (declaration)
            {
                case MessageSyntax message:
                    CheckFields(message.Fields, Describe(message), message.Name.Text);
                    break;
                case EnumSyntax @enum:
                    CheckEnum(@enum);
                    break;
                case AggregateSyntax aggregate:
                    CheckFields(aggregate.State, "the state of aggregate '" + Short(aggregate.Name.Text) + "'", GeneratedNames.State(aggregate.Name.Text));
                    break;
                case ProcessSyntax process:
                    CheckFields(process.State, "the state of process '" + Short(process.Name.Text) + "'", GeneratedNames.State(process.Name.Text));
                    break;
            }
        }
        CheckAggregates();
        CollectGatewayEmits();
        CheckUnhandledCommands();
        foreach (var declaration in _file.Declarations)
        {
            switch (declaration)
            {
                case ProjectorSyntax projector:
                    if (projector.Version is < 1)
                        Report(SchemaDiagnosticIds.VersionGap, projector.VersionSpan ?? projector.Name.Span,
                            "projector '" + Short(projector.Name.Text) + "' is declared as v" + projector.Version + ": versions count up from v1 (a projector without a version is v1).");
                    CheckSubscriptions(projector.On, "'on' of projector '" + Short(projector.Name.Text) + "'", new HashSet<string>(StringComparer.Ordinal), warnNeverEmitted: true);
                    break;
                case GatewaySyntax gateway:
                    CheckSubscriptions(gateway.On, "'on' of gateway '" + Short(gateway.Name.Text) + "'", new HashSet<string>(StringComparer.Ordinal), warnNeverEmitted: true);
                    CheckSends(gateway.Send, "gateway '" + Short(gateway.Name.Text) + "'");
                    break;
                case ProcessSyntax process:
                    CheckProcess(process);
                    break;
            }
        }
        CheckVersions();
        CheckGeneratedNameCollisions();
        CheckMetadataLimits();
        CheckCompilerLimits();
        CheckBuildSize();

        _diagnostics.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : string.CompareOrdinal(a.Id, b.Id));
        return _diagnostics;
    }

    // ---- helpers ----------------------------------------------------------------------------

    /// <summary>Looks <paramref name="reference"/> up and reports CC0002 or CC0014 unless it is a <paramref name="expected"/>.</summary>
    private DeclarationSyntax? Resolve(NameSyntax reference, DeclarationKind expected, string place, string expectedText)
    {
        if (!_declarations.TryGetValue(reference.Text, out var declaration))
        {
            var hint = _declarations.Keys.FirstOrDefault(k => _declarations[k].Kind == expected && string.Equals(k, reference.Text, StringComparison.OrdinalIgnoreCase));
            Report(SchemaDiagnosticIds.UnknownName, reference.Span,
                "unknown " + KindName(expected) + " '" + Short(reference.Text) + "' in " + place + ": " +
                (hint is not null ? "did you mean '" + Short(hint) + "'?" : "declare '" + KindName(expected) + " " + Short(reference.Text) + " { … }' or fix the name."));
            return null;
        }
        if (declaration.Kind != expected)
        {
            Report(SchemaDiagnosticIds.WrongKind, reference.Span,
                "'" + Short(reference.Text) + "' in " + place + " is " + WithArticle(declaration.Kind) + " (declared at " + At(declaration.Name.Span) + "), but " + expectedText + " is expected here.");
            return null;
        }
        return declaration;
    }

    private static string Describe(MessageSyntax message) =>
        KindName(message.Kind) + " '" + Short(message.Name.Text) + "'" + (message.Version is { } v ? " v" + v : "");

    private string At(SourceSpan span)
    {
        var position = _file.Lines.GetPosition(span.Start);
        return "line " + (position.Line + 1);
    }

    private void Report(string id, SourceSpan span, string message)
    {
        var severity = id is SchemaDiagnosticIds.CommandNotHandled or SchemaDiagnosticIds.EventNeverEmitted ? SchemaSeverity.Warning : SchemaSeverity.Error;
        _diagnostics.Add(new SchemaDiagnostic(id, severity, Capitalize(message), span));
    }

    private static string Capitalize(string message) =>
        message.Length == 0 || char.IsUpper(message[0]) || message[0] == '\'' ? message : char.ToUpperInvariant(message[0]) + message.Substring(1);
}
