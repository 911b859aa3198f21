using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Concordance.Nats;

/// <summary>How the NATS JetStream store connects and what it creates on first start.</summary>
public sealed class NatsStoreOptions
{
    /// <summary>The server URL(s), comma-separated, e.g. <c>nats://127.0.0.1:4222</c>.</summary>
    public string Url { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>
    /// The name every stream, bucket and subject of this store starts with (letters, digits, <c>_</c> and <c>-</c>).
    /// Two applications on one deployment keep apart by using different prefixes. With credentials that restrict
    /// subjects, the store needs to subscribe to <c>{Prefix}.ack.&gt;</c>: every append's acknowledgement comes there.
    /// </summary>
    public string Prefix { get; set; } = "concordance";

    /// <summary>How many servers keep each stream and bucket: 1 for a single server, 3 for a cluster.</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>
    /// The events stream's deduplication window: a retried append with the same <c>Nats-Msg-Id</c> within it is
    /// answered from the first. Beyond it the command idempotency record (a KV entry, written just after the event's
    /// ack) answers. Keep it longer than any client's retry horizon: a record lost to a crash between the event's ack
    /// and its own is re-written by a retry within the window, not by one after it. The server keeps every message id
    /// of the window in memory.
    /// </summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a host holds a component's lease without renewing it (the <c>{Prefix}_leases</c> bucket's max age,
    /// enforced by the server): a host that dies is taken over after at most this long plus one renewal interval
    /// (<c>o.Processing.LeaseRenewInterval</c>, a third of this by default). The first host of a prefix sets it, when it
    /// creates the bucket; a host configured otherwise adopts the bucket's and logs a warning (hosts renewing within
    /// different ages would take each other's leases). At least one second.
    /// </summary>
    public TimeSpan LeaseTimeToLive { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a component's durable consumer may go without a fetch before the server deletes it (its inactive
    /// threshold). A component that runs again recreates its consumers at its checkpoint, so this only clears away the
    /// consumers of components no host runs any more (renamed, removed) and of long-idle ones. Default one hour; at least one second.
    /// </summary>
    public TimeSpan ComponentConsumerInactiveThreshold { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The servers' <c>max_control_line</c>: the most bytes a message's control line (verb, subject, reply subject and
    /// sizes) may have, 4,096 unless the servers are configured otherwise. A server closes the whole connection on a
    /// longer line, failing every sender on it, so the store refuses an operation whose subject would not fit (a stream
    /// key, command id or document key too long) with <see cref="ArgumentException"/> before sending anything. Set it
    /// to the servers' value when they raise it; at least 1,024. See docs/processing.md, "Size limits".
    /// </summary>
    public int MaxControlLine { get; set; } = DefaultMaxControlLine;

    /// <summary>The NATS server's default <c>max_control_line</c>, in bytes.</summary>
    public const int DefaultMaxControlLine = 4096;

    /// <summary>How often a reader waiting for new events looks for events appended by other processes.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The connection name shown in the server's monitoring.</summary>
    public string? ConnectionName { get; set; } = "concordance";

    /// <summary>User name (with <see cref="Password"/>), or null.</summary>
    public string? Username { get; set; }

    /// <summary>Password for <see cref="Username"/>, or null.</summary>
    public string? Password { get; set; }

    /// <summary>Authentication token, or null.</summary>
    public string? Token { get; set; }

    /// <summary>A <c>.creds</c> file (JWT + NKey seed), or null.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>A file holding an NKey seed, or null.</summary>
    public string? NKeyFile { get; set; }

    /// <summary>An NKey seed (<c>SU…</c>) given inline, or null.</summary>
    public string? NKeySeed { get; set; }

    /// <summary>TLS mode; null leaves the client's default (TLS when the URL is <c>tls://</c> or the server requires it).</summary>
    public TlsMode? TlsMode { get; set; }

    /// <summary>A PEM file of the certificate authorities to trust, or null for the system's.</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>The client certificate (PEM) for mutual TLS, or null.</summary>
    public string? TlsCertFile { get; set; }

    /// <summary>The client certificate's private key (PEM), or null.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>Skips server certificate verification (tests only).</summary>
    public bool TlsInsecureSkipVerify { get; set; }

    /// <summary>Where the store logs (e.g. a command record it had to retry); null logs nothing. <c>UseNats</c> takes the host's.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>A last say over the client options (timeouts, buffers, logging), applied after everything above.</summary>
    public Func<NatsOpts, NatsOpts>? ConfigureConnection { get; set; }

    internal NatsOpts ToNatsOpts()
    {
        var auth = NatsAuthOpts.Default with
        {
            Username = Username,
            Password = Password,
            Token = Token,
            CredsFile = CredentialsFile,
            NKeyFile = NKeyFile,
            Seed = NKeySeed,
        };
        var tls = NatsTlsOpts.Default with
        {
            CaFile = TlsCaFile,
            CertFile = TlsCertFile,
            KeyFile = TlsKeyFile,
            InsecureSkipVerify = TlsInsecureSkipVerify,
        };
        if (TlsMode is { } mode) tls = tls with { Mode = mode };
        var opts = NatsOpts.Default with
        {
            Url = Url,
            Name = ConnectionName ?? NatsOpts.Default.Name,
            AuthOpts = auth,
            TlsOpts = tls,
            // Reconnect for ever: a server restart or failover must not kill the host.
            MaxReconnectRetry = -1,
        };
        return ConfigureConnection?.Invoke(opts) ?? opts;
    }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Url);
        if (string.IsNullOrEmpty(Prefix) || !Prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            throw new ArgumentException($"The prefix '{Prefix}' must be letters, digits, '_' or '-'.", nameof(Prefix));
        ArgumentOutOfRangeException.ThrowIfLessThan(Replicas, 1, nameof(Replicas));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Replicas, 5, nameof(Replicas));
        ArgumentOutOfRangeException.ThrowIfLessThan(LeaseTimeToLive, TimeSpan.FromSeconds(1), nameof(LeaseTimeToLive));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxControlLine, 1024, nameof(MaxControlLine));
        ArgumentOutOfRangeException.ThrowIfLessThan(ComponentConsumerInactiveThreshold, TimeSpan.FromSeconds(1), nameof(ComponentConsumerInactiveThreshold));
    }
}
