namespace FetchAgent.Engine.Discovery;

/// <summary>
/// The screen discovery assumes when it has to answer a media query or pick an image the way a
/// browser would: a 1366×768 desktop at device-pixel-ratio 1, light scheme, mouse pointer.
/// </summary>
internal static class CssViewport
{
    public const double Width = 1366;
    public const double Height = 768;
    public const double DevicePixelRatio = 1;

    /// <summary>CSS Values 4 §6.1: the initial font size is medium = 16px, which em/rem resolve against in media queries.</summary>
    public const double FontSizePx = 16;

    /// <summary>A length in CSS px, or null for a unit that is not an absolute or viewport length (CSS Values 4 §6).</summary>
    public static double? ToPixels(double value, string unit) => unit.ToLowerInvariant() switch
    {
        "px" => value,
        "em" or "rem" or "ex" or "ch" => value * FontSizePx * (unit is "ex" or "ch" ? 0.5 : 1),
        "vw" or "svw" or "lvw" or "dvw" => value * Width / 100,
        "vh" or "svh" or "lvh" or "dvh" => value * Height / 100,
        "vmin" => value * Math.Min(Width, Height) / 100,
        "vmax" => value * Math.Max(Width, Height) / 100,
        "in" => value * 96,
        "cm" => value * 96 / 2.54,
        "mm" => value * 96 / 25.4,
        "q" => value * 96 / 101.6,
        "pt" => value * 96 / 72,
        "pc" => value * 16,
        _ => null,
    };
}
