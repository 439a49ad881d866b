namespace FetchAgent.Engine.Navigation;

/// <summary>A browser step before HTTP failed: DNS, connect or TLS. The message is the object's error text.</summary>
public sealed class NavigationException : IOException
{
    public NavigationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
