using System.CommandLine;
using Concordance.Schema;
using Concordance.Tool.CommandLine;

namespace Concordance.Tool.Schema;

/// <summary>
/// <c>concordance check [schema…] [--against FILE | --against-git REV]</c>: whether schemas are good, in one command —
/// every diagnostic the build reports (syntax, names, handlers, keys, versions, across files) and the shipped-schema
/// gate against the lock files, an older schema or a git revision.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(ToolConsole console)
    {
        var schemas = SchemaCommands.SchemaArgument();
        var against = new Option<string?>("--against") { Description = "Compare with this older schema file instead of the lock file.", HelpName = "FILE" };
        var againstGit = new Option<string?>("--against-git") { Description = "Compare with the schema at this git revision instead of the lock file.", HelpName = "REV" };
        var json = JsonOutput.CreateOption();
        var command = new Command("check", "Report every schema diagnostic the build would, and changes that would stop reading stored events (exit 1 on an error).")
        {
            schemas,
            against,
            againstGit,
            json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(against) is not null && result.GetValue(againstGit) is not null)
                result.AddError("--against and --against-git cannot be used together.");
        });
        command.SetAction(parsed =>
        {
            var baseline = parsed.GetValue(against) is { } file ? new GateBaseline.SchemaFile(file)
                : parsed.GetValue(againstGit) is { } revision ? new GateBaseline.GitRevision(revision)
                : (GateBaseline)new GateBaseline.LockFiles();
            return Run(console, parsed.GetValue(schemas) ?? [], baseline, parsed.GetValue(json));
        });
        return command;
    }

    private static int Run(ToolConsole console, string[] arguments, GateBaseline baseline, bool json)
    {
        var directory = Environment.CurrentDirectory;
        var inputs = SchemaInputs.Find(arguments, directory).Select(p => SchemaInputs.Read(p, directory)).ToList();
        if (baseline is GateBaseline.SchemaFile && inputs.Count != 1)
            throw new ToolException($"--against compares one schema with an older version of it; name one schema ({inputs.Count} found)");
        var diagnostics = SchemaDiagnostics.Analyze(inputs).Concat(SchemaGate.Check(inputs, baseline)).ToList();
        SchemaDiagnostics.Write(console, diagnostics, json);
        return diagnostics.Any(d => d.Severity == SchemaSeverity.Error) ? ExitCodes.Findings : ExitCodes.Success;
    }
}
