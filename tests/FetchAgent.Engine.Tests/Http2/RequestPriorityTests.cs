using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>RFC 9218's priority field per kind of object, as Chromium sends it on HTTP/2.</summary>
public sealed class RequestPriorityTests
{
    [Theory]
    [InlineData(ResourceKind.Document, false, "u=0, i")]
    [InlineData(ResourceKind.Iframe, false, "u=0, i")]
    [InlineData(ResourceKind.Stylesheet, false, "u=4")]
    [InlineData(ResourceKind.Font, false, "u=0")]
    [InlineData(ResourceKind.Script, true, "u=1")]
    [InlineData(ResourceKind.Script, false, null)]
    [InlineData(ResourceKind.Image, false, "i")]
    [InlineData(ResourceKind.Media, false, "i")]
    [InlineData(ResourceKind.Other, false, "u=2")]
    public void Each_kind_gets_its_urgency_and_incremental_flag(ResourceKind kind, bool parserBlocking, string? expected)
    {
        var record = new ObjectRecord { Url = "https://example.test/x", Kind = kind, ParserBlocking = parserBlocking };
        Assert.Equal(expected, RequestPriority.For(record));
    }

    /// <summary>The field says the priority the request has (its urgency is its rank), whatever raised or lowered it.</summary>
    [Theory]
    [InlineData(ResourceKind.Stylesheet, "render-blocking", "u=0", "VeryHigh")]
    [InlineData(ResourceKind.Script, "late", "u=2", "Medium")]
    [InlineData(ResourceKind.Image, "icon", "u=1, i", "High")]
    [InlineData(ResourceKind.Stylesheet, "", "u=4", "VeryLow")]
    public void The_field_and_the_name_say_the_same_priority(ResourceKind kind, string flag, string expected, string name)
    {
        var record = new ObjectRecord
        {
            Url = "https://example.test/x", Kind = kind, RenderBlocking = flag == "render-blocking",
            ParserBlocking = flag == "late", AfterImage = flag == "late", AfterOnLoad = flag == "icon",
        };
        Assert.Equal((expected, name), (RequestPriority.For(record), RequestPriority.Name(record)));
    }

    [Fact]
    public void A_boosted_image_is_medium_urgency_2_still_incremental()
    {
        var record = new ObjectRecord { Url = "https://example.test/x.png", Kind = ResourceKind.Image, Boosted = true };
        Assert.Equal(("u=2, i", 2), (RequestPriority.For(record), RequestPriority.QueueRank(record)));
    }
}
