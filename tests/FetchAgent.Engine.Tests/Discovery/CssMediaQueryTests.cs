using FetchAgent.Engine.Discovery.Css;


namespace FetchAgent.Engine.Tests.Discovery;

public sealed class CssMediaQueryTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("all", true)]
    [InlineData("SCREEN", true)]
    [InlineData("print", false)]
    [InlineData("tv", false)]
    [InlineData("not print", true)]
    [InlineData("not screen", false)]
    [InlineData("screen and (min-width: 0)", true)]
    [InlineData("only screen and (max-width: 1400px)", true)]
    [InlineData("(max-width: 600px)", false)]
    [InlineData("(min-width: 80em)", true)] // 1280px
    [InlineData("(min-height: 800px)", false)]
    [InlineData("print, (min-width: 1000px)", true)]
    [InlineData("(orientation: portrait)", false)]
    [InlineData("(min-resolution: 2dppx)", false)]
    [InlineData("(-webkit-min-device-pixel-ratio: 2)", false)]
    [InlineData("(400px <= width <= 1400px)", true)]
    [InlineData("(width < 1000px)", false)]
    [InlineData("(min-aspect-ratio: 16/9)", true)]
    [InlineData("screen and (prefers-color-scheme: dark)", false)]
    [InlineData("not all and (monochrome)", true)]
    [InlineData("(hover: hover) and (pointer: fine)", true)]
    [InlineData("(some-future-feature: 3)", true)]
    public void Matches_a_1366x768_desktop_screen(string? media, bool expected)
    {
        Assert.Equal(expected, CssMediaQuery.MatchesScreen(media));
    }
}
