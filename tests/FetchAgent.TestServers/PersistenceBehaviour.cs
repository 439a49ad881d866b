namespace FetchAgent.TestServers;

/// <summary>How a <see cref="StaticOrigin"/> treats its connections, to play each server the chapter describes.</summary>
public sealed record PersistenceBehaviour
{
    /// <summary>An HTTP/1.1 server that keeps connections open.</summary>
    public static PersistenceBehaviour KeepAlive { get; } = new();

    /// <summary>Answer as HTTP/1.0; keep the connection only if the client asked with <c>Connection: keep-alive</c> and <see cref="Http10EchoesKeepAlive"/>.</summary>
    public bool Http10 { get; init; }
    public bool Http10EchoesKeepAlive { get; init; }

    /// <summary>Answer at most this many requests on a connection; the last says <c>Connection: close</c>.</summary>
    public int? MaxRequestsPerConnection { get; init; }

    /// <summary>Send <c>Keep-Alive: timeout=T, max=M</c> with M counting down, like Apache.</summary>
    public int? KeepAliveTimeoutSeconds { get; init; }
    public int? KeepAliveMax { get; init; }

    /// <summary>Close an idle connection after this long without saying so (the stale-connection case).</summary>
    public TimeSpan? CloseIdleAfter { get; init; }

    /// <summary>After this many responses on a connection, close it silently (no Connection: close): the next request finds it gone.</summary>
    public int? SilentCloseAfter { get; init; }

    /// <summary>After this many responses, read the next request and close without answering: the race a reused connection can lose.</summary>
    public int? CloseOnRequestAfter { get; init; }
}
