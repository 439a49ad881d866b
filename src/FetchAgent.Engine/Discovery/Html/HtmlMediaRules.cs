using AngleSharp.Dom;
using FetchAgent.Engine.Discovery.Css;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Discovery.Html;

/// <summary>Embedded content (HTML §4.8): images, picture, video/audio and their sources, frames, object, embed.</summary>
internal static class HtmlMediaRules
{
    /// <summary>
    /// §4.8.4.3 "update the image data": inside <c>&lt;picture&gt;</c> the first fitting <c>&lt;source&gt;</c>
    /// before the img wins; otherwise the img's own srcset (with src as its 1x candidate) or src.
    /// </summary>
    public static void Img(IElement img, HtmlDiscoveryContext context)
    {
        if (img.ParentElement is { LocalName: "picture" } picture)
        {
            foreach (var child in picture.Children)
            {
                if (child == img)
                {
                    break; // only sources that precede the img take part (§4.8.4.3.9 step 4)
                }

                if (child.LocalName == "source" && SourceChoice(child) is { } chosen)
                {
                    context.Add(chosen, ResourceKind.Image, boostable: !SmallInMarkup(img));
                    return;
                }
            }
        }

        context.Add(SrcsetSelection.Select(img.GetAttribute("srcset"), img.GetAttribute("sizes"), img.GetAttribute("src")), ResourceKind.Image,
            boostable: !SmallInMarkup(img));
    }

    /// <summary>
    /// Chromium's "small" image (ResourceFetcher, BoostImagePriority): its width and height attributes cover at most
    /// 10,000 px², or one of them is 0. Without both (or with a value that is not a number) it is not small.
    /// </summary>
    internal static bool SmallInMarkup(IElement img)
    {
        var width = Dimension(img.GetAttribute("width"));
        var height = Dimension(img.GetAttribute("height"));
        return width is { } w && height is { } h ? w * h <= 10_000 : width == 0 || height == 0;
    }

    /// <summary>HTML §2.3.4.4 rules for parsing dimension values, as far as the integer part: leading white space, then digits.</summary>
    private static double? Dimension(string? value)
    {
        var text = (value ?? "").TrimStart(' ', '\t', '\n', '\f', '\r');
        var digits = 0;
        while (digits < text.Length && digits < 9 && char.IsAsciiDigit(text[digits]))
            digits++;
        return digits == 0 ? null : double.Parse(text.AsSpan(0, digits), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A picture's source: skipped without srcset, with a media that does not match, or an unsupported type.</summary>
    private static string? SourceChoice(IElement source)
    {
        var srcset = source.GetAttribute("srcset");
        if (string.IsNullOrEmpty(srcset))
        {
            return null;
        }

        if (source.GetAttribute("media") is { } media && !CssMediaQuery.MatchesScreen(media))
        {
            return null;
        }

        if (source.GetAttribute("type") is { } type && !SupportedImageTypes.Contains(type.Split(';')[0].Trim()))
        {
            return null;
        }

        return SrcsetSelection.Select(srcset, source.GetAttribute("sizes"));
    }

    private static readonly HashSet<string> SupportedImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/apng", "image/gif", "image/webp", "image/avif",
        "image/svg+xml", "image/bmp", "image/x-icon", "image/vnd.microsoft.icon",
    };

    /// <summary>
    /// §4.8.11.5 the media resource selection algorithm: a <c>src</c> attribute wins; else the first
    /// <c>&lt;source&gt;</c> child with a src and a plausible type. A video's poster is an image (§4.8.9).
    /// Text tracks are fetched as <c>&lt;track src&gt;</c> (§4.8.11.11.3).
    /// </summary>
    public static void VideoOrAudio(IElement media, HtmlDiscoveryContext context)
    {
        if (media.LocalName == "video")
        {
            context.Add(media.GetAttribute("poster"), ResourceKind.Image);
        }

        if (media.HasAttribute("src"))
        {
            context.Add(media.GetAttribute("src"), ResourceKind.Media);
        }
        else
        {
            foreach (var source in media.Children.Where(c => c.LocalName == "source"))
            {
                if (context.Resolve(source.GetAttribute("src")) is null || !IsPlausibleMediaType(source.GetAttribute("type")) ||
                    (source.GetAttribute("media") is { } mq && !CssMediaQuery.MatchesScreen(mq)))
                {
                    continue;
                }

                context.Add(source.GetAttribute("src"), ResourceKind.Media);
                break;
            }
        }

        foreach (var track in media.Children.Where(c => c.LocalName == "track"))
        {
            context.Add(track.GetAttribute("src"), ResourceKind.Other);
        }
    }

    /// <summary>What <c>canPlayType()</c> would not answer with "" for in a desktop browser; no type is plausible.</summary>
    private static bool IsPlausibleMediaType(string? type)
    {
        if (type is null)
        {
            return true;
        }

        var essence = type.Split(';')[0].Trim();
        return PlayableMediaTypes.Contains(essence);
    }

    private static readonly HashSet<string> PlayableMediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "video/mp4", "video/webm", "video/ogg", "audio/mp4", "audio/mpeg", "audio/mp3", "audio/ogg", "audio/webm",
        "audio/wav", "audio/wave", "audio/x-wav", "audio/flac", "audio/x-flac", "audio/aac", "audio/x-m4a",
    };

    public static void Frame(IElement frame, HtmlDiscoveryContext context) =>
        context.Add(frame.GetAttribute("src"), ResourceKind.Iframe); // about:blank and srcdoc fetch nothing

    /// <summary>§4.10.5.1.20 the image button state: <c>&lt;input type=image src&gt;</c>.</summary>
    public static void Input(IElement input, HtmlDiscoveryContext context)
    {
        if (string.Equals(input.GetAttribute("type")?.Trim(), "image", StringComparison.OrdinalIgnoreCase))
        {
            context.Add(input.GetAttribute("src"), ResourceKind.Image);
        }
    }

    public static void ObjectElement(IElement element, HtmlDiscoveryContext context) => context.AddImageOrOther(element.GetAttribute("data"));

    public static void Embed(IElement element, HtmlDiscoveryContext context) => context.AddImageOrOther(element.GetAttribute("src"));
}
