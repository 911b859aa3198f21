using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concordance.LanguageServer.Tests;

/// <summary>
/// An LSP client over the standard streams of a real <c>concordance lsp</c> process (the tool's build output, run with
/// <c>dotnet</c>). Responses are matched by id; notifications are queued for the test to wait on.
/// </summary>
public sealed class LspClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly Stream _input;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly List<JsonObject> _notifications = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readLoop;
    private int _nextId;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The tool's build output, of the same configuration as this test assembly.</summary>
    public static string ToolAssembly { get; } = Path.Combine(RepositoryRoot, "src", "Concordance.Tool", "bin",
        typeof(LspClient).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release", "net10.0", "concordance.dll");

    private LspClient(Process process)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public int ProcessId => _process.Id;

    /// <summary>What the server announced in its initialize result.</summary>
    public JsonNode? Capabilities { get; private set; }

    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Starts <c>concordance lsp</c>.</summary>
    public static LspClient Start()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolAssembly);
        start.ArgumentList.Add("lsp");
        start.ArgumentList.Add("--stdio");
        return new LspClient(Process.Start(start)!);
    }

    /// <summary>Starts the server and initializes it on <paramref name="root"/> (or no folder).</summary>
    public static async Task<LspClient> StartInitializedAsync(string? root)
    {
        var client = Start();
        var result = await client.RequestAsync("initialize", new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = root is null ? null : new Uri(root).AbsoluteUri,
            ["capabilities"] = new JsonObject(),
        });
        Assert.True(result["result"]?["capabilities"] is JsonObject, result.ToJsonString());
        client.Capabilities = result["result"]!["capabilities"];
        await client.NotifyAsync("initialized", new JsonObject());
        return client;
    }

    public async Task<JsonObject> RequestAsync(string method, JsonNode? parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiter;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        return await waiter.Task.WaitAsync(Timeout);
    }

    /// <summary>The result of a request that must succeed.</summary>
    public async Task<JsonNode?> ResultAsync(string method, JsonNode? parameters)
    {
        var response = await RequestAsync(method, parameters);
        Assert.True(response.ContainsKey("result"), method + " failed: " + response.ToJsonString());
        return response["result"];
    }

    public Task NotifyAsync(string method, JsonNode? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    public Task SendAsync(JsonNode message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        return SendRawAsync([.. Encoding.ASCII.GetBytes("Content-Length: " + body.Length + "\r\n\r\n"), .. body]);
    }

    public async Task SendRawAsync(byte[] bytes)
    {
        await _input.WriteAsync(bytes);
        await _input.FlushAsync();
    }

    /// <summary>Waits for the next response that answers no request of ours (an error about a frame without an id).</summary>
    public async Task<JsonObject> WaitForUnsolicitedResponseAsync() =>
        await WaitForNotificationAsync(n => n.ContainsKey("id") && !n.ContainsKey("method"));

    /// <summary>Waits for the first queued or future message matching <paramref name="match"/>, and takes it off the queue.</summary>
    public async Task<JsonObject> WaitForNotificationAsync(Func<JsonObject, bool> match)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_notifications)
            {
                var index = _notifications.FindIndex(n => match(n));
                if (index >= 0)
                {
                    var found = _notifications[index];
                    _notifications.RemoveRange(0, index + 1);
                    return found;
                }
            }
            if (_readLoop.IsCompleted) break;
            await Task.Delay(5);
        }
        throw new TimeoutException("No matching message. stderr:\n" + StandardError);
    }

    /// <summary>The next diagnostics published for <paramref name="uri"/> (of <paramref name="version"/>, when given).</summary>
    public async Task<JsonArray> DiagnosticsAsync(string uri, int? version = null)
    {
        var message = await WaitForNotificationAsync(n =>
            (string?)n["method"] == "textDocument/publishDiagnostics" && (string?)n["params"]!["uri"] == uri
            && (version is null || (int?)n["params"]!["version"] == version));
        return message["params"]!["diagnostics"]!.AsArray();
    }

    /// <summary>Closes the server's standard input: the client went away.</summary>
    public void CloseInput() => _input.Close();

    public async Task<int> WaitForExitAsync()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    private async Task ReadLoopAsync()
    {
        var output = _process.StandardOutput.BaseStream;
        var header = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            header.Clear();
            // Headers end with an empty line.
            while (!(header.Count >= 4 && header[^4] == '\r' && header[^3] == '\n' && header[^2] == '\r' && header[^1] == '\n'))
            {
                if (await output.ReadAsync(one) == 0) return;
                header.Add(one[0]);
            }
            var text = Encoding.ASCII.GetString(header.ToArray());
            var length = int.Parse(text.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Split(':')[1].Trim());
            var body = new byte[length];
            await output.ReadExactlyAsync(body);
            var message = JsonNode.Parse(body)!.AsObject();
            if (message["id"] is JsonValue id && id.TryGetValue<int>(out var number) && !message.ContainsKey("method") && _pending.TryRemove(number, out var waiter))
            {
                waiter.SetResult(message);
                continue;
            }
            lock (_notifications) _notifications.Add(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await RequestAsync("shutdown", null).WaitAsync(TimeSpan.FromSeconds(5));
                await NotifyAsync("exit", null);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Concordance.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Concordance.sln not found above " + AppContext.BaseDirectory);
    }
}
