using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Concordance.Schema;
using Concordance.Schema.Locking;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Concordance.Build;

/// <summary>
/// Writes <c>{Schema}.concordance.lock</c> beside each schema: the shipped wire shape of its events,
/// which the analyzers compare every later build against. Run on purpose only, by
/// <c>dotnet build -p:ConcordanceUpdateLock=true</c>. A schema with errors is not locked.
/// </summary>
public sealed class UpdateSchemaLocks : Task
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The <c>.concordance</c> files to lock.</summary>
    [Required]
    public ITaskItem[] Schemas { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The lock files that did not exist before this run, so the build can add them to its additional files.</summary>
    [Output]
    public ITaskItem[] CreatedLocks { get; private set; } = Array.Empty<ITaskItem>();

    /// <inheritdoc />
    public override bool Execute()
    {
        var created = new List<ITaskItem>();
        foreach (var schemaPath in Schemas.Select(s => s.GetMetadata("FullPath")).Distinct(StringComparer.Ordinal))
        {
            try
            {
                if (Update(schemaPath, out var wasCreated) && wasCreated) created.Add(new TaskItem(SchemaLock.PathFor(schemaPath)));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Log.LogError(null, null, null, schemaPath, 0, 0, 0, 0,
                    "Could not write the lock of {0}: {1}", Path.GetFileName(schemaPath), exception.Message);
            }
        }
        CreatedLocks = created.ToArray();
        return !Log.HasLoggedErrors;
    }

    private bool Update(string schemaPath, out bool created)
    {
        created = false;
        var document = SchemaDocument.Analyze(File.ReadAllText(schemaPath), schemaPath);
        if (document.HasErrors)
        {
            // The analyzers report the errors themselves; a lock of a broken schema would record a guess.
            Log.LogError(null, null, null, schemaPath, 0, 0, 0, 0,
                "{0} has errors, so its lock was not written: fix them and build with -p:ConcordanceUpdateLock=true again.", Path.GetFileName(schemaPath));
            return false;
        }
        var lockPath = SchemaLock.PathFor(schemaPath);
        var text = SchemaLockWriter.Write(SchemaLockBuilder.Build(document.Syntax), Path.GetFileName(schemaPath));
        var exists = File.Exists(lockPath);
        if (exists && File.ReadAllText(lockPath) == text)
        {
            Log.LogMessage(MessageImportance.Normal, "{0} is up to date.", lockPath);
            return true;
        }
        File.WriteAllText(lockPath, text, Utf8NoBom);
        created = !exists;
        Log.LogMessage(MessageImportance.High, "Concordance: {0} {1}.", exists ? "updated" : "created", lockPath);
        return true;
    }
}
