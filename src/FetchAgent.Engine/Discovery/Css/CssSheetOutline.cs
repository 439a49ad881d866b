namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// What a stylesheet says that decides whether a browser fetches its images and fonts: its <c>@import</c>s (in order,
/// for the cascade), its style rules that apply to the screen (selector, the declarations the font cascade reads, the
/// URLs of their values) and its <c>@font-face</c> rules (CSS Fonts 4 §4). Rules inside an <c>@media</c> that does not
/// match the screen are left out, as a browser leaves them out of the cascade.
/// </summary>
internal sealed class CssSheetOutline
{
    public List<CssImportRule> Imports { get; } = [];

    public List<CssStyleRule> Rules { get; } = [];

    public List<CssFontFace> FontFaces { get; } = [];

    public static readonly CssSheetOutline Empty = new();
}

/// <summary>An <c>@import</c>: its URL and whether its media query list matches the screen.</summary>
internal sealed record CssImportRule(Uri Url, bool AppliesToScreen);

/// <summary>A style rule: the selector list as written, its declarations (names lower-cased) and the URLs its values name.</summary>
internal sealed record CssStyleRule(string Selector, IReadOnlyList<CssDeclaration> Declarations, IReadOnlyList<DiscoveredResource> References);

/// <summary>One declaration, its value as written (without <c>!important</c>).</summary>
internal sealed record CssDeclaration(string Name, string Value, bool Important);
