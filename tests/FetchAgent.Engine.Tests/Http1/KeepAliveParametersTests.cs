using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Tests.Http1;

public sealed class KeepAliveParametersTests
{
    [Theory]
    [InlineData("timeout=5, max=100", 5, 100)]
    [InlineData("TIMEOUT = 5 ,MAX=100", 5, 100)]
    [InlineData("max=7", null, 7)]
    [InlineData("timeout=\"15\", max=\"3\"", 15, 3)]
    [InlineData("foo=\"a,b\", timeout=2, bar", 2, null)]
    [InlineData("timeout=abc, max=-1", null, null)]
    [InlineData("timeout=99999999999, max=10", null, 10)]
    [InlineData(",, timeout=1,,", 1, null)]
    [InlineData("timeout=4, timeout=9", 4, null)]
    [InlineData("", null, null)]
    public void Parses(string value, int? timeout, int? max)
    {
        var parameters = KeepAliveParameters.From(HeadFactory.Create(0, ("Keep-Alive", value)));

        Assert.Equal(new KeepAliveParameters(timeout, max), parameters);
    }

    [Fact]
    public void AbsentHeaderGivesNulls()
    {
        Assert.Equal(new KeepAliveParameters(null, null), KeepAliveParameters.From(HeadFactory.Create(1)));
    }

    [Fact]
    public void ParametersMaySpreadOverTwoFields()
    {
        var head = HeadFactory.Create(0, ("keep-alive", "timeout=5"), ("Keep-Alive", "max=50"));

        Assert.Equal(new KeepAliveParameters(5, 50), KeepAliveParameters.From(head));
    }
}
