using FetchAgent.Engine.Model;

namespace FetchAgent.Bench;

/// <summary>
/// chromium-timing's <c>--requests</c>: one load's requests side by side, when each went out and when it ended, ms from
/// the document's request in Chromium and from the load's start in FetchAgent (whose document fetch starts it), in
/// Chromium's order, then what only FetchAgent requested.
/// </summary>
internal static class ChromiumTimingRequests
{
    public static void Print(TextWriter output, ChromiumPaint chromium, PageLoadDocument document)
    {
        output.WriteLine($"  {"Chromium sent",13} {"ended",7} {"FetchAgent sent",15} {"ended",7}  priority / kind  url");
        var fetchAgent = document.Objects.GroupBy(o => o.Url).ToDictionary(g => g.Key, g => g.First());
        foreach (var request in chromium.Requests.OrderBy(r => r.RequestMs))
        {
            fetchAgent.Remove(request.Url, out var ours);
            output.WriteLine(
                $"  {request.RequestMs,13:0} {request.EndMs,7:0} {(ours is null ? "-" : ours.StartMs.ToString("0")),15} {(ours is null ? "-" : ours.EndMs.ToString("0")),7}  " +
                $"{request.Priority} / {(ours is null ? request.ResourceType : ours.Kind.ToString())}{(ours?.AfterOnLoad == true ? " (after onLoad)" : "")}  {request.Url}");
        }

        foreach (var ours in fetchAgent.Values.OrderBy(o => o.StartMs))
            output.WriteLine($"  {"-",13} {"-",7} {ours.StartMs,15:0} {ours.EndMs,7:0}  - / {ours.Kind}{(ours.AfterOnLoad ? " (after onLoad)" : "")}  {ours.Url}");
    }
}
