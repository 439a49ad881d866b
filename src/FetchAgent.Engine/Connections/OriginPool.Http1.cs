using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// The pool's HTTP/1.1 rules: what one more request on a persistent connection spends (the server's
/// <c>Keep-Alive: max</c>, its place in the write order), what a response says of the connection's future
/// (RFC 9112 §9.3), and when a busy connection takes one more request (pipelining, §9.3.2). A
/// <see cref="PersistentConnection"/> answers the pool's questions with these; they run under the pool's lock.
/// </summary>
internal sealed partial class OriginPool
{
    /// <summary>One more request on the connection; the terms say whether it is its last.</summary>
    internal static LeaseTerms Http1Grant(PersistentConnection connection)
    {
        connection.Leased++;
        if (connection.SendBudget is { } budget)
        {
            connection.SendBudget = budget - 1;
            // The server's last allowed request: it says Connection: close, and the connection ends after it.
            if (budget == 1)
                connection.MarkNotReusable(CloseReason.KeepAliveMax, "the server's Keep-Alive max is spent");
        }

        return new LeaseTerms(LastRequest: !connection.Reusable, connection.TakeWriteTurn());
    }

    internal static void Http1Ungrant(PersistentConnection connection, LeaseTerms terms)
    {
        connection.GiveBackWriteTurn(terms.Turn);
        connection.Leased--;
        if (connection.SendBudget is { } budget)
        {
            connection.SendBudget = budget + 1;
            if (budget == 0 && connection.PendingCloseReason == CloseReason.KeepAliveMax)
                connection.Reusable = true;
        }
    }

    /// <summary>What a response (or a failure) says of the connection's future.</summary>
    internal static void Http1Learn(PersistentConnection connection, ExchangeResponse? exchange, CloseReason? failure)
    {
        if (failure is not null)
        {
            connection.PipelineReady = false;
            return;
        }

        if (exchange is not Http1Response response)
            return;
        if (response.Ordinal > connection.LearnedUpTo)
        {
            // The newest word on the wire: an older pipelined response given back late must not undo it.
            connection.LearnedUpTo = response.Ordinal;
            if (response.KeepAlive.TimeoutSeconds is { } timeout)
                connection.KeepAliveTimeout = TimeSpan.FromSeconds(timeout);
            // max counts the requests allowed after this response; those already leased behind it spend it.
            if (response.KeepAlive.MaxRequests is { } max)
                connection.SendBudget = Math.Max(0, max - (connection.Leased - response.Ordinal));
        }

        // The record shows the last Keep-Alive the server announced on the wire, even when a later response without one
        // (the one that says close) was given back first.
        if ((response.KeepAlive.TimeoutSeconds is not null || response.KeepAlive.MaxRequests is not null) && response.Ordinal > connection.KeepAliveRecordedUpTo)
        {
            connection.KeepAliveRecordedUpTo = response.Ordinal;
            connection.Record.KeepAlive = new KeepAliveRecord(response.KeepAlive.TimeoutSeconds, response.KeepAlive.MaxRequests);
        }

        if (!response.Persistent)
            connection.MarkNotReusable(CloseReason.ServerClose, WhyNotPersistent(response));
        else if (connection.SendBudget == 0)
            connection.MarkNotReusable(CloseReason.KeepAliveMax, "the server's Keep-Alive max is spent");
        else if (response.Head.Major == 1 && response.Head.Minor >= 1)
            connection.PipelineReady = true;
    }

    /// <summary>Which rule of RFC 9112 §9.3 ended the connection, for the trace: constant words, nothing read twice on the common path.</summary>
    private static string WhyNotPersistent(Http1Response response) =>
        response.Body.Framing == BodyFraming.CloseDelimited ? "the body ran to the server's close"
        : response.Head.Major == 1 && response.Head.Minor == 0 && !ConnectionPersistence.HasConnectionOption(response.Head, "close") ? "HTTP/1.0 without keep-alive"
        : "the response said Connection: close";

    /// <summary>A busy connection takes one more request in its pipeline: pipelined strategy, idempotent request, in step, within depth and budget.</summary>
    internal static bool Http1Pipelines(PersistentConnection connection, LeaseKind kind, LoadOptions options) =>
        kind == LeaseKind.MayShare && options.Strategy == ConnectionStrategy.Pipelined && connection.Reusable && connection.PipelineReady
        && connection.ActiveExchanges < options.PipelineDepth && connection.SendBudget is null or > 0;

    /// <summary>In flight within the pipeline's depth (1 unless pipelined), and never a negative send budget.</summary>
    internal static string? Http1BrokenInvariant(PersistentConnection connection, LoadOptions options)
    {
        var depth = Math.Max(1, options.Strategy == ConnectionStrategy.Pipelined ? options.PipelineDepth : 1);
        if (connection.ActiveExchanges > depth)
            return $"has {connection.ActiveExchanges} requests in flight";
        if (connection.SendBudget is < 0)
            return $"has a send budget of {connection.SendBudget}";
        return null;
    }
}
