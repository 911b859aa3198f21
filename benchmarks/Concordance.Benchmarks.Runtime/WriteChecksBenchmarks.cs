using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Bench;
using Concordance.Benchmarks.Runtime.Unchecked;

namespace Concordance.Benchmarks.Runtime;

/// <summary>
/// What the write-time checks cost (a null required field, a lone surrogate, a NaN refused before anything is stored;
/// the bus writing each command once to check it). The baseline is the same code as it was before the checks: the
/// generated writers without their check calls (<see cref="UncheckedWriters"/>) and a catalog whose command writers do
/// nothing, as the bus did not write commands then. JSON: BenchmarkDotNet, the same three events and state as
/// <see cref="JsonBenchmarks"/>, both sides as direct calls of the static writers (the runtime reaches them through
/// <see cref="MessageType.Write"/>, the same for both). Command loops: <see cref="RunInterleavedAsync"/>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class WriteChecksBenchmarks
{
    private const int Values = 4;

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter _writer = null!;
    private AccountOpened _vOpened = null!;
    private FundsDeposited _vDeposited = null!;
    private WireTransferInitiated _vWire = null!;
    private AccountState _vState = null!;

    /// <summary>The generated message types with the writers as they were before the checks (commands: not written at all).</summary>
    public static ComponentCatalog UncheckedCatalog()
    {
        var catalog = new ComponentCatalog();
        foreach (var type in LedgerSchema.MessageTypes)
        {
            MessageWriter write = type.Kind == MessageKind.Command ? static (_, _) => { } : type.ClrType.Name switch
            {
                nameof(AccountOpened) => static (w, m) => AccountOpenedWriter.WriteValue(w, (AccountOpened)m),
                nameof(FundsDeposited) => static (w, m) => FundsDepositedWriter.WriteValue(w, (FundsDeposited)m),
                nameof(FundsWithdrawn) => static (w, m) => FundsWithdrawnWriter.WriteValue(w, (FundsWithdrawn)m),
                nameof(WireTransferInitiated) => static (w, m) => WireTransferInitiatedWriter.WriteValue(w, (WireTransferInitiated)m),
                nameof(FundsReserved) => static (w, m) => FundsReservedWriter.WriteValue(w, (FundsReserved)m),
                nameof(FundsReleased) => static (w, m) => FundsReleasedWriter.WriteValue(w, (FundsReleased)m),
                nameof(FundsCommitted) => static (w, m) => FundsCommittedWriter.WriteValue(w, (FundsCommitted)m),
                _ => throw new InvalidOperationException($"No unchecked writer for {type}."),
            };
            catalog.Add(new MessageType(type.Name, type.Version, type.Kind, type.ClrType, write, type.Read, type.Upcast));
        }
        return catalog;
    }

    [GlobalSetup]
    public void Setup()
    {
        _writer = new Utf8JsonWriter(_buffer);
        _vOpened = new("ABC123", 4000m, 100m, "CUSTBOB");
        _vDeposited = new("ABC123", 3000.75m, "salary for June", "CUSTBOB");
        _vWire = new("ABC123", 2500m, null, "CUSTBOB", "WT-1", "021000021", "987654321");
        _vState = new(6000m, 100m, "CUSTBOB", new Dictionary<string, decimal> { ["WT-1"] = 2500m, ["WT-2"] = 1000.5m, ["WT-3"] = 12.25m });
        // The same bytes either way: the checks only refuse, they never change what is written.
        var checkedCount = Write_checked();
        var checkedJson = _buffer.WrittenSpan.ToArray();
        if (Write_unchecked_before() != checkedCount || !_buffer.WrittenSpan.SequenceEqual(checkedJson))
            throw new InvalidOperationException("The checked and unchecked writers do not write the same JSON.");
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Values)]
    public int Write_unchecked_before()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        AccountOpenedWriter.WriteValue(_writer, _vOpened);
        _writer.Flush();
        _writer.Reset();
        FundsDepositedWriter.WriteValue(_writer, _vDeposited);
        _writer.Flush();
        _writer.Reset();
        WireTransferInitiatedWriter.WriteValue(_writer, _vWire);
        _writer.Flush();
        _writer.Reset();
        AccountStateWriter.WriteValue(_writer, _vState);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    /// <summary>The generated writers, called as the baseline calls its copies: the same static calls, only the checks differ.</summary>
    [Benchmark(OperationsPerInvoke = Values)]
    public int Write_checked()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        AccountOpenedJsonConverter.WriteValue(_writer, _vOpened);
        _writer.Flush();
        _writer.Reset();
        FundsDepositedJsonConverter.WriteValue(_writer, _vDeposited);
        _writer.Flush();
        _writer.Reset();
        WireTransferInitiatedJsonConverter.WriteValue(_writer, _vWire);
        _writer.Flush();
        _writer.Reset();
        AccountStateJsonConverter.WriteValue(_writer, _vState);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    /// <summary>
    /// The durable command loops with and without the checks, alternated in one process: two buses, each on its own
    /// SQLite file (synchronous=FULL), one built over <see cref="UncheckedCatalog"/>. Each round sends 100 commands one at
    /// a time alternately to the two buses, then one 64-sender wave (64 accounts × 20 commands) to each, in alternating
    /// order. Medians per side and their ratio.
    /// </summary>
    public static async Task RunInterleavedAsync(int rounds)
    {
        using var folder = new TempFolder();
        var (checkedStore, checkedBus) = Harness.OpenBus(folder.File("checked.db"));
        var (uncheckedStore, uncheckedBus) = Harness.OpenBus(folder.File("unchecked.db"), catalog: UncheckedCatalog());
        var loops = new[] { new CommandLoop(checkedBus, "C"), new CommandLoop(uncheckedBus, "U") };
        var one = new[] { new List<double>(), new List<double>() };
        var waves = new[] { new List<double>(), new List<double>() };
        try
        {
            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed < TimeSpan.FromSeconds(3))
            {
                foreach (var loop in loops) await loop.SendOneAsync();
                foreach (var loop in loops) await loop.WaveAsync(4);
            }
            for (var r = 0; r < rounds; r++)
            {
                for (var i = 0; i < 100; i++)
                {
                    for (var side = 0; side < 2; side++)
                    {
                        var start = Stopwatch.GetTimestamp();
                        await loops[side].SendOneAsync();
                        one[side].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                    }
                }
                for (var k = 0; k < 2; k++)
                {
                    var side = (r + k) % 2;
                    var start = Stopwatch.GetTimestamp();
                    await loops[side].WaveAsync(64);
                    waves[side].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / (64 * CommandLoop.CommandsPerAccount));
                }
            }
        }
        finally
        {
            await checkedBus.DisposeAsync();
            await uncheckedBus.DisposeAsync();
            await checkedStore.DisposeAsync();
            await uncheckedStore.DisposeAsync();
        }
        Console.WriteLine($"{rounds} rounds after a 3 s warm-up; per command");
        Console.WriteLine($"1 sender,   unchecked (before): {DurableInterleaved.Describe(one[1])}");
        Console.WriteLine($"1 sender,   checked:            {DurableInterleaved.Describe(one[0])}");
        Console.WriteLine($"64 senders, unchecked (before): {DurableInterleaved.Describe(waves[1])}");
        Console.WriteLine($"64 senders, checked:            {DurableInterleaved.Describe(waves[0])}");
        Console.WriteLine($"time ratio checked / before (target <= 1.05): 1 sender {DurableInterleaved.Median(one[0]) / DurableInterleaved.Median(one[1]):N3} by medians, {one[0].Average() / one[1].Average():N3} by means; 64 senders {DurableInterleaved.Median(waves[0]) / DurableInterleaved.Median(waves[1]):N3} by medians, {waves[0].Average() / waves[1].Average():N3} by means");
    }

    /// <summary>The durable workload on one bus: accounts opened and then deposited into, 20 commands each.</summary>
    private sealed class CommandLoop(CommandBus bus, string prefix)
    {
        public const int CommandsPerAccount = 20;
        private int _accounts;
        private int _sent;
        private string _current = "";

        public Task SendOneAsync()
        {
            if (_sent++ % CommandsPerAccount == 0) _current = NextAccount();
            return _sent % CommandsPerAccount == 1
                ? Accepted(bus.SendAsync(new OpenAccount(_current, 100m, 0m, "CUST0001")))
                : Accepted(bus.SendAsync(new DepositFunds(_current, 25m, "benchmark deposit", "CUST0001")));
        }

        public Task WaveAsync(int senders)
        {
            var tasks = new Task[senders];
            for (var s = 0; s < senders; s++) tasks[s] = AccountAsync(NextAccount());
            return Task.WhenAll(tasks);
        }

        private async Task AccountAsync(string account)
        {
            await Accepted(bus.SendAsync(new OpenAccount(account, 100m, 0m, "CUST0001")));
            for (var i = 1; i < CommandsPerAccount; i++)
                await Accepted(bus.SendAsync(new DepositFunds(account, 25m, "benchmark deposit", "CUST0001")));
        }

        private string NextAccount() => prefix + "-" + (++_accounts).ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static async Task Accepted(Task<CommandResult> send)
        {
            var result = await send.ConfigureAwait(false);
            if (!result.IsAccepted) throw new InvalidOperationException($"A benchmark command was rejected: {result.RejectionReason}");
        }
    }
}
