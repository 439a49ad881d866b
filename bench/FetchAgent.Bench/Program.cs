using FetchAgent.Bench;
using FetchAgent.Bench.SideBySide;

return args is ["memory", ..]
    ? await RunAsync(MemoryBench.Parse(args, out var memoryError, out var memoryHelp), memoryError, memoryHelp, MemoryBench.Usage, MemoryBench.RunAsync, MemoryBench.Print)
    : args is ["accuracy", ..]
    ? await RunAsync(AccuracyBench.Parse(args, out var accuracyError, out var accuracyHelp), accuracyError, accuracyHelp, AccuracyBench.Usage, AccuracyBench.RunAsync, AccuracyBench.Print)
    : args is ["http2", ..]
    ? await RunAsync(Http2Bench.Parse(args, out var http2Error, out var http2Help), http2Error, http2Help, Http2Bench.Usage, Http2Bench.RunAsync, Http2Bench.Print)
    : args is ["what-if", ..]
    ? await RunAsync(WhatIfBench.Parse(args, out var whatIfError, out var whatIfHelp), whatIfError, whatIfHelp, WhatIfBench.Usage, WhatIfBench.RunAsync, WhatIfBench.Print)
    : args is ["side-by-side", ..]
    ? await RunAsync(SideBySideOptions.Parse(args, out var sideError, out var sideHelp), sideError, sideHelp, SideBySideOptions.Usage, SideBySideBench.RunAsync, SideBySideTable.Print)
    : args is ["queue", ..]
    ? await RunAsync(QueueBench.Parse(args, out var queueError, out var queueHelp), queueError, queueHelp, QueueBench.Usage, QueueBench.RunAsync, QueueBench.Print)
    : args is ["chromium-timing", ..]
    ? await RunAsync(ChromiumTiming.Parse(args, out var chromiumError, out var chromiumHelp), chromiumError, chromiumHelp, ChromiumTiming.Usage, ChromiumTiming.RunAsync, ChromiumTiming.Print)
    : args is ["warmup", ..]
    ? await RunAsync(WarmupBench.Parse(args, out var warmupError, out var warmupHelp), warmupError, warmupHelp, WarmupBench.Usage, WarmupBench.RunAsync, WarmupBench.Print)
    : args is ["storage", ..]
    ? await RunAsync(StorageBenchOptions.Parse(args, out var storageError, out var storageHelp), storageError, storageHelp, StorageBenchOptions.Usage, StorageBench.RunAsync, StorageResultTable.Print)
    : await RunAsync(BenchOptions.Parse(args, out var error, out var help), error, help, $"{BenchOptions.Usage}\n\n{StorageBenchOptions.Usage}\n\n{AccuracyBench.Usage}\n\n{MemoryBench.Usage}\n\n{QueueBench.Usage}\n\n{Http2Bench.Usage}\n\n{WhatIfBench.Usage}\n\n{SideBySideOptions.Usage}\n\n{ChromiumTiming.Usage}\n\n{WarmupBench.Usage}", PageLoadBench.RunAsync, ResultTable.Print);

// One shape for every bench command: --help prints usage (exit 0), bad arguments exit 2,
// a failed check of the run exits 1, else the report goes to stdout and progress to stderr.
static async Task<int> RunAsync<TOptions, TReport>(
    TOptions? options, string? error, bool help, string usage, Func<TOptions, TextWriter, Task<TReport>> run, Action<TextWriter, TReport> print)
    where TOptions : class
{
    if (help)
    {
        Console.WriteLine(usage);
        return 0;
    }

    if (options is null)
    {
        Console.Error.WriteLine($"bench: {error}");
        Console.Error.WriteLine(usage);
        return 2;
    }

    try
    {
        print(Console.Out, await run(options, Console.Error));
        return 0;
    }
    catch (BenchFailure failure)
    {
        Console.Error.WriteLine($"bench: {failure.Message}");
        return 1;
    }
}
