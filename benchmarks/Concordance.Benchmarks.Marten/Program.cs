using BenchmarkDotNet.Running;

// Run through benchmarks/marten/run.sh, which starts a private PostgreSQL and sets CONCORDANCE_BENCH_PG.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
