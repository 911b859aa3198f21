namespace Concordance.Generators.Model;

/// <summary>One schema diagnostic as plain data: where it is and what it says.</summary>
internal sealed record SchemaDiagnosticInfo(
    string Id, string Message, int Start, int End, int StartLine, int StartCharacter, int EndLine, int EndCharacter);

/// <summary>
/// The diagnostics of one schema file, computed exactly as the analyzer computes them (same clamping,
/// same line table) so the compiler can de-duplicate the generator's copy against the analyzer's.
/// </summary>
internal sealed record SchemaDiagnosticsModel(string Path, EquatableArray<SchemaDiagnosticInfo> Diagnostics);
