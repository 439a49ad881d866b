namespace FetchAgent.Engine.Navigation;

/// <summary>
/// A page load's Basic authentication with its proxy (RFC 9110 §11.7, RFC 7617): nothing is sent until the proxy asks
/// with 407 and <c>Proxy-Authenticate: Basic</c>; that request is made once more with <c>Proxy-Authorization</c>, and
/// every later request to the proxy carries it at once, as browsers do after the first challenge.
/// </summary>
public sealed class ProxyAuthentication
{
    private volatile bool _challenged;

    public ProxyAuthentication(ProxyCredentials? credentials) => Credentials = credentials;

    public ProxyCredentials? Credentials { get; }

    public const string FieldName = "Proxy-Authorization";

    /// <summary>The <c>Proxy-Authorization</c> value to send now, or null (no credentials, or no challenge yet).</summary>
    public string? Field => _challenged ? Credentials?.Token : null;

    /// <summary>
    /// A 407 came: whether the request should be made once more with credentials. True only when there are credentials,
    /// the proxy offers Basic, and the request that got the 407 did not carry them already (a refusal is final).
    /// </summary>
    public bool Answer(IEnumerable<(string Name, string Value)> challengeFields, bool requestCarriedCredentials)
    {
        if (Credentials is null || requestCarriedCredentials)
            return false;
        var offersBasic = challengeFields.Any(f =>
            f.Name.Equals("Proxy-Authenticate", StringComparison.OrdinalIgnoreCase)
            && f.Value.Split(',').Any(c => c.TrimStart().StartsWith("Basic", StringComparison.OrdinalIgnoreCase)));
        if (offersBasic)
            _challenged = true;
        return offersBasic;
    }
}
