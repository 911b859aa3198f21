using System.Diagnostics;
using System.Globalization;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Concordance.Nats.Tests;

/// <summary>
/// A private JetStream cluster of nats-server processes on 127.0.0.1 (free client and route ports, one temp folder
/// for the config files and stores). Disposing kills every node still running and deletes the folder.
/// </summary>
public sealed class NatsCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "concordance-cluster-" + Guid.NewGuid().ToString("N"));
    private readonly List<Node> _nodes = [];

    private NatsCluster()
    {
    }

    /// <summary>The client URLs of every node, comma-separated, as <see cref="NatsStoreOptions.Url"/> takes them.</summary>
    public string Url => string.Join(",", _nodes.Select(n => n.Url));

    /// <summary>The nodes' server names, in start order.</summary>
    public IReadOnlyList<string> NodeNames => _nodes.Select(n => n.Name).ToArray();

    /// <summary>Starts <paramref name="size"/> nodes and waits until JetStream has a meta leader and answers on every node.</summary>
    public static async Task<NatsCluster> StartAsync(int size, TimeSpan timeout)
    {
        await NatsServerFixture.EnsureInstalledAsync();
        var cluster = new NatsCluster();
        try
        {
            Directory.CreateDirectory(cluster._root);
            var ports = Enumerable.Range(0, size).Select(_ => (Client: NatsServerFixture.FreePort(), Route: NatsServerFixture.FreePort())).ToArray();
            for (var i = 0; i < size; i++)
            {
                var name = "n" + (i + 1).ToString(CultureInfo.InvariantCulture);
                var routes = ports.Where((_, j) => j != i).Select(p => $"nats-route://127.0.0.1:{p.Route}");
                var store = Path.Combine(cluster._root, name);
                var config = Path.Combine(cluster._root, name + ".conf");
                await File.WriteAllTextAsync(config, $$"""
                    server_name: {{name}}
                    listen: 127.0.0.1:{{ports[i].Client}}
                    cluster {
                      name: concordance-test
                      listen: 127.0.0.1:{{ports[i].Route}}
                      routes: [{{string.Join(", ", routes)}}]
                    }
                    jetstream {
                      store_dir: "{{store}}"
                    }
                    """);
                cluster._nodes.Add(new Node(name, $"nats://127.0.0.1:{ports[i].Client}", config));
            }
            foreach (var node in cluster._nodes) node.Start();
            using var deadline = new CancellationTokenSource(timeout);
            foreach (var node in cluster._nodes) await cluster.WaitForMetaLeaderAsync(node, deadline.Token);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the node named <paramref name="name"/> with SIGKILL and waits for it to exit.</summary>
    public async Task KillAsync(string name)
    {
        var node = _nodes.Single(n => n.Name == name);
        await node.KillAsync();
    }

    /// <summary>The server name of <paramref name="stream"/>'s current leader (null while it has none).</summary>
    public async Task<string?> StreamLeaderAsync(string stream, CancellationToken cancellationToken)
    {
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = Url });
        var info = await new NatsJSContext(connection).GetStreamAsync(stream, cancellationToken: cancellationToken);
        return info.Info.Cluster?.Leader;
    }

    private async Task WaitForMetaLeaderAsync(Node node, CancellationToken cancellationToken)
    {
        Exception? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (node.HasExited) throw new InvalidOperationException($"nats-server {node.Name} exited: {node.Output}");
            try
            {
                await using var connection = new NatsConnection(NatsOpts.Default with { Url = node.Url, ConnectTimeout = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromSeconds(2) });
                await connection.ConnectAsync();
                // Answered only once the meta group has a leader (before that: "JetStream system temporarily unavailable").
                await new NatsJSContext(connection).GetAccountInfoAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is NatsException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = ex;
                try { await Task.Delay(200, cancellationToken); } catch (OperationCanceledException) { break; }
            }
        }
        throw new TimeoutException($"nats-server {node.Name} at {node.Url} found no JetStream meta leader in time. {node.Output}", last);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.KillAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed class Node(string name, string url, string config)
    {
        private readonly System.Text.StringBuilder _output = new();
        private Process? _process;

        public string Name { get; } = name;

        public string Url { get; } = url;

        public bool HasExited => _process is null || _process.HasExited;

        public string Output
        {
            get { lock (_output) return _output.Length > 4000 ? _output.ToString(_output.Length - 4000, 4000) : _output.ToString(); }
        }

        public void Start()
        {
            var info = new ProcessStartInfo("nats-server", ["-c", config]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            _process = Process.Start(info) ?? throw new InvalidOperationException($"nats-server {Name} did not start.");
            void Append(object _, DataReceivedEventArgs e)
            {
                if (e.Data is null) return;
                lock (_output) _output.AppendLine(e.Data);
            }
            _process.OutputDataReceived += Append;
            _process.ErrorDataReceived += Append;
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public async Task KillAsync()
        {
            if (_process is null) return;
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
            {
                // Already gone, or not reaped in time: nothing more to do from here.
            }
            _process.Dispose();
            _process = null;
        }
    }
}
