using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FetchAgent.TestServers;
using FetchAgent.TestServers.Capture;
using FetchAgent.Tests.Api;
using Xunit.Abstractions;

namespace FetchAgent.Tests.Capture;

/// <summary>
/// Proof by capture (issue 7, item 6): tcpdump watches loopback while FetchAgent loads a 20-object page from nginx
/// (30 ms think time per response) over http and https, in a cold CLI process and in a warm daemon; every phase of
/// every object is held against the packets that mark it. These run on their own after the rest of the suite
/// (./test.sh), so that no other test's CPU use is read as FetchAgent's.
/// </summary>
/// <remarks>
/// A phase is a clock reading around a kernel event, so a busy machine (another process on the 2 cores, the
/// hypervisor) can delay a reading past the tolerance now and then: `bench accuracy` shows maxima of 4-11 ms in every
/// case, warm and cold, on phases that differ from load to load. An error of ours does not move about: FetchAgent's own
/// work inside a phase, or a stamp taken at the wrong point, is in the same phase of the same object in every load.
/// So the page is loaded up to <see cref="Attempts"/> times and the test passes when every phase (each object's send,
/// wait and receive, each connection's connect and ssl) has been within the tolerance of its packets in at least one
/// load, and the median error of each kind of phase over all loads is under <see cref="MedianToleranceMs"/> (a bias
/// shared by every object). A load that matches throughout passes at once. The structural checks (every object and
/// connection compared, none skipped) hold on every load.
/// </remarks>
[Trait("Category", "Capture")]
[Collection(nameof(CaptureTests))]
public sealed class CaptureTests(ITestOutputHelper output)
{
    /// <summary>Per phase, against the packets: the tolerance.</summary>
    private const double ToleranceMs = 2.0;

    /// <summary>Per kind of phase, the median over every load: a bias that touches every object.</summary>
    private const double MedianToleranceMs = 1.0;

    private const int Attempts = 5;

    private static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cold_command_line_load_matches_the_capture(bool https)
    {
        await using var nginx = await NginxOrigin.StartAsync(CapturePage.Files(), https: https, delay: ThinkTime);

        await MatchesAsync(nginx, () => ColdLoadAsync(nginx.Url("/index.html"), https), https);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_warm_daemon_load_matches_the_capture(bool https)
    {
        await using var nginx = await NginxOrigin.StartAsync(CapturePage.Files(), https: https, delay: ThinkTime);
        await using var daemon = await Api.Daemon.StartAsync();
        await DaemonLoadAsync(daemon, nginx.Url("/index.html"), https); // warm

        await MatchesAsync(nginx, () => DaemonLoadAsync(daemon, nginx.Url("/index.html"), https), https);
    }

    private async Task MatchesAsync(NginxOrigin nginx, Func<Task<JsonElement>> load, bool https)
    {
        var loads = new List<IReadOnlyList<PhaseError>>();
        CaptureVerdict verdict = null!;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await using var capture = await PacketCapture.StartAsync([nginx.Port]);
            var document = await load();
            var segments = await capture.StopWhenAsync(s => CapturePage.AllClosed(s, nginx.Port), TimeSpan.FromSeconds(15));
            loads.Add(Check(document, segments, nginx.Port, https));
            verdict = CaptureVerdict.Of(loads, ToleranceMs, MedianToleranceMs);
            output.WriteLine($"load {attempt}: {loads[^1].Count(verdict.Outside)} phases outside {ToleranceMs} ms; " +
                             $"{verdict.NeverInside.Count} never inside in any load so far");
            if (verdict.Holds)
                return;
        }

        Assert.Fail(verdict.Describe());
    }

    /// <summary>The structural checks assert; every phase compared is returned.</summary>
    private IReadOnlyList<PhaseError> Check(JsonElement document, IReadOnlyList<TcpSegment> segments, int serverPort, bool https)
    {
        Assert.Equal("completed", document.GetProperty("status").GetString());
        Assert.Equal(CapturePage.ObjectCount, document.GetProperty("objects").GetArrayLength());
        var connections = document.GetProperty("connections").GetArrayLength();

        var errors = PhaseAudit.Compare(document, segments, new HashSet<int> { serverPort });
        foreach (var error in errors.OrderByDescending(e => e.ErrorMs).Take(8))
            output.WriteLine(error.ToString());

        // Every object's wait and receive, and every connection's connect (and ssl), were compared: none skipped.
        Assert.Equal(CapturePage.ObjectCount, errors.Count(e => e.Phase == "wait"));
        Assert.Equal(CapturePage.ObjectCount, errors.Count(e => e.Phase == "receive"));
        Assert.Equal(connections, errors.Count(e => e.Phase == "connect"));
        Assert.Equal(https ? connections : 0, errors.Count(e => e.Phase == "ssl"));
        // The pairing found the server's think time between each request and its response: the right packets (a wrong
        // pairing is off by a whole think time, or finds none). nginx arms echo_sleep's timer on its event loop's cached
        // clock (ngx_current_msec, read when epoll_wait returns), so when nginx is kept off the CPU between waking and
        // reading a request that arrived meanwhile, it answers that much sooner than 30 ms after the request's last
        // packet: 28.26 ms once, on a TLS connection whose request came 2.4 ms after the handshake (FetchAgent's wait
        // was 28.53 ms). Hence a few ms of slack, still far from a mis-pairing.
        Assert.All(errors.Where(e => e.Phase == "wait"), e => Assert.True(e.WireMs >= ThinkTime.TotalMilliseconds - 5, e.ToString()));
        // Each phase within the tolerance of its packets, and each boundary at its packet (the document's axis placed
        // on the kernel's clock by its wall-clock start): judged over the loads by CaptureVerdict.
        return errors;
    }

    private static async Task<JsonElement> ColdLoadAsync(Uri url, bool https)
    {
        // The binary README's first command builds and runs: a fresh process, nothing warmed but what it warms itself.
        var dll = Path.Combine(Tools.RepositoryRoot(), "src", "FetchAgent", "bin", "Release", "net10.0", "FetchAgent.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        List<string> args = [dll, "load", url.AbsoluteUri, "--json", "--strategy", "persistent"];
        if (https)
            args.Add("--insecure");
        var start = new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(process.ExitCode == 0, await stderr);
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }

    private static async Task<JsonElement> DaemonLoadAsync(Api.Daemon daemon, Uri url, bool https)
    {
        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = url.AbsoluteUri, strategy = "persistent", insecure = https });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await daemon.JsonAsync(response);
    }
}
