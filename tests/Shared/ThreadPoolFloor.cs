using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace FetchAgent.Tests.Setup;

/// <summary>
/// VSTest's testhost keeps several thread-pool threads blocked on its runner channel (a synchronous
/// socket poll loop and reads). On a 2-core machine that leaves the pool at its minimum, so the
/// in-process test servers wait 0.5–1 s for thread injection and the timelines under test show
/// stalls no real server caused. A higher floor keeps the test servers answering at once.
/// </summary>
/// <remarks>
/// One source, compiled into each test assembly that runs servers (a module initializer runs only in the assembly
/// that holds it): <c>&lt;Compile Include="..\Shared\ThreadPoolFloor.cs" /&gt;</c>. Each project says its floor
/// beside it, as <c>&lt;AssemblyMetadata Include="ThreadPoolFloor" Value="N" /&gt;</c>: 32 for the engine's tests,
/// 64 for FetchAgent.Tests, which runs some 250 tests, a dozen daemons and browsers at once in one process.
/// </remarks>
internal static class ThreadPoolFloor
{
    public const string MetadataKey = "ThreadPoolFloor";

    /// <summary>This assembly's floor, from its <c>ThreadPoolFloor</c> metadata.</summary>
    public static int Minimum { get; } = int.Parse(
        typeof(ThreadPoolFloor).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == MetadataKey).Value!,
        NumberStyles.None,
        CultureInfo.InvariantCulture);

    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Minimum), Math.Max(io, Minimum));
    }
}
