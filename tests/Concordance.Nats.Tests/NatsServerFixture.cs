using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Xunit;

namespace Concordance.Nats.Tests;

/// <summary>
/// A private nats-server with JetStream on 127.0.0.1 and a free port, storing in a temp folder; installs the
/// Debian package when nats-server is missing (CI on a fresh machine). Never uses a system service.
/// </summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private Process? _process;

    public int Port { get; private set; }

    public string StoreDirectory { get; } = Path.Combine(Path.GetTempPath(), "concordance-nats-" + Guid.NewGuid().ToString("N"));

    public string Url => $"nats://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        await EnsureInstalledAsync();
        Directory.CreateDirectory(StoreDirectory);
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>Options for a store with names no other test uses.</summary>
    public NatsStoreOptions FreshOptions() => new() { Url = Url, Prefix = "t" + Guid.NewGuid().ToString("N")[..12], PollInterval = TimeSpan.FromMilliseconds(50) };

    /// <summary>Starts the server (again) on the same port and store folder, and waits until JetStream answers.</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("nats-server", ["-js", "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", StoreDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("nats-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync();
    }

    /// <summary>Kills the server (SIGKILL) and waits for it to exit; the store folder stays.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"nats-server exited with code {_process.ExitCode}.");
            try
            {
                await using var connection = new NatsConnection(NatsOpts.Default with { Url = Url, ConnectTimeout = TimeSpan.FromSeconds(1) });
                await connection.ConnectAsync();
                await new NatsJSContext(connection).GetAccountInfoAsync();
                return;
            }
            catch (Exception ex) when (ex is NatsException or SocketException or TimeoutException or OperationCanceledException)
            {
                last = ex;
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"nats-server on port {Port} did not become ready.", last);
    }

    /// <summary>Deletes every stream (and so every bucket) whose name holds <paramref name="prefix"/>.</summary>
    public async Task DeleteStreamsAsync(string prefix)
    {
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = Url });
        var js = new NatsJSContext(connection);
        var names = new List<string>();
        await foreach (var name in js.ListStreamNamesAsync()) if (name.Contains(prefix, StringComparison.Ordinal)) names.Add(name);
        foreach (var name in names) await js.DeleteStreamAsync(name);
    }

    public async Task DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(StoreDirectory, recursive: true); } catch (IOException) { }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (await RunAsync("sh", "-c", "command -v nats-server") == 0) return;
            // A fresh machine (CI): install the Debian package. We are root there.
            if (await RunAsync("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server") != 0
                || await RunAsync("sh", "-c", "command -v nats-server") != 0)
                throw new InvalidOperationException("nats-server is missing and could not be installed with apt-get.");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<int> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
