using System.Globalization;
using System.Text.Json;
using Concordance;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bank;

/// <summary>What <see cref="BankStory.RunAsync"/> ended with.</summary>
/// <param name="Problems">Every way the run missed the story's expected outcome; empty when it reached it.</param>
/// <param name="Account">The account's ledger read model at the end, or null when there is none.</param>
public sealed record BankStoryResult(IReadOnlyList<string> Problems, AccountView? Account)
{
    /// <summary>True when every step had its expected outcome and the final state is the expected one.</summary>
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>
/// The bank story of issue 5, told through the real runtime on a SQLite file or NATS JetStream: a generic host with
/// <c>AddConcordance(o =&gt; o.UseSqlite(...)).AddGeneratedComponents()</c> (or <c>o.UseNats(...)</c>), commands through <see cref="ICommandBus"/>, the
/// InterbankTransfer process manager's commands through the outbox, the WireNetwork gateway calling a simulated wire
/// network over HTTP, and the AccountLedger projector read through <see cref="IReadModels"/>.
/// </summary>
/// <remarks>
/// Every command is sent with a fixed command id (<c>bank-story/…</c>). Run the story again on the same file (or the
/// same NATS prefix) and the store answers each command with its first outcome: nothing applies twice, and the story ends the same.
/// </remarks>
public static class BankStory
{
    /// <summary>The story's account.</summary>
    public const string AccountNumber = "ABC123";

    /// <summary>The story's customer.</summary>
    public const string CustomerId = "CUSTBOB";

    /// <summary>The wire that the network approves (routing 021000021).</summary>
    public const string ApprovedWire = "WT-1";

    /// <summary>The wire that the network declines (routing 000000000).</summary>
    public const string DeclinedWire = "WT-2";

    /// <summary>How long the story waits for one wire transfer's process to end, or the ledger to catch up.</summary>
    public static TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Runs the story on the SQLite file <paramref name="dbPath"/> (created if missing), writing it to <paramref name="output"/>.</summary>
    public static Task<BankStoryResult> RunAsync(string dbPath, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dbPath);
        return RunAsync(o => o.UseSqlite($"Data Source={dbPath}"), $"{Path.GetFullPath(dbPath)} (SQLite)", output, cancellationToken);
    }

    /// <summary>
    /// Runs the story on the store that <paramref name="useStore"/> selects (e.g. <c>o =&gt; o.UseNats(url)</c>),
    /// writing it to <paramref name="output"/>; <paramref name="storeDescription"/> names that store in the output.
    /// </summary>
    public static async Task<BankStoryResult> RunAsync(Action<ConcordanceOptions> useStore, string storeDescription, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(useStore);
        ArgumentException.ThrowIfNullOrWhiteSpace(storeDescription);
        ArgumentNullException.ThrowIfNull(output);

        await using var network = SimulatedWireNetwork.Start();
        using var http = new HttpClient { BaseAddress = network.BaseAddress };

        var host = BuildHost(useStore, http);
        try
        {
            await host.StartAsync(cancellationToken);
            output.WriteLine($"Event store: {storeDescription}");
            output.WriteLine($"Wire network: {network.BaseAddress} (simulated; declines routing number {SimulatedWireNetwork.DeclinedRoutingNumber})");
            output.WriteLine();
            return await new Story(host.Services, output, cancellationToken).TellAsync();
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            if (host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else host.Dispose();
        }
    }

    /// <summary>
    /// The bank application's host: <c>AddConcordance(useStore).AddGeneratedComponents()</c>, the wire network client over
    /// <paramref name="http"/>, and logging of the runtime's warnings and errors to standard error. Not started.
    /// </summary>
    public static IHost BuildHost(Action<ConcordanceOptions> useStore, HttpClient http)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // The story goes to stdout; the runtime's warnings and errors (a retried gateway call, a dead letter) to stderr.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        // Read models through source-generated JSON (BankJson): no reflection, so the same code publishes with NativeAOT.
        builder.Services.AddConcordance(o =>
        {
            useStore(o);
            o.Processing.AddReadModelJson(BankJson.Default);
        }).AddGeneratedComponents();
        builder.Services.AddSingleton(new WireNetworkClient(http));
        builder.Services.AddSingleton<WireInstructions>();
        return builder.Build();
    }

    private sealed class Story(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        private readonly ICommandBus _bus = services.GetRequiredService<ICommandBus>();
        private readonly IReadModels _readModels = services.GetRequiredService<IReadModels>();
        private readonly IDeadLetters _deadLetters = services.GetRequiredService<IDeadLetters>();
        private readonly IConcordanceStore _store = services.GetRequiredService<IConcordanceStore>();
        private readonly string _accountCategory = ((IAggregate)services.GetRequiredService<BankAccount>()).Name;
        private readonly string _ledger = ((IProjector)services.GetRequiredService<AccountLedger>()).Name;
        private readonly string _transfer = ((IProcessManager)services.GetRequiredService<InterbankTransfer>()).Name;
        private readonly List<string> _problems = [];

        public async Task<BankStoryResult> TellAsync()
        {
            output.WriteLine("1. Open the account, deposit, withdraw");
            await SendAsync("1-create", $"create {AccountNumber} (initial 4000, min 100, {CustomerId})", new CreateAccount(AccountNumber, 4000m, 100m, CustomerId));
            await SendAsync("1-deposit-3000", "deposit 3000", new DepositFunds(AccountNumber, 3000m, null, CustomerId));
            await SendAsync("1-deposit-1000", "deposit 1000", new DepositFunds(AccountNumber, 1000m, null, CustomerId));
            var withdrawn = await SendAsync("1-withdraw-2000", "withdraw 2000", new WithdrawFunds(AccountNumber, 2000m, null, CustomerId));
            if (withdrawn.IsAccepted && await LedgerAtAsync(await PositionOfAsync(withdrawn.Version)) is { } afterWithdrawal)
                output.WriteLine($"   -> balance {Money(afterWithdrawal.Balance)}");

            output.WriteLine("2. Withdraw more than the minimum balance allows");
            await SendAsync("2-withdraw-6000", "withdraw 6000", new WithdrawFunds(AccountNumber, 6000m, null, CustomerId), expectAccepted: false);

            output.WriteLine("3. Wire 2500 to routing 021000021 (the network approves)");
            await WireAsync("3-wire", ApprovedWire, 2500m, "021000021", "987654321");

            output.WriteLine("4. Wire 1000 to routing 000000000 (the network declines)");
            await WireAsync("4-wire", DeclinedWire, 1000m, SimulatedWireNetwork.DeclinedRoutingNumber, "123456789");

            var account = await _readModels.GetAsync<AccountView>(_ledger, AccountNumber, cancellationToken);
            output.WriteLine("5. The ledger and the event log");
            PrintLedger(account);
            await PrintEventLogAsync();
            CheckFinalState(account);

            output.WriteLine();
            if (_problems.Count == 0)
            {
                output.WriteLine("The story reached its expected end: balance 3500, both wire transfers settled, nothing applied twice.");
            }
            else
            {
                output.WriteLine("The story did NOT reach its expected end:");
                foreach (var problem in _problems) output.WriteLine($"  - {problem}");
            }
            return new BankStoryResult(_problems, account);
        }

        /// <summary>Sends one step's command under a fixed id and prints its outcome.</summary>
        private async Task<CommandResult> SendAsync(string step, string label, ICommand command, bool expectAccepted = true)
        {
            var result = await _bus.SendAsync(command, new CommandMetadata { CommandId = CommandIdOf(step) }, cancellationToken);
            output.WriteLine(result.IsAccepted
                ? $"   {label,-44} accepted: {string.Join(", ", result.Events.Select(e => e.GetType().Name))}"
                : $"   {label,-44} rejected: {result.RejectionReason}");
            if (result.IsAccepted != expectAccepted)
                _problems.Add($"'{label}' was {(result.IsAccepted ? "accepted" : $"rejected ({result.RejectionReason})")}; expected it {(expectAccepted ? "accepted" : "rejected")}");
            return result;
        }

        /// <summary>Initiates a wire, waits for its InterbankTransfer process to end, and prints what happened on the way.</summary>
        private async Task WireAsync(string step, string wireTransferId, decimal amount, string routingNumber, string targetAccount)
        {
            var initiated = await SendAsync($"{step}-{wireTransferId}", $"wire {Money(amount)} to {routingNumber}/{targetAccount} ({wireTransferId})",
                new WireFunds(AccountNumber, amount, null, CustomerId, wireTransferId, routingNumber, targetAccount));
            if (!initiated.IsAccepted) return;

            // The process, the outbox, the gateway and the network run in the background; wait (bounded) for the
            // process instance to end, then for the ledger to have projected the event that ended it.
            if (!await WaitUntilAsync($"the InterbankTransfer process of {wireTransferId} to end", () => ProcessEndedAsync(wireTransferId))) return;
            var trail = await EventsCorrelatedWithAsync(CommandIdOf($"{step}-{wireTransferId}"));
            foreach (var (stored, @event) in trail.Skip(1))
                output.WriteLine($"     -> {Describe(@event)}");
            var settled = trail.LastOrDefault(e => e.Event is FundsCommitted or FundsReleased);
            if (settled.Stored is null)
            {
                _problems.Add($"wire {wireTransferId} ended without FundsCommitted or FundsReleased");
                return;
            }
            if (await LedgerAtAsync(settled.Stored.Position) is { } view)
                output.WriteLine($"     -> process ended; balance {Money(view.Balance)}, available {Money(view.Available)}");
        }

        private string Describe(IEvent @event) => @event switch
        {
            FundsReserved e => $"funds reserved: hold of {Money(e.Amount)} (FundsReserved)",
            WireTransferSucceeded e => $"wire network: {e.Note} (WireTransferSucceeded)",
            WireTransferFailed e => $"wire network: {e.Note} (WireTransferFailed)",
            FundsCommitted => "hold committed: the balance is debited (FundsCommitted)",
            FundsReleased => "hold released: the funds are available again (FundsReleased)",
            _ => @event.GetType().Name,
        };

        private static string CommandIdOf(string step) => $"bank-story/{step}";

        /// <summary>True when the process instance document (<c>{"ended":…}</c> in collection <c>process:{name}</c>) says ended.</summary>
        private async Task<bool> ProcessEndedAsync(string wireTransferId)
        {
            var document = await _store.Components.GetDocumentAsync($"process:{_transfer}", wireTransferId, cancellationToken);
            if (document is null) return false;
            using var json = JsonDocument.Parse(document.Data);
            return json.RootElement.TryGetProperty("ended", out var ended) && ended.GetBoolean();
        }

        /// <summary>The ledger view once the AccountLedger projector has processed the global log up to <paramref name="position"/>.</summary>
        private async Task<AccountView?> LedgerAtAsync(long position)
        {
            var caughtUp = await WaitUntilAsync($"the ledger to reach log position {position}",
                async () => await _store.Components.GetCheckpointAsync($"projector:{_ledger}", cancellationToken) >= position);
            return caughtUp ? await _readModels.GetAsync<AccountView>(_ledger, AccountNumber, cancellationToken) : null;
        }

        /// <summary>The global log position of the account stream's event at <paramref name="version"/>.</summary>
        private async Task<long> PositionOfAsync(long version)
        {
            await foreach (var stored in _store.Events.ReadStreamAsync(new StreamId(_accountCategory, AccountNumber), version, cancellationToken))
                return stored.Position;
            throw new InvalidOperationException($"The account stream has no version {version}.");
        }

        /// <summary>Polls <paramref name="condition"/> until it holds, a dead letter appears, or <see cref="StepTimeout"/> passes.</summary>
        private async Task<bool> WaitUntilAsync(string what, Func<Task<bool>> condition)
        {
            var deadline = DateTime.UtcNow + StepTimeout;
            while (true)
            {
                if (await condition()) return true;
                if (await _deadLetters.ListAsync(cancellationToken: cancellationToken) is [var letter, ..])
                {
                    _problems.Add($"{letter.Component} parked {letter.EventType} at position {letter.Position} as a dead letter: {FirstLine(letter.Error)}");
                    return false;
                }
                if (DateTime.UtcNow >= deadline)
                {
                    _problems.Add($"timed out after {StepTimeout.TotalSeconds:0} s waiting for {what}");
                    return false;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }

        private async Task<List<(StoredEvent Stored, IEvent Event)>> EventsCorrelatedWithAsync(string correlationId)
        {
            var serializer = services.GetRequiredService<MessageSerializer>();
            var trail = new List<(StoredEvent, IEvent)>();
            await foreach (var stored in ReadLogAsync())
            {
                if (stored.CorrelationId == correlationId) trail.Add((stored, serializer.Deserialize(stored)));
            }
            return trail;
        }

        private async IAsyncEnumerable<StoredEvent> ReadLogAsync()
        {
            var after = 0L;
            while (true)
            {
                var page = await _store.Events.ReadAllAsync(after, 256, cancellationToken: cancellationToken);
                if (page.Count == 0) yield break;
                foreach (var stored in page) yield return stored;
                after = page[^1].Position;
            }
        }

        private void PrintLedger(AccountView? account)
        {
            output.WriteLine();
            if (account is null)
            {
                output.WriteLine($"   (no ledger for {AccountNumber})");
                return;
            }
            var holds = account.Holds.Count == 0 ? "no holds" : "holds " + string.Join(", ", account.Holds.Select(h => $"{h.Key} {Money(h.Value)}"));
            output.WriteLine($"   Ledger of {account.AccountNumber}: balance {Money(account.Balance)}, available {Money(account.Available)}, {holds}");
            output.WriteLine($"   {"#",3}  {"kind",-12} {"amount",10} {"balance after",14}");
            output.WriteLine($"   {new string('-', 3)}  {new string('-', 12)} {new string('-', 10)} {new string('-', 14)}");
            var n = 0;
            foreach (var line in account.Lines)
                output.WriteLine($"   {++n,3}  {line.Kind,-12} {Money(line.Amount),10} {Money(line.BalanceAfter),14}");
        }

        private async Task PrintEventLogAsync()
        {
            var log = new List<StoredEvent>();
            await foreach (var stored in ReadLogAsync()) log.Add(stored);
            // Positions are store-specific (SQLite counts 1, 2, …; NATS leaves gaps): the column fits the widest.
            var width = Math.Max(4, log.Count == 0 ? 0 : log.Max(e => e.Position.ToString(CultureInfo.InvariantCulture).Length));
            output.WriteLine();
            output.WriteLine($"   {"pos".PadLeft(width)}  {"stream",-28} {"ver",4}  type");
            output.WriteLine($"   {new string('-', width)}  {new string('-', 28)} {new string('-', 4)}  {new string('-', 28)}");
            foreach (var stored in log)
                output.WriteLine($"   {stored.Position.ToString(CultureInfo.InvariantCulture).PadLeft(width)}  {stored.Stream,-28} {stored.Version,4}  {stored.Type}");
        }

        private void CheckFinalState(AccountView? account)
        {
            if (account is null)
            {
                _problems.Add($"the ledger has no view of account {AccountNumber}");
                return;
            }
            if (account.Balance != 3500m) _problems.Add($"the balance is {Money(account.Balance)}; expected 3500");
            if (account.Available != 3500m) _problems.Add($"the available funds are {Money(account.Available)}; expected 3500");
            if (account.Holds.Count != 0) _problems.Add($"holds remain: {string.Join(", ", account.Holds.Keys)}");
            LedgerLine[] expected =
            [
                new("opened", 4000m, 4000m), new("deposit", 3000m, 7000m), new("deposit", 1000m, 8000m), new("withdrawal", 2000m, 6000m),
                new("hold", 2500m, 6000m), new("wire out", 2500m, 3500m), new("hold", 1000m, 3500m), new("release", 1000m, 3500m),
            ];
            if (!account.Lines.SequenceEqual(expected))
                _problems.Add($"the ledger lines differ from the story's: {string.Join("; ", account.Lines.Select(l => $"{l.Kind} {Money(l.Amount)} -> {Money(l.BalanceAfter)}"))}");
        }

        private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
    }

    private static string Money(decimal amount) => amount.ToString("0.##", CultureInfo.InvariantCulture);
}
