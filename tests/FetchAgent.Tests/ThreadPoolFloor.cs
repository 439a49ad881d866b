using System.Runtime.CompilerServices;

namespace FetchAgent.Tests.Setup;

/// <summary>
/// VSTest's testhost keeps several thread-pool threads blocked on its runner channel (a synchronous
/// socket poll loop and reads). On a 2-core machine that leaves the pool at its minimum, so the
/// in-process test servers wait 0.5–1 s for thread injection and the timelines under test show
/// stalls no real server caused. A higher floor keeps the test servers answering at once. 64: the suite now runs
/// some 250 tests, a dozen daemons and browsers at once in this one process.
/// </summary>
internal static class ThreadPoolFloor
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
