using System.Text;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// <c>--proxy-user user:pass</c>: kept in memory for the load only, never stored, never shown (<see cref="ToString"/>
/// hides the password). Sent as <c>Proxy-Authorization: Basic base64(user:pass)</c> (RFC 9110 §11.7.2, RFC 7617),
/// once the proxy has asked with a 407.
/// </summary>
public sealed class ProxyCredentials
{
    private ProxyCredentials(string user, string password)
    {
        User = user;
        Token = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
    }

    public string User { get; }

    /// <summary>The <c>Proxy-Authorization</c> value.</summary>
    internal string Token { get; }

    /// <summary><c>user:pass</c> (the first colon splits; no colon is a user with an empty password, as curl takes it).</summary>
    public static ProxyCredentials Parse(string userColonPassword)
    {
        var colon = userColonPassword.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new ProxyCredentials(userColonPassword, "") : new ProxyCredentials(userColonPassword[..colon], userColonPassword[(colon + 1)..]);
    }

    public override string ToString() => User + ":***";
}
