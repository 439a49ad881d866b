using FetchAgent.Bench;

var options = BenchOptions.Parse(args, out var error, out var help);
if (help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

if (options is null)
{
    Console.Error.WriteLine($"bench: {error}");
    Console.Error.WriteLine(BenchOptions.Usage);
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
