namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// The computed values the font cascade carries down the tree: the inherited font properties and custom
/// properties, and whether the box is rendered at all (<c>display: none</c>, which is not inherited but hides the subtree).
/// </summary>
internal sealed record CssComputedFont(IReadOnlyList<string> Families, int Weight, CssFontStyle Style, IReadOnlyDictionary<string, string> Custom)
{
    /// <summary>The initial values (Fonts 4 §2): the UA's default family (Chromium: Times New Roman, a serif), 400, normal.</summary>
    public static readonly CssComputedFont Initial = new(["serif"], 400, CssFontStyle.Normal, new Dictionary<string, string>());

    /// <summary>Applies declarations, in cascade order, to the values inherited from the parent box.</summary>
    public static CssComputedFont Apply(CssComputedFont inherited, IEnumerable<CssDeclaration> declarations, out bool displayNone, out string? content)
    {
        displayNone = false;
        content = null;
        var result = inherited;
        Dictionary<string, string>? custom = null;
        var ordered = declarations as IReadOnlyList<CssDeclaration> ?? declarations.ToList();
        foreach (var d in ordered)
        {
            if (d.Name.StartsWith("--", StringComparison.Ordinal))
            {
                custom ??= new Dictionary<string, string>(inherited.Custom);
                custom[d.Name] = d.Value;
            }
        }

        if (custom is not null)
            result = result with { Custom = custom };
        foreach (var d in ordered)
        {
            if (d.Name.StartsWith("--", StringComparison.Ordinal))
                continue;
            var value = CssCustomProperties.Substitute(d.Value, result.Custom).Trim();
            var keyword = value.ToLowerInvariant();
            if (keyword is "inherit" or "unset" or "revert" or "revert-layer")
            {
                if (d.Name == "display")
                    displayNone = false;
                continue; // the inherited value stays (every font property is inherited)
            }

            switch (d.Name)
            {
                case "display":
                    displayNone = keyword == "none";
                    break;
                case "content":
                    content = value;
                    break;
                case "font-family":
                    var families = keyword == "initial" ? Initial.Families : CssFontValues.Families(value);
                    if (families.Count > 0)
                        result = result with { Families = families };
                    break;
                case "font-weight":
                    if ((keyword == "initial" ? 400 : CssFontValues.Weight(value, inherited.Weight)) is { } weight)
                        result = result with { Weight = weight };
                    break;
                case "font-style":
                    if ((keyword == "initial" ? CssFontStyle.Normal : CssFontValues.Style(value)) is { } style)
                        result = result with { Style = style };
                    break;
                case "font":
                    if (CssFontValues.Shorthand(value) is { } font)
                    {
                        result = result with
                        {
                            Families = font.Families,
                            Style = font.Style,
                            Weight = CssFontValues.Weight(font.Weight, inherited.Weight) ?? 400,
                        };
                    }

                    break;
            }
        }

        return result;
    }

    /// <summary>The properties the cascade reads, lower-case, besides custom properties (<c>--*</c>, for <c>var()</c>).</summary>
    private static readonly string[] ReadProperties = ["display", "content", "font-family", "font-weight", "font-style", "font"];

    /// <summary>
    /// Does the cascade read the property the declaration at token <paramref name="i"/> names (its name lower-cased)?
    /// A style rule keeps only these (<see cref="CssOutlineReader"/>), and one with none is not matched for fonts.
    /// Compared on the token, without a string.
    /// </summary>
    internal static bool Reads(CssTokenList tokens, int i)
    {
        if (tokens.StartsWith(i, "--"))
            return true;
        foreach (var name in ReadProperties)
        {
            if (tokens.ValueIs(i, name))
                return true;
        }

        return false;
    }
}
