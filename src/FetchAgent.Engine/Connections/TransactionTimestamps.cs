using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// The clock readings taken around one object's real events, as they happen. The timeline
/// turns them into HAR phases; nothing here is estimated.
/// </summary>
public sealed class TransactionTimestamps
{
    /// <summary>The page loader asked for the object.</summary>
    public long Issued { get; init; }

    /// <summary>
    /// The final attempt got its connection: a reused one (when it became free, if the request was waiting for it),
    /// or a slot to open one in. Never before <see cref="Issued"/>.
    /// </summary>
    public long Acquired { get; set; }

    /// <summary>The final attempt's opening of a connection, successful or not (null when it reused one).</summary>
    public ConnectionAttempt? Attempt { get; set; }

    public long? SendEnd { get; set; }
    public long? FirstByte { get; set; }
    public long? LastByte { get; set; }

    /// <summary>When the transaction ended, in success or failure.</summary>
    public long End { get; set; }

    public IReadOnlyList<HeaderField> RequestHeaders { get; set; } = [];
    public ResponseHead? Head { get; set; }

    /// <summary>Clears what a failed attempt left, before the retry.</summary>
    /// <summary>The current attempt went on a reused connection through a proxy (for the dumb-proxy timeout's text).</summary>
    internal bool ReusedThroughProxy { get; set; }

    /// <summary>The current attempt's HTTP/2 connection never had the server's SETTINGS (RFC 9113 §3.4), for the timeout's text.</summary>
    internal bool NoServerPreface { get; set; }

    internal void ResetForRetry()
    {
        Attempt = null;
        SendEnd = null;
        FirstByte = null;
        LastByte = null;
        Head = null;
        NoServerPreface = false;
    }
}
