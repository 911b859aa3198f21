using System.CommandLine;
using Concordance.Schema;
using Concordance.Schema.Formatting;
using Concordance.Tool.CommandLine;

namespace Concordance.Tool.Schema;

/// <summary><c>concordance format [schema…] [--check]</c>: rewrites schemas in the canonical layout, or checks that they are.</summary>
internal static class FormatCommand
{
    public static Command Create(ToolConsole console)
    {
        var schemas = SchemaCommands.SchemaArgument();
        var check = new Option<bool>("--check") { Description = "Change nothing; list the files that are not formatted and exit 1 if there are any." };
        var command = new Command("format", "Rewrite schemas in the canonical layout (idempotent; keeps every comment). A file with syntax errors is left alone.")
        {
            schemas,
            check,
        };
        command.SetAction(parsed => Run(console, parsed.GetValue(schemas) ?? [], parsed.GetValue(check)));
        return command;
    }

    private static int Run(ToolConsole console, string[] arguments, bool checkOnly)
    {
        var directory = Environment.CurrentDirectory;
        var findings = 0;
        var changed = 0;
        var failed = 0;
        var paths = SchemaInputs.Find(arguments, directory);
        foreach (var path in paths)
        {
            var input = SchemaInputs.Read(path, directory);
            string formatted;
            IReadOnlyList<SchemaDiagnostic> errors;
            bool ok;
            try
            {
                ok = SchemaFormatter.TryFormat(input.Text, out formatted, out errors);
            }
            catch (InvalidOperationException e)
            {
                // The formatter refused its own result: the file stays as it is, and the others are still formatted.
                console.WriteError($"{input.Path}: {e.Message}");
                failed++;
                continue;
            }
            if (!ok)
            {
                var lines = new Concordance.Schema.Syntax.LineMap(input.Text);
                foreach (var error in errors) console.Error.WriteLine(PlacedDiagnostic.At(input.Path, lines, error).ToString());
                console.WriteError($"{input.Path}: not formatted: it has syntax errors");
                findings++;
                continue;
            }
            if (formatted == input.Text) continue;
            changed++;
            if (checkOnly)
            {
                console.WriteLine($"{input.Path}: not formatted");
                findings++;
                continue;
            }
            try
            {
                File.WriteAllText(input.FullPath, formatted);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ToolException($"{input.Path}: {e.Message}", e);
            }
            console.WriteLine($"{input.Path}: formatted");
        }
        if (!checkOnly || findings == 0)
            console.Error.WriteLine($"{paths.Count} file(s), {(checkOnly ? 0 : changed)} formatted, {findings} with errors");
        return failed > 0 ? ExitCodes.UsageOrInputError : findings > 0 ? ExitCodes.Findings : ExitCodes.Success;
    }
}
