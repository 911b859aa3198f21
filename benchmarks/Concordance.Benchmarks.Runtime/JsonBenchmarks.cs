using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Concordance.Benchmarks.Runtime;

/// <summary>
/// Writing and reading three events and an aggregate state (with a map) as JSON: the generated converters,
/// through the same entry points the runtime uses (<see cref="MessageType.Write"/>/<see cref="MessageType.Read"/>
/// and <see cref="IAggregate.WriteState"/>/<see cref="IAggregate.ReadState"/>), vs System.Text.Json's source
/// generator (the baseline) over hand-written records with the same fields and camelCase names. Same buffers,
/// same writer; the setup checks that each side reads the other's output back to equal values.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class JsonBenchmarks
{
    private const int Values = 4;

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter _writer = null!;
    private IAggregate _aggregate = null!;
    private MessageType _opened = null!, _deposited = null!, _wire = null!;
    private Bench.AccountOpened _gOpened = null!;
    private Bench.FundsDeposited _gDeposited = null!;
    private Bench.WireTransferInitiated _gWire = null!;
    private Bench.AccountState _gState = null!;
    private Plain.AccountOpened _pOpened = null!;
    private Plain.FundsDeposited _pDeposited = null!;
    private Plain.WireTransferInitiated _pWire = null!;
    private Plain.AccountState _pState = null!;
    private byte[][] _generatedJson = null!;
    private byte[][] _stjJson = null!;

    [GlobalSetup]
    public void Setup()
    {
        _writer = new Utf8JsonWriter(_buffer);
        _aggregate = new Bench.Account();
        var catalog = Harness.Catalog();
        _opened = catalog.Find(typeof(Bench.AccountOpened))!;
        _deposited = catalog.Find(typeof(Bench.FundsDeposited))!;
        _wire = catalog.Find(typeof(Bench.WireTransferInitiated))!;
        var holds = new Dictionary<string, decimal> { ["WT-1"] = 2500m, ["WT-2"] = 1000.5m, ["WT-3"] = 12.25m };
        _gOpened = new("ABC123", 4000m, 100m, "CUSTBOB");
        _gDeposited = new("ABC123", 3000.75m, "salary for June", "CUSTBOB");
        _gWire = new("ABC123", 2500m, null, "CUSTBOB", "WT-1", "021000021", "987654321");
        _gState = new(6000m, 100m, "CUSTBOB", holds);
        _pOpened = new("ABC123", 4000m, 100m, "CUSTBOB");
        _pDeposited = new("ABC123", 3000.75m, "salary for June", "CUSTBOB");
        _pWire = new("ABC123", 2500m, null, "CUSTBOB", "WT-1", "021000021", "987654321");
        _pState = new(6000m, 100m, "CUSTBOB", holds);

        _generatedJson = [Capture(() => _opened.Write(_writer, _gOpened)), Capture(() => _deposited.Write(_writer, _gDeposited)),
            Capture(() => _wire.Write(_writer, _gWire)), Capture(() => _aggregate.WriteState(_writer, _gState))];
        _stjJson = [Capture(() => JsonSerializer.Serialize(_writer, _pOpened, PlainJson.Default.AccountOpened)),
            Capture(() => JsonSerializer.Serialize(_writer, _pDeposited, PlainJson.Default.FundsDeposited)),
            Capture(() => JsonSerializer.Serialize(_writer, _pWire, PlainJson.Default.WireTransferInitiated)),
            Capture(() => JsonSerializer.Serialize(_writer, _pState, PlainJson.Default.AccountState))];
        // Equivalent work: each side reads the other's JSON back to the same values.
        if (!Equals(Read(_opened, _stjJson[0]), _gOpened) || !Equals(Read(_deposited, _stjJson[1]), _gDeposited) || !Equals(Read(_wire, _stjJson[2]), _gWire)
            || !Equals(ReadState(_stjJson[3]), _gState)
            || JsonSerializer.Deserialize(_generatedJson[0], PlainJson.Default.AccountOpened) != _pOpened
            || JsonSerializer.Deserialize(_generatedJson[1], PlainJson.Default.FundsDeposited) != _pDeposited
            || JsonSerializer.Deserialize(_generatedJson[2], PlainJson.Default.WireTransferInitiated) != _pWire
            || !JsonSerializer.Deserialize(_generatedJson[3], PlainJson.Default.AccountState)!.Holds(holds))
            throw new InvalidOperationException("The generated converters and the STJ source generator do not write equivalent JSON.");
        // Both write methods commit every value to the buffer (a flush each): the byte counts are the four values' sums.
        if (Write_STJ_source_gen() != _stjJson.Sum(j => j.Length) || Write_generated_converters() != _generatedJson.Sum(j => j.Length))
            throw new InvalidOperationException("A write benchmark does not flush every value it writes.");
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Values), BenchmarkCategory("write")]
    public int Write_STJ_source_gen()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        JsonSerializer.Serialize(_writer, _pOpened, PlainJson.Default.AccountOpened);
        _writer.Reset();
        JsonSerializer.Serialize(_writer, _pDeposited, PlainJson.Default.FundsDeposited);
        _writer.Reset();
        JsonSerializer.Serialize(_writer, _pWire, PlainJson.Default.WireTransferInitiated);
        _writer.Reset();
        JsonSerializer.Serialize(_writer, _pState, PlainJson.Default.AccountState);
        return _buffer.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = Values), BenchmarkCategory("write")]
    public int Write_generated_converters()
    {
        // Flushed after each value, as JsonSerializer.Serialize(writer, …) does on the baseline's side (without it, Reset
        // would discard the unflushed bytes and this side would skip three of the four flushes the baseline pays for).
        _buffer.ResetWrittenCount();
        _writer.Reset();
        _opened.Write(_writer, _gOpened);
        _writer.Flush();
        _writer.Reset();
        _deposited.Write(_writer, _gDeposited);
        _writer.Flush();
        _writer.Reset();
        _wire.Write(_writer, _gWire);
        _writer.Flush();
        _writer.Reset();
        _aggregate.WriteState(_writer, _gState);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Values), BenchmarkCategory("read")]
    public object Read_STJ_source_gen()
    {
        var reader = new Utf8JsonReader(_stjJson[0]);
        var a = JsonSerializer.Deserialize(ref reader, PlainJson.Default.AccountOpened);
        reader = new Utf8JsonReader(_stjJson[1]);
        var b = JsonSerializer.Deserialize(ref reader, PlainJson.Default.FundsDeposited);
        reader = new Utf8JsonReader(_stjJson[2]);
        var c = JsonSerializer.Deserialize(ref reader, PlainJson.Default.WireTransferInitiated);
        reader = new Utf8JsonReader(_stjJson[3]);
        var d = JsonSerializer.Deserialize(ref reader, PlainJson.Default.AccountState);
        return (a, b, c, d);
    }

    [Benchmark(OperationsPerInvoke = Values), BenchmarkCategory("read")]
    public object Read_generated_converters() =>
        (Read(_opened, _generatedJson[0]), Read(_deposited, _generatedJson[1]), Read(_wire, _generatedJson[2]), ReadState(_generatedJson[3]));

    private static IMessage Read(MessageType type, byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return type.Read(ref reader);
    }

    private object ReadState(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return _aggregate.ReadState(ref reader);
    }

    private byte[] Capture(Action write)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        write();
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Plain.AccountOpened))]
[JsonSerializable(typeof(Plain.FundsDeposited))]
[JsonSerializable(typeof(Plain.WireTransferInitiated))]
[JsonSerializable(typeof(Plain.AccountState))]
internal sealed partial class PlainJson : JsonSerializerContext;
