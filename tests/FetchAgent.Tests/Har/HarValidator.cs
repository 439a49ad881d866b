using System.Diagnostics;

namespace FetchAgent.Tests.Har;

/// <summary>Runs the npm har-validator (installed by ./test.sh) over HAR files; fails the test on any invalid one.</summary>
internal static class HarValidator
{
    public static async Task AssertValidAsync(IReadOnlyList<string> files)
    {
        Tools.Require("har-validator");
        var script = Path.Combine(AppContext.BaseDirectory, "Har", "validate-har.js");
        using var node = Process.Start(new ProcessStartInfo("node", [script, Tools.NodeModules, .. files]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        var output = await stdout + await stderr;

        Assert.True(node.ExitCode == 0, output);
        Assert.Equal(files.Count, output.Split('\n').Count(l => l.StartsWith("valid ", StringComparison.Ordinal)));
    }
}
