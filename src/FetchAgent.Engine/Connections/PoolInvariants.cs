namespace FetchAgent.Engine.Connections;

/// <summary>
/// The pool's invariants, checked under its lock wherever its counts change. Off in the product (one branch on a
/// null field); the test assembly switches them on with <see cref="Enable"/> from a module initializer, so the
/// Release build the tests run checks exactly the code that ships. <c>Debug.Assert</c> would not do: it is compiled
/// out of Release, and the tests run in Release.
/// </summary>
internal static class PoolInvariants
{
    private static volatile Action<string>? s_violated;

    /// <summary>True once a test assembly has switched the checks on.</summary>
    public static bool Enabled => s_violated is not null;

    /// <summary>
    /// Switches the checks on. A violation calls <paramref name="violated"/>, which must not return normally into the
    /// pool (the tests fail the process fast, as a failed <c>Debug.Assert</c> does in .NET): an exception here could be
    /// swallowed by a continuation and a broken pool would run on.
    /// </summary>
    public static void Enable(Action<string> violated) => s_violated = violated;

    public static void Check(bool condition, string message)
    {
        if (!condition && s_violated is { } violated)
            violated(message);
    }
}
