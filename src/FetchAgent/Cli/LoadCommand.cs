using System.Text.Json;
using FetchAgent.Daemon;
using FetchAgent.Engine.Page;
using FetchAgent.Storage;
using FetchAgent.Engine.Timeline;
using FetchAgent.Har;

namespace FetchAgent.Cli;

/// <summary><c>load URL</c>: one page load, printed as a terminal waterfall or as the contract's JSON document.</summary>
internal static class LoadCommand
{
    public static async Task<int> RunAsync(LoadArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {

        var progress = new ProgressLine(stderr);
        var document = await new PageLoader().LoadAsync(arguments.Url, arguments.Options, progress.ObjectFinished, cancellationToken);
        progress.Done();
        if (arguments.Database is not null || arguments.Save)
            await SaveAsync(document, arguments.Database ?? new DaemonOptions().Database, stderr, cancellationToken);
        if (arguments.HarFile is { } harFile)
        {
            await using var har = File.Create(harFile);
            await JsonSerializer.SerializeAsync(har, HarBuilder.Build(document), HarBuilder.Json, cancellationToken);
            await stderr.WriteLineAsync($"fetchagent: wrote HAR 1.2 to {Path.GetFullPath(harFile)}");
        }

        if (arguments.Json)
            await stdout.WriteLineAsync(JsonSerializer.Serialize(document, DocumentJson.Indented));
        else
            TerminalWaterfall.Render(document, stdout, Terminal.Width(), Terminal.UseColor(arguments.NoColor));
        return document.Status == PageLoadStatus.Failed ? 1 : 0;
    }

    /// <summary><c>--db PATH</c> or <c>--save</c>: the load goes into the same database the daemon serves.</summary>
    private static async Task SaveAsync(PageLoadDocument document, string path, TextWriter stderr, CancellationToken cancellationToken)
    {
        var database = new Database(path);
        await database.MigrateAsync(cancellationToken);
        var id = await new PageLoadStore(database).InsertAsync(document, cancellationToken);
        await stderr.WriteLineAsync($"fetchagent: stored as page load {id} in {database.Path}");
    }
}
