using FetchAgent.Engine.Model;

namespace FetchAgent.Har;

/// <summary>
/// The kind of an imported HAR's error. FetchAgent's own HARs carry <c>_errorKind</c>; Chrome's carry its net error
/// name in <c>_error</c> (<c>net::ERR_NAME_NOT_RESOLVED</c>, from Chromium's net/base/net_error_list.h), which maps
/// onto the same kinds. An error neither names stays without a kind rather than get a wrong one.
/// </summary>
internal static class ChromeNetError
{
    public static ErrorKind? Kind(string? error)
    {
        if (error is null)
            return null;
        var name = error.StartsWith("net::", StringComparison.Ordinal) ? error["net::".Length..] : error;
        return name switch
        {
            "ERR_NAME_NOT_RESOLVED" or "ERR_NAME_RESOLUTION_FAILED" or "ERR_DNS_TIMED_OUT" => ErrorKind.Dns,
            "ERR_CONNECTION_REFUSED" => ErrorKind.Refused,
            "ERR_ADDRESS_UNREACHABLE" or "ERR_NETWORK_UNREACHABLE" or "ERR_INTERNET_DISCONNECTED" or "ERR_ADDRESS_INVALID" => ErrorKind.Unreachable,
            "ERR_TIMED_OUT" or "ERR_CONNECTION_TIMED_OUT" => ErrorKind.Timeout,
            "ERR_CONNECTION_RESET" or "ERR_CONNECTION_CLOSED" or "ERR_CONNECTION_ABORTED" or "ERR_EMPTY_RESPONSE" or "ERR_CONNECTION_FAILED" => ErrorKind.Reset,
            "ERR_INCOMPLETE_CHUNKED_ENCODING" or "ERR_CONTENT_LENGTH_MISMATCH" => ErrorKind.Truncated,
            "ERR_INVALID_HTTP_RESPONSE" or "ERR_INVALID_CHUNKED_ENCODING" or "ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH"
                or "ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_DISPOSITION" or "ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION"
                or "ERR_UNEXPECTED_PROXY_AUTH" => ErrorKind.Protocol,
            "ERR_RESPONSE_HEADERS_TOO_BIG" or "ERR_FILE_TOO_BIG" => ErrorKind.Limit,
            "ERR_CONTENT_DECODING_FAILED" or "ERR_CONTENT_DECODING_INIT_FAILED" => ErrorKind.Decoding,
            "ERR_TOO_MANY_REDIRECTS" or "ERR_UNSAFE_REDIRECT" or "ERR_INVALID_REDIRECT" => ErrorKind.Redirect,
            "ERR_ABORTED" => ErrorKind.Cancelled,
            _ when name.StartsWith("ERR_BLOCKED_", StringComparison.Ordinal) => ErrorKind.Policy,
            _ when name.StartsWith("ERR_CERT_", StringComparison.Ordinal) || name.StartsWith("ERR_SSL_", StringComparison.Ordinal) => ErrorKind.Tls,
            _ => null,
        };
    }
}
