using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Bank;

namespace Concordance.Samples.Tests.MultiHost;

/// <summary>A command's outcome as a host answered it.</summary>
/// <param name="CommandId">The command id it was sent with.</param>
/// <param name="Status"><c>accepted</c>, <c>rejected</c> or <c>failed</c>.</param>
/// <param name="Version">The account stream's version after the command.</param>
/// <param name="Detail">The events' types when accepted; the reason when rejected; the exception when failed.</param>
internal sealed record CommandOutcome(string CommandId, string Status, long Version, string Detail)
{
    public override string ToString() => $"{Status} at version {Version}: {Detail}";
}

/// <summary>A host process ended (killed, or crashed) while a command was outstanding or about to be sent.</summary>
internal sealed class HostExitedException(string message) : Exception(message);

/// <summary>
/// The parent's handle on one <see cref="BankHostChild"/> process: starts it with <c>dotnet exec</c> of this (already
/// built) test assembly, sends commands and matches the answers by command id, and kills it with SIGKILL.
/// </summary>
internal sealed class BankHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CommandOutcome>> _pending = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _stderr = new();
    private readonly Task _readLoop;
    private volatile bool _exited;

    private BankHostProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                if (_stderr.Length < 200_000) _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _readLoop = Task.Run(ReadAnswersAsync);
    }

    /// <summary>The name the test gives the host (A, B, single).</summary>
    public string Name { get; }

    /// <summary>True once the test killed the host.</summary>
    public bool Killed { get; private set; }

    /// <summary>What the host wrote to stderr (its runtime warnings and errors), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_stderr) return _stderr.Length == 0 ? $"(host {Name}: nothing on stderr)" : $"host {Name} stderr:{Environment.NewLine}{_stderr}";
        }
    }

    /// <summary>Starts a host on <paramref name="natsUrl"/> under <paramref name="prefix"/> and waits until it says ready.</summary>
    public static async Task<BankHostProcess> StartAsync(string name, string natsUrl, string prefix, Uri wireNetwork)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[] { "exec", typeof(TestEntryPoint).Assembly.Location, "host", natsUrl, prefix, wireNetwork.ToString() })
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var host = new BankHostProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"Host {name} did not start."));
        try
        {
            await host._ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (Exception ex)
        {
            var log = host.Log;
            await host.DisposeAsync();
            throw new InvalidOperationException($"Host {name} did not become ready.{Environment.NewLine}{log}", ex);
        }
        return host;
    }

    /// <summary>Sends <paramref name="command"/> under <paramref name="commandId"/>; completes with the host's answer.</summary>
    /// <exception cref="HostExitedException">The host ended before it answered.</exception>
    public async Task<CommandOutcome> SendAsync(string commandId, ICommand command) => await await PostAsync(commandId, command);

    /// <summary>Writes <paramref name="command"/> to the host under <paramref name="commandId"/>; returns once written, with the answer still to come.</summary>
    public async Task<Task<CommandOutcome>> PostAsync(string commandId, ICommand command)
    {
        var answer = new TaskCompletionSource<CommandOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(commandId, answer)) throw new InvalidOperationException($"Command {commandId} is already outstanding on host {Name}.");
        if (_exited) FailPending();
        var line = $"{commandId}\t{LineOf(command)}";
        await _writeLock.WaitAsync();
        try
        {
            if (!_exited)
            {
                await _process.StandardInput.WriteLineAsync(line);
                await _process.StandardInput.FlushAsync();
            }
        }
        catch (IOException)
        {
            // The pipe broke: the host is gone; the read loop fails the pending answers.
        }
        finally
        {
            _writeLock.Release();
        }
        return answer.Task;
    }

    /// <summary>Kills the host with SIGKILL (no cleanup, no flush, no finally blocks in it) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        Killed = true;
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Closes the host's stdin (it stops its Generic Host and exits); kills it if it has not exited in 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        await _writeLock.WaitAsync();
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        finally
        {
            _writeLock.Release();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync();
            await _readLoop;
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task ReadAnswersAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "ready")
                {
                    _ready.TrySetResult();
                    continue;
                }
                var fields = line.Split('\t', 4);
                if (fields.Length == 4 && _pending.TryRemove(fields[0], out var answer))
                    answer.TrySetResult(new CommandOutcome(fields[0], fields[1], long.Parse(fields[2], CultureInfo.InvariantCulture), fields[3]));
                else
                    lock (_stderr) _stderr.AppendLine($"(unexpected stdout line) {line}");
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }
        finally
        {
            _exited = true;
            _ready.TrySetException(new HostExitedException($"Host {Name} exited before it was ready."));
            FailPending();
        }
    }

    private void FailPending()
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var answer))
                answer.TrySetException(new HostExitedException($"Host {Name} {(Killed ? "was killed" : "exited")} before it answered command {id}."));
        }
    }

    private static readonly Dictionary<Type, MessageType> Descriptors = BankSchema.MessageTypes.ToDictionary(t => t.ClrType);

    /// <summary><c>{type name}\t{version}\t{JSON}</c>, through the generated message descriptors.</summary>
    private static string LineOf(ICommand command)
    {
        var type = Descriptors[command.GetType()];
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
            type.Write(writer, command);
        return $"{type.Name}\t{type.Version.ToString(CultureInfo.InvariantCulture)}\t{Encoding.UTF8.GetString(buffer.WrittenSpan)}";
    }
}
