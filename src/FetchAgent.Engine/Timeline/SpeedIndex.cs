namespace FetchAgent.Engine.Timeline;

/// <summary>
/// Speed Index as WebPageTest defines it, <c>∫ from 0 to visuallyComplete of (1 − displayed(t)) dt</c>,
/// but computed exactly on the continuous model of <see cref="VisualCompleteness"/> instead of
/// summed over sampled video frames.
/// </summary>
/// <remarks>
/// Before start render R nothing is displayed, which contributes R. From R on,
/// <c>1 − displayed(t) = Σ (bytesᵢ / total) · (1 − fractionᵢ(t))</c>, and each object's
/// <c>∫ from R of (1 − fractionᵢ(t)) dt</c> has a closed form (constant, then a triangle over its
/// receive ramp; see <see cref="ByteArrival.MissingFractionIntegralFrom"/>). Every fraction is 1 by
/// visual completeness, so integrating each to infinity equals integrating to visuallyComplete.
/// No input is rounded.
/// </remarks>
internal static class SpeedIndex
{
    public static double Compute(VisualCompleteness completeness)
    {
        var startRender = completeness.StartRenderMs;
        if (completeness.TotalBytes == 0)
            return startRender;

        double total = completeness.TotalBytes;
        var missing = 0.0;
        foreach (var arrival in completeness.Arrivals)
            missing += arrival.Bytes / total * arrival.MissingFractionIntegralFrom(startRender);
        return startRender + missing;
    }
}
