using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// HTTP/2's pool rules: with the multiplexed strategy an origin gets one connection and every request is a stream on
/// it (RFC 9113 §9.1: "clients SHOULD NOT open more than one HTTP/2 connection to a given host and port"), until its
/// server answers ALPN with http/1.1; from then on the origin is loaded as persistent, with its usual slots.
/// </summary>
internal sealed partial class OriginPool
{
    /// <summary>Set once a multiplexed load's connection to this origin came up as HTTP/1.1.</summary>
    private bool _fellBackToHttp11;

    /// <summary>How many connections this origin may have open at once.</summary>
    private int SlotLimit =>
        _options.Strategy == ConnectionStrategy.Multiplexed && !_fellBackToHttp11 ? 1 : _options.MaxConnectionsPerHost;

    /// <summary>Under the lock, as a connection is attached: an HTTP/1.1 connection in a multiplexed load opens the origin's other slots.</summary>
    private void NoteProtocol(PooledConnection connection)
    {
        if (connection is Http2Connection h2)
            h2.FollowStreamLimit(limit => StreamLimitChanged(h2, limit));
        if (_options.Strategy != ConnectionStrategy.Multiplexed || _fellBackToHttp11 || connection is Http2Connection)
            return;
        _fellBackToHttp11 = true;
        GrantSlotToWaiter();
    }

    /// <summary>
    /// The server's SETTINGS_MAX_CONCURRENT_STREAMS arrived (or changed): the pool leases against it from now on. A
    /// request already granted a stream keeps it; a lower limit makes the next requests wait (<c>blocked</c>), a higher
    /// one hands the connection on to the waiters it now has room for.
    /// </summary>
    private void StreamLimitChanged(Http2Connection connection, int limit)
    {
        lock (_sync)
        {
            var raised = limit > connection.StreamLimit;
            connection.SetStreamLimit(limit);
            if (raised && connection.Reusable && _open.Contains(connection) && connection.ActiveExchanges > 0)
                HandOn(connection, _clock.Now());
            AssertInvariants();
        }
    }
}
