using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Bank;

/// <summary>
/// A stand-in for the interbank wire network: a small HTTP server on 127.0.0.1 (a free port) that settles wire
/// transfers. It approves every routing number except <see cref="DeclinedRoutingNumber"/>. It answers a repeated
/// request for the same wire with its first answer, as a real network does for a retried settlement, since the
/// gateway calling it delivers at least once.
/// </summary>
/// <remarks>
/// One endpoint: <c>POST /wires/{wireTransferId}/settle</c> with a <see cref="SettlementRequest"/> body, answered
/// with a <see cref="SettlementAnswer"/>.
/// </remarks>
public sealed class SimulatedWireNetwork : IAsyncDisposable
{
    /// <summary>The routing number the network declines: no bank answers to it.</summary>
    public const string DeclinedRoutingNumber = "000000000";

    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, SettlementAnswer> _answers = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Task _loop;

    private SimulatedWireNetwork(HttpListener listener, Uri baseAddress)
    {
        _listener = listener;
        BaseAddress = baseAddress;
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The network's address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every settlement request received, in order, as <c>{wireTransferId} {routing number}</c>.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    /// <summary>Starts the network on a free loopback port.</summary>
    public static SimulatedWireNetwork Start()
    {
        // HttpListener cannot bind port 0, so ask the OS for a free port and bind it; another process may take it in
        // between, hence the few attempts.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new SimulatedWireNetwork(listener, new Uri($"http://127.0.0.1:{port}/"));
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }

    /// <summary>The network's decision for a wire to <paramref name="routingNumber"/>.</summary>
    public static SettlementAnswer Decide(string routingNumber) =>
        routingNumber == DeclinedRoutingNumber
            ? new SettlementAnswer(false, $"declined, routing number {routingNumber} belongs to no bank")
            : new SettlementAnswer(true, $"approved, settled with the bank at routing number {routingNumber}");

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.ConfigureAwait(false);
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var segments = context.Request.Url!.AbsolutePath.Trim('/').Split('/');
            if (context.Request.HttpMethod != "POST" || segments is not ["wires", var escapedId, "settle"])
            {
                response.StatusCode = (int)HttpStatusCode.NotFound;
                return;
            }
            var request = await JsonSerializer.DeserializeAsync(context.Request.InputStream, BankJson.Default.SettlementRequest).ConfigureAwait(false);
            if (request is null || string.IsNullOrEmpty(request.TargetRoutingNumber))
            {
                response.StatusCode = (int)HttpStatusCode.BadRequest;
                return;
            }
            var wireTransferId = Uri.UnescapeDataString(escapedId);
            _requests.Enqueue($"{wireTransferId} {request.TargetRoutingNumber}");
            var answer = _answers.GetOrAdd(wireTransferId, _ => Decide(request.TargetRoutingNumber));
            response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(response.OutputStream, answer, BankJson.Default.SettlementAnswer).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            response.StatusCode = (int)HttpStatusCode.BadRequest;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // The caller went away or the network is stopping.
        }
        finally
        {
            try { response.Close(); } catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { }
        }
    }
}

/// <summary>What the bank asks the wire network to settle.</summary>
/// <param name="AccountNumber">The paying account.</param>
/// <param name="Amount">The amount to move.</param>
/// <param name="TargetRoutingNumber">The receiving bank's routing number.</param>
/// <param name="TargetAccountNumber">The receiving account at that bank.</param>
public sealed record SettlementRequest(string AccountNumber, decimal Amount, string TargetRoutingNumber, string TargetAccountNumber);

/// <summary>The wire network's answer to a <see cref="SettlementRequest"/>.</summary>
/// <param name="Approved">True when the network settled the wire.</param>
/// <param name="Note">Why, in words.</param>
public sealed record SettlementAnswer(bool Approved, string? Note);
