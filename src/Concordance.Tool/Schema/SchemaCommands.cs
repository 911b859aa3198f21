using System.CommandLine;
using Concordance.Tool.CommandLine;

namespace Concordance.Tool.Schema;

/// <summary>The commands that work on <c>.concordance</c> files: <c>format</c>, <c>check</c>, <c>lock</c> and <c>diagram</c>.</summary>
public static class SchemaCommands
{
    /// <summary>The schema commands.</summary>
    /// <param name="console">Where they write.</param>
    public static IEnumerable<Command> Create(ToolConsole console)
    {
        yield return FormatCommand.Create(console);
        yield return CheckCommand.Create(console);
        yield return LockCommand.Create(console);
        yield return DiagramCommand.Create(console);
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
