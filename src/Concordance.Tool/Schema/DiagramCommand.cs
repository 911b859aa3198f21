using System.CommandLine;
using Concordance.Schema;
using Concordance.Tool.CommandLine;
using Concordance.Tool.Diagrams;

namespace Concordance.Tool.Schema;

/// <summary><c>concordance diagram [schema…] [--out FILE]</c>: the domain as Mermaid diagrams in Markdown.</summary>
internal static class DiagramCommand
{
    public static Command Create(ToolConsole console)
    {
        var schemas = SchemaCommands.SchemaArgument();
        var output = new Option<string?>("--out", "-o") { Description = "Write the Markdown to this file instead of standard output.", HelpName = "FILE" };
        var command = new Command("diagram", "Draw the domain as Mermaid (Markdown): a flowchart of commands, aggregates, events and components, and a sequence diagram per process manager.")
        {
            schemas,
            output,
        };
        command.SetAction(parsed => Run(console, parsed.GetValue(schemas) ?? [], parsed.GetValue(output)));
        return command;
    }

    private static int Run(ToolConsole console, string[] arguments, string? output)
    {
        var directory = Environment.CurrentDirectory;
        var files = SchemaInputs.Find(arguments, directory)
            .Select(p => SchemaInputs.Read(p, directory))
            .Select(i => (Input: i, Syntax: SchemaParser.Parse(i.Text, i.FullPath)))
            .ToList();
        var markdown = MermaidDiagram.Markdown(DomainGraph.Of(files.Select(f => f.Syntax).ToList()));

        // A broken schema still draws what could be read, but the caller learns it is incomplete.
        var syntaxErrors = files.SelectMany(f => f.Syntax.Diagnostics.Select(d => PlacedDiagnostic.At(f.Input.Path, f.Syntax.Lines, d)))
            .Where(d => d.Severity == SchemaSeverity.Error).ToList();
        foreach (var error in syntaxErrors) console.Error.WriteLine(error.ToString());

        if (output is null)
        {
            console.Out.Profile.Out.Writer.Write(markdown);
        }
        else
        {
            try
            {
                File.WriteAllText(Path.GetFullPath(output, directory), markdown);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ToolException($"{output}: {e.Message}", e);
            }
            console.Error.WriteLine($"wrote {output}");
        }
        return syntaxErrors.Count > 0 ? ExitCodes.Findings : ExitCodes.Success;
    }
}
