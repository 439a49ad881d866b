using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Navigation;

/// <summary>A browser step before HTTP failed: DNS, connect or TLS. The message is the object's error text.</summary>
public sealed class NavigationException : IOException
{
    public NavigationException(ErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public NavigationException(ErrorKind kind, string message, ConnectionAttempt attempt, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Attempt = attempt;
    }

    /// <summary>The machine-readable kind beside the text: dns, refused, unreachable, tls, policy or timeout.</summary>
    public ErrorKind Kind { get; }

    /// <summary>What the failed attempt measured up to the failure (set by <see cref="Navigator"/>).</summary>
    public ConnectionAttempt? Attempt { get; }
}
