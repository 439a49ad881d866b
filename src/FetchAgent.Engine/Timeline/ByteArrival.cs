using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Timeline;

/// <summary>
/// The body bytes of one visible object as they arrive: spread evenly over its receive
/// phase [<see cref="StartMs"/>, <see cref="EndMs"/>], or all at once at <see cref="EndMs"/>
/// when the receive phase took no time (a step instead of a ramp).
/// </summary>
internal readonly record struct ByteArrival(double StartMs, double EndMs, long Bytes)
{
    public bool IsStep => EndMs <= StartMs;

    /// <summary>From an object's receive phase: [EndMs - Timings.Receive, EndMs]; a negative receive counts as 0.</summary>
    public static ByteArrival Of(ObjectRecord record)
    {
        var receive = Math.Max(record.Timings.Receive, 0);
        return new ByteArrival(record.EndMs - receive, record.EndMs, record.BodyBytes);
    }

    /// <summary>
    /// Bytes arrived by <paramref name="ms"/>. A step counts at its own moment only when
    /// <paramref name="includeStepAtMs"/> is set (the right-hand value); otherwise it gives the left limit.
    /// </summary>
    public double ArrivedBy(double ms, bool includeStepAtMs)
    {
        if (IsStep)
            return ms > EndMs || (includeStepAtMs && ms == EndMs) ? Bytes : 0;
        if (ms <= StartMs)
            return 0;
        if (ms >= EndMs)
            return Bytes;
        return Bytes * ((ms - StartMs) / (EndMs - StartMs));
    }

    /// <summary>
    /// ∫ from <paramref name="fromMs"/> to ∞ of (1 − fraction arrived(t)) dt, in closed form:
    /// the fraction is 0 before the ramp, linear across it and 1 after, so the integrand is a
    /// constant, then a triangle, then 0.
    /// </summary>
    public double MissingFractionIntegralFrom(double fromMs)
    {
        if (fromMs >= EndMs)
            return 0;
        if (IsStep)
            return EndMs - fromMs;
        var duration = EndMs - StartMs;
        if (fromMs <= StartMs)
            return (StartMs - fromMs) + duration / 2;
        var left = EndMs - fromMs;
        return left * left / (2 * duration);
    }
}
