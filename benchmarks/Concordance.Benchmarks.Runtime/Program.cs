using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Concordance.Benchmarks.Runtime -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
