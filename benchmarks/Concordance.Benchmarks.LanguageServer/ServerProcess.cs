using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concordance.Benchmarks.LanguageServer;

/// <summary>A <c>concordance lsp</c> process and a minimal synchronous client: send a message, read until the one awaited arrives.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private int _nextId;

    public ServerProcess(string toolAssembly)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(toolAssembly);
        start.ArgumentList.Add("lsp");
        _process = Process.Start(start)!;
        _input = _process.StandardInput.BaseStream;
        _output = new BufferedStream(_process.StandardOutput.BaseStream, 1 << 16);
    }

    public int Id => _process.Id;

    /// <summary>The process's resident set (VmRSS) and its peak (VmHWM), in MB, from /proc.</summary>
    public (double Rss, double Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        double Read(string key) => double.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0]) / 1024;
        return (Read("VmRSS"), Read("VmHWM"));
    }

    /// <summary>CPU time the process has used (user + system), from /proc/PID/stat; on a loaded machine the fair measure of work.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15 of the line)
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    public JsonObject Request(string method, JsonNode? parameters)
    {
        var id = ++_nextId;
        Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        return ReadUntil(m => m["id"] is JsonValue v && v.GetValue<int>() == id && !m.ContainsKey("method"));
    }

    public void Notify(string method, JsonNode? parameters) =>
        Send(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    /// <summary>Reads messages until diagnostics for <paramref name="uri"/> at <paramref name="version"/> arrive.</summary>
    public JsonObject Diagnostics(string uri, int version) => ReadUntil(m =>
        (string?)m["method"] == "textDocument/publishDiagnostics" && (string?)m["params"]!["uri"] == uri && (int?)m["params"]!["version"] == version);

    public void Send(JsonNode message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        _input.Write(Encoding.ASCII.GetBytes("Content-Length: " + body.Length + "\r\n\r\n"));
        _input.Write(body);
        _input.Flush();
    }

    private JsonObject ReadUntil(Func<JsonObject, bool> match)
    {
        while (true)
        {
            var length = 0;
            string line;
            while ((line = ReadLine()).Length > 0)
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line.Split(':')[1].Trim());
            }
            var body = new byte[length];
            _output.ReadExactly(body);
            var message = JsonNode.Parse(body)!.AsObject();
            if (match(message)) return message;
        }
    }

    private string ReadLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            var b = _output.ReadByte();
            if (b < 0) throw new EndOfStreamException("The server closed its output.");
            if (b == '\n') break;
            if (b != '\r') bytes.Add((byte)b);
        }
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    public void Dispose()
    {
        try
        {
            Request("shutdown", null);
            Notify("exit", null);
            _process.WaitForExit(5000);
        }
        catch (IOException)
        {
        }
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
