using FetchAgent.Engine.Model;
using FetchAgent.Engine.Timeline;
using static FetchAgent.TestServers.Samples.SampleDocuments;

namespace FetchAgent.Engine.Tests.Timeline;

public sealed class PageMetricsCalculatorTests
{
    private const double Tolerance = 1e-6;

    [Fact]
    public void Document_then_image_gives_the_hand_computed_speed_index()
    {
        // Document 0–100 ms receiving 1000 bytes over 50–100; image receiving 1000 bytes over 200–400.
        // Start render = 100 (document end, nothing blocking); visually complete = 400; total 2000 bytes.
        //   0–100:   nothing shown              → ∫ = 100 · 1            = 100
        // 100–200:   document's half shown, 50 % → ∫ = 100 · 0.5          =  50
        // 200–400:   50 % → 100 % linearly       → ∫ = 200 · (0.5 + 0)/2  =  50
        // Speed Index = 200.
        var document = Document(
            Received(1, ResourceKind.Document, 0, 100, 50, 1000),
            Received(2, ResourceKind.Image, 120, 400, 200, 1000));

        PageMetricsCalculator.Compute(document);
        var m = document.Metrics;

        Assert.Equal(50, m.TtfbMs, Tolerance);
        Assert.Equal(100, m.StartRenderMs, Tolerance);
        Assert.Equal(100, m.DomContentLoadedMs, Tolerance);
        Assert.Equal(400, m.VisuallyCompleteMs, Tolerance);
        Assert.Equal(200, m.SpeedIndexMs, Tolerance);
        Assert.Equal(200, m.PerceivedMs, Tolerance);
        Assert.Equal(400, m.OnLoadMs, Tolerance);
        Assert.Equal(400, m.ActualMs, Tolerance);
        Assert.Equal(
            [new(0, 0), new(100, 0), new(100, 50), new(200, 50), new(400, 100)],
            document.VisualProgress);
    }

    [Fact]
    public void Render_blocking_stylesheet_delays_start_render_and_speed_index()
    {
        // Document 0–100 (receive 50, 1000 B); blocking stylesheet 110–300 receiving 200–300 (1000 B);
        // image 120–250 receiving 150–250 (2000 B). Total 4000 B, start render 300, all bytes are in by then:
        // displayed jumps 0 → 100 % at 300, so Speed Index = visually complete = 300.
        var document = Document(
            Received(1, ResourceKind.Document, 0, 100, 50, 1000),
            Received(2, ResourceKind.Stylesheet, 110, 300, 100, 1000, renderBlocking: true),
            Received(3, ResourceKind.Image, 120, 250, 100, 2000));

        PageMetricsCalculator.Compute(document);
        var m = document.Metrics;

        Assert.Equal(300, m.StartRenderMs, Tolerance);
        Assert.Equal(100, m.DomContentLoadedMs, Tolerance);
        Assert.Equal(300, m.VisuallyCompleteMs, Tolerance);
        Assert.Equal(300, m.SpeedIndexMs, Tolerance);
        Assert.Equal([new(0, 0), new(300, 0), new(300, 100)], document.VisualProgress);
    }

    [Fact]
    public void Parser_blocking_body_script_delays_dom_content_loaded_but_not_start_render()
    {
        // Document 0–100 (receive 100 → bytes over 0–100, 1000 B); a body script (parser-blocking,
        // not render-blocking) ends at 500; an image receives 1000 B over 100–300.
        // Start render 100, displayed 50 % there, then linear to 100 % at 300:
        // Speed Index = 100 + 200 · 0.25 = 150.
        var document = Document(
            Received(1, ResourceKind.Document, 0, 100, 100, 1000),
            Received(2, ResourceKind.Script, 100, 500, 50, 5000, parserBlocking: true),
            Received(3, ResourceKind.Image, 100, 300, 200, 1000));

        PageMetricsCalculator.Compute(document);
        var m = document.Metrics;

        Assert.Equal(0, m.TtfbMs, Tolerance);
        Assert.Equal(500, m.DomContentLoadedMs, Tolerance);
        Assert.Equal(100, m.StartRenderMs, Tolerance);
        Assert.Equal(300, m.VisuallyCompleteMs, Tolerance);
        Assert.Equal(150, m.SpeedIndexMs, Tolerance);
        Assert.Equal(500, m.ActualMs, Tolerance);
    }

    [Fact]
    public void Failed_and_non_2xx_images_count_for_nothing_visible()
    {
        // Only the document's 1000 B over 50–100 are visible: start render 100 sees them all, Speed Index 100.
        // The failed image (error) and the 404 image end later but do not hold visual completeness back.
        var document = Document(
            Received(1, ResourceKind.Document, 0, 100, 50, 1000),
            Received(2, ResourceKind.Image, 100, 900, 400, 10, error: "truncated: 10 of 100 bytes"),
            Received(3, ResourceKind.Image, 100, 700, 100, 500, status: 404));

        PageMetricsCalculator.Compute(document);
        var m = document.Metrics;

        Assert.Equal(100, m.VisuallyCompleteMs, Tolerance);
        Assert.Equal(100, m.SpeedIndexMs, Tolerance);
        Assert.Equal(900, m.ActualMs, Tolerance);
        Assert.Equal([new(0, 0), new(100, 0), new(100, 100)], document.VisualProgress);
    }

    [Fact]
    public void No_visible_bytes_jumps_to_complete_at_start_render()
    {
        // An empty document and a script: nothing to count, so displayed jumps to 100 % at start render (80).
        var document = Document(
            Received(1, ResourceKind.Document, 0, 80, 0, 0),
            Received(2, ResourceKind.Script, 80, 200, 50, 3000));

        PageMetricsCalculator.Compute(document);
        var m = document.Metrics;

        Assert.Equal(80, m.StartRenderMs, Tolerance);
        Assert.Equal(80, m.VisuallyCompleteMs, Tolerance);
        Assert.Equal(80, m.SpeedIndexMs, Tolerance);
        Assert.Equal([new(0, 0), new(80, 0), new(80, 100)], document.VisualProgress);
    }

    [Fact]
    public void Redirect_chain_takes_ttfb_from_the_final_document()
    {
        // 301 hop 0–40 (not visible: 3xx), then the 200 document 40–150 with first byte at 120.
        var hop = Received(1, ResourceKind.Document, 0, 40, 5, 200, status: 301);
        var final = Received(2, ResourceKind.Document, 40, 150, 30, 1000);
        var document = Document(hop, final);

        PageMetricsCalculator.Compute(document);
        var m = document.Metrics;

        Assert.Equal(120, m.TtfbMs, Tolerance);
        Assert.Equal(150, m.StartRenderMs, Tolerance);
        Assert.Equal(150, m.DomContentLoadedMs, Tolerance);
        Assert.Equal(150, m.SpeedIndexMs, Tolerance);
        Assert.Equal(2, m.ObjectCount);
    }

    [Fact]
    public void Step_arrival_with_zero_receive_lands_at_its_end()
    {
        // Document 0–100 with 1000 B over 50–100; an image of 3000 B with a zero receive phase at 300.
        // Start render 100 shows 25 %; 25 % until 300, then 100 %: Speed Index = 100 + 200 · 0.75 = 250.
        var document = Document(
            Received(1, ResourceKind.Document, 0, 100, 50, 1000),
            Received(2, ResourceKind.Image, 100, 300, 0, 3000));

        PageMetricsCalculator.Compute(document);

        Assert.Equal(250, document.Metrics.SpeedIndexMs, Tolerance);
        Assert.Equal(300, document.Metrics.VisuallyCompleteMs, Tolerance);
        Assert.Equal(
            [new(0, 0), new(100, 0), new(100, 25), new(300, 25), new(300, 100)],
            document.VisualProgress);
    }

    [Fact]
    public void Without_a_usable_document_only_actual_and_counts_are_set()
    {
        var failed = Received(1, ResourceKind.Document, 0, 300, 0, 0, status: null, error: "connect: connection refused");
        var document = Document(failed);
        document.Connections.Add(new ConnectionRecord { Id = 1, Scheme = "http", Host = "example.test" });

        PageMetricsCalculator.Compute(document);
        var m = document.Metrics;

        Assert.Equal(300, m.ActualMs, Tolerance);
        Assert.Equal(300, m.OnLoadMs, Tolerance);
        Assert.Equal(0, m.TtfbMs);
        Assert.Equal(0, m.StartRenderMs);
        Assert.Equal(0, m.SpeedIndexMs);
        Assert.Equal(1, m.ConnectionCount);
        Assert.Empty(document.VisualProgress);
    }

    [Fact]
    public void Counts_sum_every_object()
    {
        var doc = Received(1, ResourceKind.Document, 0, 100, 50, 1000);
        var css = Received(2, ResourceKind.Stylesheet, 100, 200, 50, 500);
        css.ReusedConnection = true;
        css.Retries = 1;
        var js = Received(3, ResourceKind.Script, 100, 250, 50, 700);
        js.ReusedConnection = true;
        js.Retries = 2;
        var document = Document(doc, css, js);

        PageMetricsCalculator.Compute(document);
        var m = document.Metrics;

        Assert.Equal(3, m.ObjectCount);
        Assert.Equal(2, m.ReusedRequests);
        Assert.Equal(3, m.RetriedRequests);
        Assert.Equal(3 * 100 + 1000 + 500 + 700, m.Bytes);
    }

    [Fact]
    public void Empty_page_load_is_all_zero()
    {
        var document = Document();

        PageMetricsCalculator.Compute(document);

        Assert.Equal(0, document.Metrics.ActualMs);
        Assert.Equal(0, document.Metrics.ObjectCount);
        Assert.Empty(document.VisualProgress);
    }
}
