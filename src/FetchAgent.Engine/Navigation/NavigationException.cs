namespace FetchAgent.Engine.Navigation;

/// <summary>A browser step before HTTP failed: DNS, connect or TLS. The message is the object's error text.</summary>
public sealed class NavigationException : IOException
{
    public NavigationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public NavigationException(string message, ConnectionAttempt attempt, Exception? inner = null)
        : base(message, inner)
    {
        Attempt = attempt;
    }

    /// <summary>What the failed attempt measured up to the failure (set by <see cref="Navigator"/>).</summary>
    public ConnectionAttempt? Attempt { get; }
}
