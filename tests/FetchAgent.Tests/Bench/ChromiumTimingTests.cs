using FetchAgent.Bench;
using FetchAgent.TestServers.Corpus;

namespace FetchAgent.Tests.Bench;

/// <summary>
/// Issue 16: chromium-timing puts Chromium's figures on FetchAgent's clock. Lighthouse's metrics are ms from navigation
/// start, its network-requests audit's times ms from the earliest request's renderer start (debugData.networkStartTimeTs,
/// trace µs); the document's request is the offset taken out of every figure. A saved excerpt of a real Lighthouse 12
/// report (sphinx/index.html behind a 40 ms delay, its numbers rounded to exact binary fractions) is read here.
/// </summary>
public sealed class ChromiumTimingTests
{
    private const string Report = """
        {
          "lighthouseVersion": "12.8.2",
          "mainDocumentUrl": "http://127.0.0.1:34537/sphinx/index.html",
          "audits": {
            "metrics": { "details": { "type": "debugdata", "items": [ {
              "observedNavigationStart": 0, "observedNavigationStartTs": 40578989250,
              "observedFirstContentfulPaint": 464, "observedFirstVisualChange": 462,
              "observedSpeedIndex": 470, "observedLoad": 408
            } ] } },
            "network-requests": { "details": {
              "type": "table",
              "items": [
                { "url": "http://127.0.0.1:34537/sphinx/index.html", "resourceType": "Document", "priority": "VeryHigh",
                  "rendererStartTime": 0, "networkRequestTime": 10.25, "networkEndTime": 71.25 },
                { "url": "http://127.0.0.1:34537/sphinx/_static/basic.css", "resourceType": "Stylesheet", "priority": "VeryHigh",
                  "rendererStartTime": 116.5, "networkRequestTime": 130.25, "networkEndTime": 209 },
                { "url": "http://127.0.0.1:34537/sphinx/_static/sphinxheader.png", "resourceType": "Image", "priority": "Medium",
                  "rendererStartTime": 130.5, "networkRequestTime": 210.75, "networkEndTime": 265.5 },
                { "url": "http://127.0.0.1:34537/ad.html", "resourceType": "Document", "priority": "VeryHigh",
                  "rendererStartTime": 300, "networkRequestTime": 301.5, "networkEndTime": 330 },
                { "url": "http://127.0.0.1:34537/sphinx/_static/favicon.svg", "resourceType": "Image", "priority": "High",
                  "rendererStartTime": 418.5, "networkRequestTime": 421.5 },
                { "url": "http://127.0.0.1:34537/never.png", "resourceType": "Image", "priority": "Low", "rendererStartTime": 420 }
              ],
              "debugData": { "type": "debugdata", "networkStartTimeTs": 40578994250 }
            } }
          }
        }
        """;

    [Fact]
    public void The_documents_request_is_found_on_the_metrics_clock()
    {
        var paint = LighthouseReport.Parse(Report);

        // The network audit's origin is 5 ms after navigation start (40578994250 - 40578989250 µs); the page's
        // document (mainDocumentUrl; an iframe's document comes later) went out 10.25 ms after that.
        Assert.Equal(15.25, paint.DocumentRequestMs);
        Assert.Equal((464.0, 470.0, 408.0, 462.0), (paint.FirstContentfulPaintMs, paint.SpeedIndexMs, paint.LoadMs, paint.FirstVisualChangeMs));
        // A request never sent (no networkRequestTime) is left out; one not ended by the trace's end has a NaN end.
        Assert.Equal(
            [
                ("http://127.0.0.1:34537/sphinx/index.html", 15.25, 76.25, true),
                ("http://127.0.0.1:34537/sphinx/_static/basic.css", 135.25, 214.0, false),
                ("http://127.0.0.1:34537/sphinx/_static/sphinxheader.png", 215.75, 270.5, false),
                ("http://127.0.0.1:34537/ad.html", 306.5, 335.0, false),
                ("http://127.0.0.1:34537/sphinx/_static/favicon.svg", 426.5, double.NaN, false),
            ],
            paint.Requests.Select(r => (r.Url, r.RequestMs, r.EndMs, r.MainDocument)));
        Assert.Equal(["Document", "Stylesheet", "Image", "Document", "Image"], paint.Requests.Select(r => r.ResourceType));
        Assert.Equal("Medium", paint.Requests[2].Priority);
    }

    [Fact]
    public void From_the_documents_request_every_figure_loses_the_offset_speed_index_too()
    {
        var aligned = LighthouseReport.Parse(Report).FromDocumentRequest();

        // 15.25 ms less each: Speed Index integrates a blank page (incompleteness 1) from navigation start, so the
        // 15.25 ms before the document's request add exactly 15.25 to it.
        Assert.Equal((448.75, 454.75, 392.75, 446.75, 0.0), (aligned.FirstContentfulPaintMs, aligned.SpeedIndexMs, aligned.LoadMs, aligned.FirstVisualChangeMs, aligned.DocumentRequestMs));
        Assert.Equal([0, 120, 200.5, 291.25, 411.25], aligned.Requests.Select(r => r.RequestMs));
        // Where the paint's time goes: the document's last byte at 61, the first sub-resource request at 120,
        Assert.Equal(61, aligned.DocumentEndMs);
        Assert.Equal(120, aligned.FirstSubresourceMs);
        // and the last response ending before the first contentful paint (448.75): the iframe's, at 319.75; the icon's
        // never ended, so it is not one.
        Assert.Equal(319.75, aligned.LastResponseBeforePaintMs);
        // Before the load event (392.75) too.
        Assert.Equal(319.75, aligned.LastResponseBeforeLoadMs);
    }

    [Fact]
    public void A_redirected_navigation_starts_with_its_first_request()
    {
        // sphinx/ redirects to sphinx/index.html: FetchAgent's clock would start with the first fetch, so the offset does.
        const string Main = """{ "url": "http://127.0.0.1:34537/sphinx/index.html", "resourceType": "Document", """;
        const string Redirect = """{ "url": "http://127.0.0.1:34537/sphinx", "resourceType": "Document", "networkRequestTime": 2.5, "networkEndTime": 9.5 }, """;
        var redirected = Report.Replace(Main, Redirect + Main, StringComparison.Ordinal);
        Assert.NotEqual(Report, redirected);

        var paint = LighthouseReport.Parse(redirected);

        Assert.Equal(7.5, paint.DocumentRequestMs);
        Assert.Equal("http://127.0.0.1:34537/sphinx/index.html", Assert.Single(paint.Requests, r => r.MainDocument).Url);
        var aligned = paint.FromDocumentRequest();
        Assert.Equal((68.75, 127.75, 456.5), (aligned.DocumentEndMs, aligned.FirstSubresourceMs, aligned.FirstContentfulPaintMs));
    }

    [Fact]
    public void A_report_without_the_network_audit_is_a_bench_failure()
    {
        var withoutNetwork = Report[..Report.IndexOf("\"network-requests\"", StringComparison.Ordinal)].TrimEnd().TrimEnd(',') + "} }";

        var failure = Assert.Throws<BenchFailure>(() => LighthouseReport.Parse(withoutNetwork));

        Assert.Equal("lighthouse: no network-requests audit", failure.Message);
    }

    [Fact]
    public void The_table_judges_the_aligned_ratios_and_shows_the_measured_ones()
    {
        var paint = LighthouseReport.Parse(Report);
        var aligned = paint.FromDocumentRequest();
        var stages = new ChromiumTiming.Stages(61, 120, 255.25, 270);
        var row = new ChromiumTiming.Row(
            new CorpusPage("sphinx/index.html", "Debian documentation trees"), paint, aligned, paint.DocumentRequestMs,
            StartRender: 136, SpeedIndex: 136, OnLoad: 136, stages, new ChromiumTiming.Stages(43, 46, 136, 136));
        var report = new ChromiumTiming.Report(new ChromiumTiming.Options(40, 1, null), [row], "0.50 0.60 0.70");
        var output = new StringWriter();

        ChromiumTiming.Print(output, report);

        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        // 136 / 448.75 = 0.303, 136 / 464 = 0.293; 136 / 446.75, 136 / 462; 136 / 454.75, 136 / 470; 136 / 392.75, 136 / 408.
        Assert.Contains(
            "| sphinx/index.html | 15 | 449 (464) | 136 | 0.30 (0.29) | 447 (462) | 0.30 (0.29) | 455 (470) | 136 | 0.30 (0.29) | 393 (408) | 136 | 0.35 (0.33) |",
            lines);
        Assert.Contains("the document's request, ms after navigation start: 15–15, median 15", lines);
        // 448.75 - 255.25 = 193.5, printed with no decimals (to even: 194); FetchAgent 136 - 136 = 0.
        Assert.Contains(
            "Chromium, medians over the pages (ms from the document's request): document ended 61, first sub-resource requested 120 (59 after the document ended), last response before the paint 255, paint 449 (194 after that response), last response before the load event 270, load 393 (123 after that response)",
            lines);
        Assert.Contains(
            "FetchAgent, medians over the pages (ms from the document's request): document ended 43, first sub-resource requested 46 (3 after the document ended), last response before the paint 136, paint 136 (0 after that response), last response before the load event 136, load 136 (0 after that response)",
            lines);
        var judged = lines.IndexOf("from the document's request (the targets):");
        var measured = lines.IndexOf("from navigation start (as measured):");
        Assert.True(judged >= 0 && measured > judged, output.ToString());
        Assert.Equal(
            "start render / FCP: median ratio 0.30 (target 0.9–1.1) MISS; 1 of 1 pages outside 0.7–1.4: sphinx/index.html 0.30",
            lines[judged + 1]);
        Assert.Equal(
            "onLoad / load: median ratio 0.35 (target 0.9–1.1) MISS; 1 of 1 pages outside 0.7–1.4: sphinx/index.html 0.35",
            lines[judged + 4]);
        Assert.Equal(
            "start render / FCP: median ratio 0.29 (target 0.9–1.1) MISS; 1 of 1 pages outside 0.7–1.4: sphinx/index.html 0.29",
            lines[measured + 1]);
    }

    [Theory]
    [InlineData(new[] { "chromium-timing" }, 40, 1, null, null, false)]
    [InlineData(new[] { "chromium-timing", "--requests", "--delay", "0", "--only", "sphinx", "--save", "/tmp/x", "--runs", "3" }, 0, 3, "sphinx", "/tmp/x", true)]
    [InlineData(new[] { "chromium-timing", "--runs", "2", "--requests" }, 40, 2, null, null, true)]
    [InlineData(new[] { "chromium-timing", "--no-tight-mode", "--only", "node" }, 40, 1, "node", null, false, true)]
    public void Arguments_parse(string[] args, int delay, int runs, string? only, string? save, bool requests, bool noTightMode = false)
    {
        var options = ChromiumTiming.Parse(args, out var error, out var help);

        Assert.Null(error);
        Assert.False(help);
        Assert.Equal(new ChromiumTiming.Options(delay, runs, only, save, requests, noTightMode), options);
    }

    [Theory]
    [InlineData(new[] { "chromium-timing", "--save" }, "--save: a value is required")]
    [InlineData(new[] { "chromium-timing", "--runs", "10" }, "--runs: '10' is not an integer between 1 and 9")]
    [InlineData(new[] { "chromium-timing", "--requests", "yes" }, "unknown option 'yes'")]
    [InlineData(new[] { "chromium-timing", "--delay" }, "--delay: a value is required")]
    public void Bad_arguments_name_what_is_wrong(string[] args, string expected)
    {
        Assert.Null(ChromiumTiming.Parse(args, out var error, out _));
        Assert.Equal(expected, error);
    }
}
