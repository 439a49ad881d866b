using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>RFC 9218's priority field per kind of object, as Chromium sends it on HTTP/2.</summary>
public sealed class RequestPriorityTests
{
    [Theory]
    [InlineData(ResourceKind.Document, false, "u=0, i")]
    [InlineData(ResourceKind.Iframe, false, "u=0, i")]
    [InlineData(ResourceKind.Stylesheet, false, "u=0")]
    [InlineData(ResourceKind.Font, false, "u=0")]
    [InlineData(ResourceKind.Script, true, "u=1")]
    [InlineData(ResourceKind.Script, false, null)]
    [InlineData(ResourceKind.Image, false, "i")]
    [InlineData(ResourceKind.Media, false, "i")]
    [InlineData(ResourceKind.Other, false, "u=1")]
    public void Each_kind_gets_its_urgency_and_incremental_flag(ResourceKind kind, bool parserBlocking, string? expected)
    {
        var record = new ObjectRecord { Url = "https://example.test/x", Kind = kind, ParserBlocking = parserBlocking };
        Assert.Equal(expected, RequestPriority.For(record));
    }

    [Fact]
    public void A_boosted_image_is_medium_urgency_2_still_incremental()
    {
        var record = new ObjectRecord { Url = "https://example.test/x.png", Kind = ResourceKind.Image, Boosted = true };
        Assert.Equal(("u=2, i", 2), (RequestPriority.For(record), RequestPriority.QueueRank(record)));
    }
}
