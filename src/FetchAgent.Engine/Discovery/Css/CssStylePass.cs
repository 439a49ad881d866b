using AngleSharp.Dom;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Discovery.Css;

/// <summary>A reference the style pass decided to fetch, and the sheet whose rule named it.</summary>
internal sealed record StyledReference(DiscoveredResource Resource, CssSheetOutline Sheet);

/// <summary>
/// What a browser fetches for a document's styles once its stylesheets are in: the <c>url()</c>s of rules whose
/// selector matches an element that gets a style (not inside a <c>display: none</c> subtree; a pseudo-element's
/// rule counts for its element), and the <c>@font-face</c> faces the text of the document needs (a cascade of the
/// font properties over the tree, then <see cref="CssFontFaceMatching"/> per run of text).
/// </summary>
internal static class CssStylePass
{
    /// <summary>The UA stylesheet, the parts of HTML §15 that decide fonts and what is not rendered.</summary>
    private const string UserAgentSheet = """
        head, script, style, template, title, meta, link, base, noscript, area, datalist, param, source, track, [hidden] { display: none }
        b, strong { font-weight: bolder }
        h1, h2, h3, h4, h5, h6, th { font-weight: bold }
        i, em, cite, var, dfn, address { font-style: italic }
        code, pre, kbd, samp, tt, listing, plaintext, xmp { font-family: monospace }
        input, textarea, select, button { font: 13.333px system-ui }
        """;

    private static readonly Uri UserAgentBase = new("about:blank");

    /// <summary>
    /// The sheets that apply to <paramref name="page"/>, in cascade order (tree order of <c>&lt;link&gt;</c> and
    /// <c>&lt;style&gt;</c>, each sheet's imports before its own rules), read from <paramref name="fetched"/> for the
    /// linked and imported ones (a sheet that did not arrive has no rules).
    /// </summary>
    public static List<CssSheetOutline> Sheets(StyledDocument page, Func<Uri, CssSheetOutline?> fetched)
    {
        var sheets = new List<CssSheetOutline>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        void Expand(CssSheetOutline sheet)
        {
            foreach (var import in sheet.Imports)
            {
                if (import.AppliesToScreen && visited.Add(import.Url.AbsoluteUri) && fetched(import.Url) is { } imported)
                    Expand(imported);
            }

            sheets.Add(sheet);
        }

        foreach (var element in page.Document.All)
        {
            if (element.NamespaceUri != NamespaceNames.HtmlUri)
                continue;
            if (element.LocalName == "link" && IsStylesheet(element) && ReferenceUrl.Resolve(element.GetAttribute("href"), page.BaseUrl) is { } href &&
                visited.Add(href.AbsoluteUri) && fetched(href) is { } linked)
            {
                Expand(linked);
            }
            else if (element.LocalName == "style" && IsCss(element.GetAttribute("type")) && CssMediaQuery.MatchesScreen(element.GetAttribute("media")))
            {
                Expand(CssOutlineReader.Read(element.TextContent, page.BaseUrl));
            }
        }

        return sheets;
    }

    /// <summary>HTML §4.6.7.20: a link to a sheet that is not an alternate, not disabled, of type text/css, for the screen.</summary>
    private static bool IsStylesheet(IElement link)
    {
        var rel = (link.GetAttribute("rel") ?? "").ToLowerInvariant().Split([' ', '\t', '\n', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries);
        return rel.Contains("stylesheet") && !rel.Contains("alternate") && !link.HasAttribute("disabled") && IsCss(link.GetAttribute("type")) &&
               CssMediaQuery.MatchesScreen(link.GetAttribute("media"));
    }

    private static bool IsCss(string? type) =>
        string.IsNullOrWhiteSpace(type) || type.Split(';')[0].Trim().Equals("text/css", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs the pass over the sheets; the references in the order a browser meets them: images by rule, then fonts by face.</summary>
    public static List<StyledReference> Run(StyledDocument page, IReadOnlyList<CssSheetOutline> sheets)
    {
        // What the pass can find is a URL of a sheet's rule or a face's source: with neither, the cascade decides nothing.
        if (sheets.All(s => s.FontFaces.Count == 0 && s.Rules.All(r => r.References.Count == 0)))
            return [];
        var ua = CssOutlineReader.Read(UserAgentSheet, UserAgentBase);
        var all = new List<CssSheetOutline>(sheets.Count + 1) { ua };
        all.AddRange(sheets);
        var index = new CssElementIndex(page.Document.All.ToList());

        // Rules that set a property the font cascade reads, matched against every element once.
        var matched = new Dictionary<IElement, List<(bool Important, AngleSharp.Css.Priority Specificity, int Order, CssPseudoElement Pseudo, CssStyleRule Rule)>>();
        var order = 0;
        foreach (var sheet in all)
        {
            foreach (var rule in sheet.Rules)
            {
                order++;
                if (rule.Declarations.Count == 0)
                    continue; // the outline kept only the declarations the font cascade reads: none here
                foreach (var selector in CssSelectorMatch.List(rule.Selector))
                {
                    if (selector.Pseudo == CssPseudoElement.FirstLineOrLetter)
                        continue;
                    foreach (var element in index.Candidates(selector))
                    {
                        if (!selector.Matches(element))
                            continue;
                        if (!matched.TryGetValue(element, out var list))
                            matched[element] = list = [];
                        list.Add((false, selector.Specificity, order, selector.Pseudo, rule));
                    }
                }
            }
        }

        // The cascade down the tree: which elements get a style, and the text each run of font properties draws.
        var styled = new HashSet<IElement>();
        var runs = new Dictionary<CssComputedFont, HashSet<int>>(ReferenceEqualityComparer.Instance);
        var runFonts = new List<CssComputedFont>();
        if (page.Document.DocumentElement is { } root)
            Walk(root, CssComputedFont.Initial, matched, styled, runs, runFonts);

        var found = new List<StyledReference>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sheet in sheets)
        {
            foreach (var rule in sheet.Rules)
            {
                if (rule.References.Count == 0)
                    continue;
                var selectors = CssSelectorMatch.List(rule.Selector);
                if (!selectors.Any(s => index.Candidates(s).Any(e => styled.Contains(e) && s.Matches(e))))
                    continue;
                foreach (var reference in rule.References)
                {
                    if (seen.Add(reference.Url.AbsoluteUri))
                        found.Add(new StyledReference(reference, sheet));
                }
            }
        }

        var faces = sheets.SelectMany(s => s.FontFaces.Select(f => (Face: f, Sheet: s))).ToList();
        var byFamily = faces.Select(f => f.Face).ToLookup(f => f.Family.ToLowerInvariant(), StringComparer.Ordinal);
        var used = new HashSet<CssFontFace>(ReferenceEqualityComparer.Instance);
        foreach (var font in runFonts)
            CssFontFaceMatching.FacesFor(font, runs[font], byFamily, used);
        foreach (var (face, sheet) in faces)
        {
            if (used.Contains(face) && face.Source is { } source && seen.Add(source.Url.AbsoluteUri))
                found.Add(new StyledReference(source with { Kind = ResourceKind.Font }, sheet));
        }

        return found;
    }

    private static void Walk(
        IElement element, CssComputedFont parent,
        Dictionary<IElement, List<(bool Important, AngleSharp.Css.Priority Specificity, int Order, CssPseudoElement Pseudo, CssStyleRule Rule)>> matched,
        HashSet<IElement> styled, Dictionary<CssComputedFont, HashSet<int>> runs, List<CssComputedFont> runFonts)
    {
        matched.TryGetValue(element, out var entries);
        var own = Declarations(entries, CssPseudoElement.None, element.GetAttribute("style"));
        var font = CssComputedFont.Apply(parent, own, out var displayNone, out _);
        styled.Add(element); // the root of a display:none subtree still gets a style (and its images), its children do not
        if (displayNone)
            return;

        var text = new List<string>();
        foreach (var child in element.ChildNodes)
        {
            if (child is IText t)
                text.Add(t.Data);
        }

        if (element.LocalName == "input" && !string.Equals(element.GetAttribute("type"), "hidden", StringComparison.OrdinalIgnoreCase))
        {
            text.Add(element.GetAttribute("value") ?? "");
            text.Add(element.GetAttribute("placeholder") ?? "");
        }

        AddRun(font, text, runs, runFonts);
        foreach (var pseudo in new[] { CssPseudoElement.Before, CssPseudoElement.After })
        {
            if (entries is null || !entries.Any(e => e.Pseudo == pseudo))
                continue;
            var box = CssComputedFont.Apply(font, Declarations(entries, pseudo, null), out var pseudoNone, out var content);
            if (!pseudoNone && content is not null)
                AddRun(box, ContentStrings(content), runs, runFonts);
        }

        foreach (var child in element.Children)
            Walk(child, font, matched, styled, runs, runFonts);
    }

    /// <summary>Cascade 5 §6: normal declarations by specificity then order, the style attribute after them, then !important ones.</summary>
    private static List<CssDeclaration> Declarations(
        List<(bool Important, AngleSharp.Css.Priority Specificity, int Order, CssPseudoElement Pseudo, CssStyleRule Rule)>? entries, CssPseudoElement pseudo, string? styleAttribute)
    {
        if (entries is null && string.IsNullOrEmpty(styleAttribute))
            return []; // most elements: no rule of the font cascade matched, and no style attribute
        var ordered = (entries ?? [])
            .Where(e => e.Pseudo == pseudo)
            .OrderBy(e => e.Specificity)
            .ThenBy(e => e.Order)
            .SelectMany(e => e.Rule.Declarations)
            .ToList();
        if (!string.IsNullOrEmpty(styleAttribute))
            ordered.AddRange(CssOutlineReader.ReadDeclarations(styleAttribute));
        return [.. ordered.Where(d => !d.Important), .. ordered.Where(d => d.Important)];
    }

    /// <summary>The strings of a <c>content</c> value (CSS Generated Content 3 §2); <c>none</c> and <c>normal</c> give none.</summary>
    private static List<string> ContentStrings(string content) =>
        CssTokenizer.Tokenize(content, out _).Where(t => t.Type == CssTokenType.String).Select(t => t.Value).ToList();

    private static void AddRun(CssComputedFont font, List<string> texts, Dictionary<CssComputedFont, HashSet<int>> runs, List<CssComputedFont> runFonts)
    {
        HashSet<int>? points = null;
        foreach (var text in texts)
        {
            for (var i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    c = char.ConvertToUtf32(text[i], text[i + 1]);
                    i++;
                }
                else if (char.IsWhiteSpace(text[i]))
                {
                    continue; // collapsible white space draws nothing on its own
                }

                if (points is null && !runs.TryGetValue(font, out points))
                {
                    runs[font] = points = [];
                    runFonts.Add(font);
                }

                points.Add(c);
            }
        }
    }
}
