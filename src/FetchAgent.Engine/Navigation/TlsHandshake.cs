using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// Step 5, for https: TLS with SNI, the ALPN protocols the caller offers (RFC 7301; today FetchAgent offers
/// <c>http/1.1</c> alone), certificate validation on unless insecure.
/// </summary>
public static class TlsHandshake
{
    /// <summary>
    /// With <c>--insecure</c> nobody reads the chain, but .NET builds one before asking the callback, after the client's
    /// Finished has gone out: against the system store that is ~1 ms in which the connection is not ready and no packet
    /// shows why. An empty custom trust store makes that build trivial.
    /// </summary>
    private static X509ChainPolicy NothingToTrust => new()
    {
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        RevocationMode = X509RevocationMode.NoCheck,
        DisableCertificateDownloads = true,
    };

    /// <param name="applicationProtocols">
    /// What ALPN offers, in order of preference: a decision of the caller (the kinds of connection it can make), never
    /// of the handshake. Empty sends no ALPN extension.
    /// </param>
    public static async Task<SslStream> AuthenticateAsync(
        Stream inner, string host, bool insecure, IReadOnlyList<SslApplicationProtocol> applicationProtocols, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var verdict = new CertificateVerdict();
        var options = new SslClientAuthenticationOptions
        {
            // SNI carries the hostname; .NET leaves it out for IP literals, as RFC 6066 §3 requires.
            TargetHost = host,
            ApplicationProtocols = applicationProtocols.Count == 0 ? null : [.. applicationProtocols],
            // Revocation lists would be fetched from the network: the timeline must show the page, not CRL servers.
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = insecure ? AcceptAny : verdict.Validate,
        };
        if (insecure)
            options.CertificateChainPolicy = NothingToTrust;
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (AuthenticationException e)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new NavigationException(ErrorKind.Tls, $"tls: {verdict.Describe() ?? $"handshake failed: {e.Message}"}", e);
        }
        catch (IOException e)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new NavigationException(ErrorKind.Tls, $"tls: handshake failed: {e.Message}", e);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The protocol as HAR and DevTools name it: TLSv1.3, TLSv1.2.</summary>
    public static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
#pragma warning disable SYSLIB0039 // naming an old protocol a server chose is not using it
        SslProtocols.Tls11 => "TLSv1.1",
        SslProtocols.Tls => "TLSv1",
#pragma warning restore SYSLIB0039
        _ => protocol.ToString(),
    };

    private static bool AcceptAny(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;

    /// <summary>Keeps why the platform rejected the certificate, to name it in the object's error.</summary>
    private sealed class CertificateVerdict
    {
        private SslPolicyErrors _errors;
        private string? _chainStatus;

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            _errors = errors;
            _chainStatus = chain is null ? null : string.Join(", ", chain.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct());
            return errors == SslPolicyErrors.None;
        }

        public string? Describe()
        {
            if (_errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
                return "no certificate";
            if (_errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
                return "certificate name mismatch";
            if (_errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
                return string.IsNullOrEmpty(_chainStatus) ? "certificate not trusted" : $"certificate not trusted: {_chainStatus}";
            return null;
        }
    }
}
