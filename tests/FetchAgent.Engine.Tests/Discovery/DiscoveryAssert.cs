using System.Text;
using FetchAgent.Engine.Discovery;

namespace FetchAgent.Engine.Tests.Discovery;

/// <summary>Renders discovered resources as one line each so a failing list comparison reads like a diff.</summary>
internal static class DiscoveryAssert
{
    public static string Line(DiscoveredResource r) =>
        $"{r.Url.AbsoluteUri} {r.Kind}{(r.RenderBlocking ? " render-blocking" : "")}{(r.ParserBlocking ? " parser-blocking" : "")}";

    public static void Equal(IEnumerable<string> expected, IReadOnlyList<DiscoveredResource> actual) =>
        Assert.Equal(string.Join('\n', expected), string.Join('\n', actual.Select(Line)));

    public static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
