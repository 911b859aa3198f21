using BenchmarkDotNet.Running;
using Concordance.Benchmarks.Nats;

// Needs a nats-server with JetStream: benchmarks/nats/run.sh starts a private one and sets the URL.
if (Environment.GetEnvironmentVariable(NatsServer.UrlVariable) is null)
{
    Console.Error.WriteLine($"Set {NatsServer.UrlVariable} (benchmarks/nats/run.sh does) to a nats-server with JetStream.");
    return 2;
}
if (args is ["interleaved", ..])
{
    await InterleavedCommandRatios.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20, args.Length > 2 ? args[2] : null);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(CommandBenchmarks).Assembly).Run(args);
return 0;
