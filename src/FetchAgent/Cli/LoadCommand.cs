using System.Text.Json;
using FetchAgent.Engine.Page;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Cli;

/// <summary><c>load URL</c>: one page load, printed as a terminal waterfall or as the contract's JSON document.</summary>
internal static class LoadCommand
{
    public static async Task<int> RunAsync(LoadArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (arguments.Database is not null || arguments.Save)
            throw new UsageException("--db and --save: storage is not in this build yet");
        if (arguments.HarFile is not null)
            throw new UsageException("--har: HAR export is not in this build yet");

        var progress = new ProgressLine(stderr);
        var document = await new PageLoader().LoadAsync(arguments.Url, arguments.Options, progress.ObjectFinished, cancellationToken);
        progress.Done();

        if (arguments.Json)
            await stdout.WriteLineAsync(JsonSerializer.Serialize(document, DocumentJson.Indented));
        else
            TerminalWaterfall.Render(document, stdout, Terminal.Width(), Terminal.UseColor(arguments.NoColor));
        return document.Status == PageLoadStatus.Failed ? 1 : 0;
    }
}
