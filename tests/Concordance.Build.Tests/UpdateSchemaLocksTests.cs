using System.Collections;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Concordance.Build.Tests;

/// <summary>The lock-writing task, run on real files in a temporary folder as MSBuild runs it.</summary>
public sealed class UpdateSchemaLocksTests : IDisposable
{
    private const string Schema = """
        namespace Shop;
        command Open { id: string }
        event Opened { id: string, note: string? }
        aggregate Account {
            key id
            handle Open -> Opened
        }

        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("concordance-lock-task-").FullName;
    private readonly RecordingBuildEngine _engine = new();

    private string SchemaPath => Path.Combine(_folder, "Shop.concordance");
    private string LockPath => SchemaPath + ".lock";

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (bool Succeeded, UpdateSchemaLocks Task) Run()
    {
        var task = new UpdateSchemaLocks { BuildEngine = _engine, Schemas = [new TaskItem(SchemaPath)] };
        return (task.Execute(), task);
    }

    [Fact]
    public void Given_a_schema_without_a_lock_when_the_task_runs_then_it_writes_the_lock_and_lists_it_as_created()
    {
        File.WriteAllText(SchemaPath, Schema);

        var (succeeded, task) = Run();

        Assert.True(succeeded);
        Assert.Contains("event Opened v1\n  id: string\n  note: string?\n", File.ReadAllText(LockPath));
        Assert.Equal([LockPath], task.CreatedLocks.Select(i => i.ItemSpec));
        Assert.Contains(_engine.Messages, m => m.Contains("created", StringComparison.Ordinal) && m.Contains(LockPath, StringComparison.Ordinal));
    }

    [Fact]
    public void Given_an_up_to_date_lock_when_the_task_runs_then_the_file_is_left_untouched()
    {
        File.WriteAllText(SchemaPath, Schema);
        Run();
        var written = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(LockPath, written);

        var (succeeded, task) = Run();

        Assert.True(succeeded);
        Assert.Equal(written, File.GetLastWriteTimeUtc(LockPath));
        Assert.Empty(task.CreatedLocks);
    }

    [Fact]
    public void Given_a_changed_schema_when_the_task_runs_then_the_lock_is_rewritten_and_not_listed_as_created()
    {
        File.WriteAllText(SchemaPath, Schema);
        Run();
        File.WriteAllText(SchemaPath, Schema.Replace("note: string?", "note: string?, total: decimal?"));

        var (succeeded, task) = Run();

        Assert.True(succeeded);
        Assert.Contains("  total: decimal?\n", File.ReadAllText(LockPath));
        Assert.Empty(task.CreatedLocks);
    }

    [Fact]
    public void Given_a_schema_with_errors_when_the_task_runs_then_it_fails_naming_the_schema_and_writes_no_lock()
    {
        File.WriteAllText(SchemaPath, Schema.Replace("handle Open -> Opened", "handle Open -> Opnd"));

        var (succeeded, _) = Run();

        Assert.False(succeeded);
        var error = Assert.Single(_engine.Errors);
        Assert.Equal(SchemaPath, error.File);
        Assert.Contains("Shop.concordance has errors, so its lock was not written", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(LockPath));
    }

    private sealed class RecordingBuildEngine : IBuildEngine
    {
        public List<BuildErrorEventArgs> Errors { get; } = [];
        public List<string> Messages { get; } = [];

        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "Shop.csproj";

        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
        public void LogWarningEvent(BuildWarningEventArgs e) => Messages.Add(e.Message ?? "");
        public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e.Message ?? "");
        public void LogCustomEvent(CustomBuildEventArgs e) => Messages.Add(e.Message ?? "");

        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
            throw new NotSupportedException("The task builds no projects.");
    }
}
