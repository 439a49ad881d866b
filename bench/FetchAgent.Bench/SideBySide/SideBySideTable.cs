using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace FetchAgent.Bench.SideBySide;

/// <summary>The plain-text report of <c>side-by-side</c>: the set-up, then the generated page's table, then the corpus's. Invariant numbers only.</summary>
public static class SideBySideTable
{
    public static void Print(TextWriter output, SideBySideReport report)
    {
        var o = report.Options;
        Line(output, $"FetchAgent bench: side-by-side");
        Line(output, $"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC; load average {report.LoadAverage.Start} at the start, {report.LoadAverage.End} at the end");
        Line(output, $"budget: {o.Connections} connections per host; nginx (1 worker per host) holds every response {o.DelayMs} ms (echo_sleep)");
        foreach (var (name, description) in report.Clients)
            Line(output, $"  {name,-10} {description}");
        Line(output, $"  (curl's start-up alone, a process fetching file:///dev/null: median {report.CurlStartUpMs:F1} ms, inside each curl time)");
        output.WriteLine();

        var g = report.Generated;
        var requests = g.FetchAgent.Loads[0].Requests;
        Line(output, $"generated page: 1 document + {requests - 1} sub-resources on 2 hosts (127.0.0.1, 127.0.0.2), {report.GeneratedBytes / 1024.0:F0} KiB of bodies, seed {o.Seed}; {SideBySideOptions.WarmUpLoads} warm-up + {o.Runs} measured loads per client, round-robin, first client rotated every round");
        Line(output, $"{"client",-11} {"ms",8} {"ms",8} {"ratio to",10} {"requests",9} {"conns",6}");
        Line(output, $"{"",-11} {"median",8} {"p95",8} {"FetchAgent",10} {"per load",9} {"/load",6}");
        foreach (var client in g.Clients)
            Line(output, $"{client.Client,-11} {client.MedianMs,8:F1} {client.P95Ms,8:F1} {g.Ratio(client),9:F2}x {client.Requests,9} {(double)client.NginxConnections / g.Loads,6:F1}");
        Line(output, $"(conns/load: distinct connections nginx saw from the client's User-Agent over its {g.Loads} loads, divided by {g.Loads}; Chromium's requests exclude its own /favicon.ico)");
        if (g.OnlyChromium.Count + g.OnlyFetchAgent.Count + g.RepeatedByChromium.Count > 0)
            Line(output, $"requested by one of FetchAgent and Chromium only, or twice by Chromium: {string.Join(' ', g.OnlyFetchAgent.Select(u => "FetchAgent " + u.AbsolutePath).Concat(g.OnlyChromium.Select(u => "Chromium " + u.AbsolutePath)).Concat(g.RepeatedByChromium.Select(u => "twice " + u.AbsolutePath)))}");
        if (report.Corpus.Count == 0)
            return;

        output.WriteLine();
        var names = g.Clients.Select(c => c.Client).ToList();
        Line(output, $"corpus: {report.Corpus.Count} pages of Debian documentation packages (tests/FetchAgent.TestServers/Corpus) on one nginx; {SideBySideOptions.WarmUpLoads} warm-up + {o.CorpusRuns} measured loads per client per page");
        Line(output, $"median ms per load (ratio to FetchAgent); requests per load: FetchAgent = curl = HttpClient (handed FetchAgent's list), Chromium (-FetchAgent's that a Chromium load left out, +Chromium's that FetchAgent never requested)");
        var header = $"{"page",-38} {names[0],10}";
        foreach (var name in names.Skip(1))
            header += $" {name,16}";
        Line(output, $"{header} {"requests",9} {"Chromium",18}");
        foreach (var page in report.Corpus)
        {
            var row = string.Create(CultureInfo.InvariantCulture, $"{page.Page,-38} {page.FetchAgent.MedianMs,10:F1}");
            foreach (var client in page.Clients.Skip(1))
                row += string.Create(CultureInfo.InvariantCulture, $" {client.MedianMs,8:F1} ({page.Ratio(client),5:F2})");
            var chromium = page.Clients[^1];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row} {SameRequests(page),9} {$"{chromium.Requests} (-{page.OnlyFetchAgent.Count} +{page.OnlyChromium.Count})",18}"));
        }

        var total = $"{"all pages: sum of medians",-38} {report.Corpus.Sum(p => p.FetchAgent.MedianMs),10:F1}";
        for (var i = 1; i < names.Count; i++)
        {
            var sum = report.Corpus.Sum(p => p.Clients[i].MedianMs);
            total += string.Create(CultureInfo.InvariantCulture, $" {sum,8:F1} ({sum / report.Corpus.Sum(p => p.FetchAgent.MedianMs),5:F2})");
        }

        Line(output, $"{total}");
        var ratios = $"{"median of the per-page ratios",-38} {1.0,10:F2}";
        for (var i = 1; i < names.Count; i++)
            ratios += string.Create(CultureInfo.InvariantCulture, $" {"",8} ({ResultTable.Median(report.Corpus.Select(p => p.Ratio(p.Clients[i]))),5:F2})");
        Line(output, $"{ratios}");
        var loads = report.Corpus.Sum(p => p.Loads);
        Line(output, $"connections per load over the corpus (nginx, by User-Agent): {string.Join(", ", names.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{n} {(double)report.Corpus.Sum(p => p.Clients[i].NginxConnections) / loads:F1}")))}");
        var onlyFetchAgent = report.Corpus.SelectMany(p => p.OnlyFetchAgent).ToList();
        var onlyChromium = report.Corpus.SelectMany(p => p.OnlyChromium).ToList();
        Line(output, $"requested by FetchAgent only: {onlyFetchAgent.Count} ({Kinds(onlyFetchAgent)}); by Chromium only: {onlyChromium.Count} ({Kinds(onlyChromium)})");
        foreach (var page in report.Corpus)
        {
            foreach (var url in page.OnlyFetchAgent)
                Line(output, $"  {page.Page}: only FetchAgent {url.PathAndQuery}");
            foreach (var url in page.OnlyChromium)
                Line(output, $"  {page.Page}: only Chromium {url.PathAndQuery}");
            foreach (var url in page.RepeatedByChromium)
                Line(output, $"  {page.Page}: Chromium requested twice in one load {url.PathAndQuery}");
        }
    }

    /// <summary>FetchAgent's, curl's and HttpClient's requests per load: one number when they agree, else each.</summary>
    private static string SameRequests(PageResult page)
    {
        var handed = page.Clients.Take(3).Select(c => c.Requests).Distinct().ToList();
        return handed.Count == 1 ? handed[0] : string.Join('/', page.Clients.Take(3).Select(c => c.Requests));
    }

    /// <summary>URLs counted by file extension, most first: what kind of request the clients disagree on.</summary>
    private static string Kinds(IEnumerable<Uri> urls) =>
        string.Join(", ", urls.GroupBy(u => Path.GetExtension(u.AbsolutePath) is { Length: > 0 } e ? e : u.AbsolutePath)
            .OrderByDescending(k => k.Count()).ThenBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Count()} {k.Key}")));

    private static void Line(TextWriter output, FormattableString text) => output.WriteLine(text.ToString(CultureInfo.InvariantCulture));
}
