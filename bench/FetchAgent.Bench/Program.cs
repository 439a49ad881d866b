using FetchAgent.Bench;

if (args is ["storage", ..])
    return await RunStorageAsync(args);

var options = BenchOptions.Parse(args, out var error, out var help);
if (help)
{
    Console.WriteLine(BenchOptions.Usage);
    Console.WriteLine();
    Console.WriteLine(StorageBenchOptions.Usage);
    return 0;
}

if (options is null)
{
    Console.Error.WriteLine($"bench: {error}");
    Console.Error.WriteLine(BenchOptions.Usage);
    Console.Error.WriteLine(StorageBenchOptions.Usage);
    return 2;
}

try
{
    var report = await PageLoadBench.RunAsync(options, Console.Error);
    ResultTable.Print(Console.Out, report);
    return 0;
}
catch (BenchFailure failure)
{
    Console.Error.WriteLine($"bench: {failure.Message}");
    return 1;
}

static async Task<int> RunStorageAsync(string[] args)
{
    var options = StorageBenchOptions.Parse(args, out var error, out var help);
    if (help)
    {
        Console.WriteLine(StorageBenchOptions.Usage);
        return 0;
    }

    if (options is null)
    {
        Console.Error.WriteLine($"bench: {error}");
        Console.Error.WriteLine(StorageBenchOptions.Usage);
        return 2;
    }

    try
    {
        var report = await StorageBench.RunAsync(options, Console.Error);
        StorageResultTable.Print(Console.Out, report);
        return 0;
    }
    catch (BenchFailure failure)
    {
        Console.Error.WriteLine($"bench: {failure.Message}");
        return 1;
    }
}
