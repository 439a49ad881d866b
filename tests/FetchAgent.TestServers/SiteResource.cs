using System.Text;

namespace FetchAgent.TestServers;

/// <summary>One path a <see cref="StaticOrigin"/> serves.</summary>
public sealed record SiteResource(string ContentType, byte[] Body)
{
    public int Status { get; init; } = 200;
    public string Reason { get; init; } = "OK";
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    /// <summary>Time the server waits before answering (to make an order or a wait visible).</summary>
    public TimeSpan Delay { get; init; }

    public bool Chunked { get; init; }

    /// <summary>Send only this many body bytes, then wait for <see cref="Release"/> before the rest (a document still arriving).</summary>
    public int? HoldAt { get; init; }

    /// <summary>What the server waits for at <see cref="HoldAt"/> (at most 10 s; <see cref="StaticOrigin.HoldsTimedOut"/> counts the misses).</summary>
    public Task? Release { get; init; }

    /// <summary>Bytes written as the whole response instead of a well-formed one; the server then closes (hostile-server cases).</summary>
    public byte[]? Raw { get; init; }

    /// <summary>A hostile response: these bytes, then close.</summary>
    public static SiteResource Hostile(string raw) => new("text/plain", []) { Raw = Encoding.Latin1.GetBytes(raw) };

    public static SiteResource Html(string html) => new("text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));
    public static SiteResource Css(string css) => new("text/css", Encoding.UTF8.GetBytes(css));
    public static SiteResource Script(string js) => new("text/javascript", Encoding.UTF8.GetBytes(js));
    public static SiteResource Image(int bytes) => new("image/png", Enumerable.Range(0, bytes).Select(i => (byte)i).ToArray());
    public static SiteResource Redirect(int status, string location) =>
        new("text/plain", []) { Status = status, Reason = "Moved", Headers = [("Location", location)] };
}
