using System.CommandLine.Parsing;

namespace Concordance.Tool.CommandLine;

/// <summary>Parsing rules every command shares.</summary>
public static class CommandLineConventions
{
    /// <summary>
    /// A validator for a list argument: a value that looks like an option (<c>--x</c>, <c>-x</c>) is an unknown option,
    /// a usage error, rather than a file name. A file whose name starts with a dash can still be named as <c>./-x</c>.
    /// </summary>
    /// <param name="result">The argument's parse result.</param>
    public static void RejectUnknownOptions(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (token.Value.Length > 1 && token.Value[0] == '-')
            {
                result.AddError($"Unrecognized option '{token.Value}'.");
                return;
            }
        }
    }
}
