using Concordance.Schema.Syntax;

namespace Concordance.Schema;

/// <summary>How serious a schema diagnostic is.</summary>
public enum SchemaSeverity
{
    /// <summary>The build fails.</summary>
    Error,
    /// <summary>The build goes on; something is probably wrong.</summary>
    Warning,
    /// <summary>Information: nothing is wrong.</summary>
    Info,
}

/// <summary>A problem found in a schema file, with its place.</summary>
/// <param name="Id">The diagnostic ID, one of <see cref="SchemaDiagnosticIds"/>.</param>
/// <param name="Severity">Its default severity.</param>
/// <param name="Message">The message, complete and specific (names the thing and says what to do).</param>
/// <param name="Span">Where it is; always inside the file.</param>
public sealed record SchemaDiagnostic(string Id, SchemaSeverity Severity, string Message, SourceSpan Span);
