using System.Diagnostics;

namespace FetchAgent.Tests.Api;

/// <summary>
/// The OpenAPI document is good enough for a generator: npm openapi-typescript (installed by ./test.sh) makes typed
/// client types from the live daemon's /openapi/v1.json, and tsc type-checks a program calling every endpoint.
/// </summary>
public sealed class OpenApiClientTests
{
    [Fact]
    public async Task A_generated_TypeScript_client_type_checks_a_program_calling_every_endpoint()
    {
        Tools.Require("openapi-typescript");
        Tools.Require("typescript");
        await using var daemon = await Daemon.StartAsync();
        var folder = Directory.CreateTempSubdirectory("fetchagent-openapi-").FullName;
        var spec = Path.Combine(folder, "openapi.json");
        await File.WriteAllTextAsync(spec, await daemon.Client.GetStringAsync("/openapi/v1.json"));
        foreach (var file in new[] { "client.ts", "tsconfig.json" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, "OpenApi", file), Path.Combine(folder, file));

        var bin = Path.Combine(Tools.NodeModules, ".bin");
        var (generated, generateOutput) = await RunAsync(Path.Combine(bin, "openapi-typescript"), folder, spec, "-o", Path.Combine(folder, "api.d.ts"));
        Assert.True(generated == 0, generateOutput);
        var (compiled, compileOutput) = await RunAsync(Path.Combine(bin, "tsc"), folder, "--noEmit", "-p", Path.Combine(folder, "tsconfig.json"));
        Assert.True(compiled == 0, compileOutput);

        // Every operation has an operationId, and no number is typed number-or-string.
        var api = await File.ReadAllTextAsync(Path.Combine(folder, "api.d.ts"));
        Assert.DoesNotContain("number | string", api, StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(spec));
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
                Assert.True(operation.Value.TryGetProperty("operationId", out _), $"{operation.Name} {path.Name} has no operationId");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string folder, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout + await stderr);
    }
}
