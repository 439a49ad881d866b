using System.Diagnostics;

namespace FetchAgent.Bench;

/// <summary>One measured page load of one client.</summary>
/// <param name="WallMs">Stopwatch time around the whole load, connections closed included.</param>
/// <param name="AllocatedBytes">Managed bytes allocated by the whole process during the load.</param>
/// <param name="CpuMs">User + kernel CPU time of this process (every thread) during the load.</param>
/// <param name="ReportedMs">The client's own page-load time, when it reports one (FetchAgent's <c>actualMs</c>).</param>
public readonly record struct Sample(double WallMs, long AllocatedBytes, double CpuMs, double? ReportedMs)
{
    public double CpuPerWall => WallMs > 0 ? CpuMs / WallMs : 0;
}

/// <summary>Measures one load: wall clock, allocation and CPU deltas of this process.</summary>
public static class Measurement
{
    /// <summary>
    /// Collects garbage first (outside the window) so one client's garbage is not collected, and its
    /// CPU not charged, inside the other client's window. The process's CPU time is the client's own:
    /// nginx runs in other processes.
    /// </summary>
    public static async Task<(T Result, Sample Sample)> MeasureAsync<T>(Func<Task<T>> load, Func<T, double?> reportedMs)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var cpuBefore = ProcessCpu();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var result = await load();
        var wall = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var cpu = ProcessCpu() - cpuBefore;
        return (result, new Sample(wall.TotalMilliseconds, allocated, cpu.TotalMilliseconds, reportedMs(result)));
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
