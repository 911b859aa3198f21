using System.CommandLine;
using Concordance.Tool.CommandLine;

namespace Concordance.Tool.Schema;

/// <summary>The commands that work on <c>.concordance</c> files: <c>check</c>, and (added as they land) <c>format</c>, <c>lock</c>, <c>diagram</c>.</summary>
public static class SchemaCommands
{
    /// <summary>The schema commands.</summary>
    /// <param name="console">Where they write.</param>
    public static IEnumerable<Command> Create(ToolConsole console)
    {
        yield return CheckCommand.Create(console);
    }

    /// <summary>The <c>[schema…]</c> argument every schema command takes.</summary>
    internal static Argument<string[]> SchemaArgument()
    {
        var argument = new Argument<string[]>("schema")
        {
            Description = "Schema files or folders (searched for **/*.concordance). Default: every schema under the current directory.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        argument.Validators.Add(CommandLineConventions.RejectUnknownOptions);
        return argument;
    }
}
