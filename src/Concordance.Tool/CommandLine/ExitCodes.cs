namespace Concordance.Tool.CommandLine;

/// <summary>The exit codes of every <c>concordance</c> command, so scripts can trust them.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked and found nothing wrong.</summary>
    public const int Success = 0;

    /// <summary>The command ran and found something: an unformatted file, a schema error, a breaking change.</summary>
    public const int Findings = 1;

    /// <summary>The command could not run: a usage error, a missing or unreadable file, an unreachable store.</summary>
    public const int UsageOrInputError = 2;
}
