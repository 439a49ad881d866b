using System.Runtime.CompilerServices;
using FetchAgent.Engine.Connections;

namespace FetchAgent.Engine.Tests;

/// <summary>
/// Switches the pool's invariant checks on for every test in this assembly (the tests run the Release build, where
/// <c>Debug.Assert</c> is compiled out). A violation fails the test process at once with the invariant's text, as a
/// failed <c>Debug.Assert</c> does in .NET: an exception thrown under the pool's lock could be swallowed by a
/// continuation, and a pool that broke its word would run on.
/// </summary>
internal static class PoolInvariantChecks
{
    [ModuleInitializer]
    internal static void Enable() =>
        PoolInvariants.Enable(message => Environment.FailFast($"pool invariant violated: {message}"));
}

public sealed class PoolInvariantCheckTests
{
    [Fact]
    public void The_pool_checks_its_invariants_in_this_test_run() => Assert.True(PoolInvariants.Enabled);
}
