using System.CommandLine;
using Concordance.Schema;
using Concordance.Tool.CommandLine;

namespace Concordance.Tool.Schema;

/// <summary><c>concordance check [schema…]</c>: the schema diagnostics the build reports, from the command line.</summary>
internal static class CheckCommand
{
    public static Command Create(ToolConsole console)
    {
        var schemas = SchemaCommands.SchemaArgument();
        var json = JsonOutput.CreateOption();
        var command = new Command("check", "Report every schema diagnostic the build would: syntax, names, handlers, keys, versions.")
        {
            schemas,
            json,
        };
        command.SetAction(parsed => Run(console, parsed.GetValue(schemas) ?? [], parsed.GetValue(json)));
        return command;
    }

    private static int Run(ToolConsole console, string[] arguments, bool json)
    {
        var directory = Environment.CurrentDirectory;
        var inputs = SchemaInputs.Find(arguments, directory).Select(p => SchemaInputs.Read(p, directory)).ToList();
        var diagnostics = SchemaDiagnostics.Analyze(inputs);
        SchemaDiagnostics.Write(console, diagnostics, json);
        return diagnostics.Any(d => d.Severity == SchemaSeverity.Error) ? ExitCodes.Findings : ExitCodes.Success;
    }
}
