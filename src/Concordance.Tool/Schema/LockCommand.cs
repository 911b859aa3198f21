using System.CommandLine;
using System.Text;
using Concordance.Schema;
using Concordance.Schema.Locking;
using Concordance.Tool.CommandLine;

namespace Concordance.Tool.Schema;

/// <summary>
/// <c>concordance lock [schema…]</c>: writes <c>X.concordance.lock</c> beside each schema, the shipped wire shape of its
/// events, exactly as <c>dotnet build -p:ConcordanceUpdateLock=true</c> does. A schema with errors is not locked.
/// </summary>
internal static class LockCommand
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Create(ToolConsole console)
    {
        var schemas = SchemaCommands.SchemaArgument();
        var command = new Command("lock", "Write (or update) the lock file beside each schema: the shape of its events that later changes must keep readable.")
        {
            schemas,
        };
        command.SetAction(parsed => Run(console, parsed.GetValue(schemas) ?? []));
        return command;
    }

    private static int Run(ToolConsole console, string[] arguments)
    {
        var directory = Environment.CurrentDirectory;
        var failed = 0;
        foreach (var path in SchemaInputs.Find(arguments, directory))
        {
            var input = SchemaInputs.Read(path, directory);
            var document = SchemaDocument.Analyze(input.Text, input.FullPath);
            if (document.HasErrors)
            {
                // A lock of a broken schema would record a guess.
                SchemaDiagnostics.Write(console, document.Diagnostics.Where(d => d.Severity == SchemaSeverity.Error)
                    .Select(d => PlacedDiagnostic.At(input.Path, document.Syntax.Lines, d)).ToList(), json: false);
                console.WriteError($"{input.Path} has errors, so its lock was not written: fix them and run 'concordance lock' again.");
                failed++;
                continue;
            }
            var lockPath = SchemaLock.PathFor(input.FullPath);
            var text = SchemaLockWriter.Write(SchemaLockBuilder.Build(document.Syntax), Path.GetFileName(input.FullPath));
            var exists = File.Exists(lockPath);
            if (exists && File.ReadAllText(lockPath) == text)
            {
                console.WriteLine($"{SchemaLock.PathFor(input.Path)}: up to date");
                continue;
            }
            try
            {
                File.WriteAllText(lockPath, text, Utf8NoBom);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ToolException($"could not write the lock of {input.Path}: {e.Message}", e);
            }
            console.WriteLine($"{SchemaLock.PathFor(input.Path)}: {(exists ? "updated" : "created")}");
        }
        return failed > 0 ? ExitCodes.Findings : ExitCodes.Success;
    }
}
