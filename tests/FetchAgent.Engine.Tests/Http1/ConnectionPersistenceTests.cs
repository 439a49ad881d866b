using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Tests.Http1;

public sealed class ConnectionPersistenceTests
{
    [Fact]
    public void Http11IsPersistentByDefault() =>
        Assert.True(ConnectionPersistence.IsPersistent(HeadFactory.Create(1), BodyFraming.ContentLength));

    [Theory]
    [InlineData("close")]
    [InlineData("Close")]
    [InlineData("upgrade, CLOSE")]
    [InlineData("keep-alive,close")]
    public void Http11WithCloseIsNot(string connection) =>
        Assert.False(ConnectionPersistence.IsPersistent(HeadFactory.Create(1, ("Connection", connection)), BodyFraming.Chunked));

    [Fact]
    public void CloseInASecondConnectionFieldCounts() =>
        Assert.False(ConnectionPersistence.IsPersistent(HeadFactory.Create(1, ("Connection", "upgrade"), ("connection", "close")), BodyFraming.None));

    [Fact]
    public void CloseAsPartOfATokenDoesNotCount() =>
        Assert.True(ConnectionPersistence.IsPersistent(HeadFactory.Create(1, ("Connection", "closed, x-close-me")), BodyFraming.ContentLength));

    [Fact]
    public void Http10IsNotPersistentByDefault() =>
        Assert.False(ConnectionPersistence.IsPersistent(HeadFactory.Create(0), BodyFraming.ContentLength));

    [Theory]
    [InlineData("keep-alive")]
    [InlineData("Keep-Alive")]
    [InlineData("foo , keep-alive")]
    public void Http10WithKeepAliveIs(string connection) =>
        Assert.True(ConnectionPersistence.IsPersistent(HeadFactory.Create(0, ("Connection", connection)), BodyFraming.ContentLength));

    [Fact]
    public void Http10WithTransferEncodingIsNot() =>
        Assert.False(ConnectionPersistence.IsPersistent(
            HeadFactory.Create(0, ("Connection", "keep-alive"), ("Transfer-Encoding", "chunked")), BodyFraming.Chunked));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void CloseDelimitedIsNeverPersistent(int minor) =>
        Assert.False(ConnectionPersistence.IsPersistent(HeadFactory.Create(minor, ("Connection", "keep-alive")), BodyFraming.CloseDelimited));
}
