using System.Collections.Concurrent;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using Microsoft.Extensions.Logging;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// The pool and connection decisions of one page load, noted as they are made (a small record appended to a queue,
/// with the clock reading the decision already took) and written to the log only when every connection has closed.
/// Nothing is formatted or written while an object is on the clock, so tracing adds no I/O to any phase; a pool
/// without a logger has no trace at all (one null check per decision).
/// </summary>
internal sealed class PoolTrace
{
    private readonly ConcurrentQueue<Note> _notes = new();
    private readonly PageClock _clock;
    private long _sequence;

    public PoolTrace(PageClock clock) => _clock = clock;

    /// <summary>A request found every connection of its origin busy and waits (the wait is its <c>blocked</c>).</summary>
    public void Queued(long at, ExchangeRequest request, int slotsTaken, int slots, int waiting) =>
        Add(at, (log, ms) => ConnectionLog.Queued(log, ms, request.Method, Target(request), Origin.From(request.Url).ToString(), slotsTaken, slots, waiting));

    /// <summary>A lease on a connection: opened for the request, reused from the idle stack, handed on, or pipelined.</summary>
    public void Granted(Lease lease, ExchangeRequest request)
    {
        var connection = lease.Connection!;
        var id = connection.Id;
        // An HTTP/2 connection shares itself by streams, not by a pipeline: its own note says which stream (Multiplexed).
        if (lease.Pipelined && connection is not Http2Connection)
        {
            Add(lease.GrantedAt, (log, ms) => ConnectionLog.Pipelined(log, ms, id, request.Method, Target(request), lease.Sharing));
            return;
        }

        switch (lease.Source)
        {
            case LeaseSource.Opened:
                Add(lease.GrantedAt, (log, ms) => ConnectionLog.OpenedFor(log, ms, id, request.Method, Target(request)));
                break;
            case LeaseSource.Idle:
                Add(lease.GrantedAt, (log, ms) => ConnectionLog.Reused(log, ms, id, request.Method, Target(request)));
                break;
            case LeaseSource.HandedOn:
                Add(lease.GrantedAt, (log, ms) => ConnectionLog.HandedOn(log, ms, id, request.Method, Target(request)));
                break;
        }
    }

    /// <summary>
    /// A request became a stream on an HTTP/2 connection (RFC 9113 §5.1.1: its id is taken as its HEADERS go out), noted
    /// at its grant: <paramref name="others"/> streams were in flight beside it then.
    /// </summary>
    public void Multiplexed(long grantedAt, PooledConnection connection, int streamId, ExchangeRequest request, int others)
    {
        var id = connection.Id;
        Add(grantedAt, (log, ms) => ConnectionLog.Multiplexed(log, ms, id, request.Method, Target(request), streamId, id, others));
    }

    /// <summary>A connection handed on to a waiter that had gone meanwhile (cancelled): the grant is undone.</summary>
    public void Ungranted(long at, PooledConnection connection, ExchangeRequest request)
    {
        var id = connection.Id;
        Add(at, (log, ms) => ConnectionLog.Ungranted(log, ms, id, request.Method, Target(request)));
    }

    /// <summary>A connection opened: its DNS, connect and TLS steps, read from its attempt when the trace is written.</summary>
    public void Opened(PooledConnection connection)
    {
        var transport = connection.Transport;
        var attempt = transport.Attempt;
        var id = connection.Id;
        var origin = connection.Origin;
        NoteSteps(id, origin, attempt);
        if (attempt.ConnectEnd is { } connected)
            Add(connected, (log, ms) => ConnectionLog.Connected(log, ms, id, transport.LocalEndPoint.ToString(), transport.RemoteEndPoint.ToString()));
        if (attempt.TlsEnd is { } tlsEnd)
        {
            var alpn = transport.ApplicationProtocol.Protocol.IsEmpty ? "none" : transport.ApplicationProtocol.ToString();
            Add(tlsEnd, (log, ms) => ConnectionLog.TlsDone(log, ms, id, transport.TlsProtocol ?? "?", alpn));
        }
    }

    /// <summary>An attempt that never opened: its steps as far as they went, and why it failed.</summary>
    public void FailedToOpen(int? id, Origin origin, ConnectionAttempt attempt)
    {
        NoteSteps(id, origin, attempt);
        var error = attempt.Error ?? "failed";
        var at = attempt.FailedAt ?? _clock.Now();
        if (id is { } connectionId)
            Add(at, (log, ms) => ConnectionLog.OpenFailed(log, ms, connectionId, error));
        else
            Add(at, (log, ms) => ConnectionLog.NotOpened(log, ms, origin.ToString(), error));
    }

    private void NoteSteps(int? id, Origin origin, ConnectionAttempt attempt)
    {
        var connection = id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
        if (attempt.DnsStart is { } dnsStart && attempt.DnsEnd is { } dnsEnd)
            Add(dnsEnd, (log, ms) => ConnectionLog.DnsResolved(log, ms, connection, origin.Host, _clock.Between(dnsStart, dnsEnd)));
        if (attempt.ConnectStart is { } connectStart && attempt.RemoteEndPoint is { } remote)
            Add(connectStart, (log, ms) => ConnectionLog.Connecting(log, ms, connection, remote.ToString()));
    }

    /// <summary>A connection taken out of service; <see cref="PooledConnection.PendingCloseDetail"/> says which rule, when one did.</summary>
    public void Retired(long at, PooledConnection connection, CloseReason reason)
    {
        var id = connection.Id;
        var detail = connection.PendingCloseReason == reason ? connection.PendingCloseDetail : null;
        Add(at, (log, ms) => ConnectionLog.Retired(log, ms, id, Words(reason), detail is null ? "" : $": {detail}"));
    }

    /// <summary><c>--keep-connections</c>: an idle connection leaves the view's pool open, for the repeat view.</summary>
    public void Kept(long at, PooledConnection connection)
    {
        var id = connection.Id;
        Add(at, (log, ms) => ConnectionLog.Kept(log, ms, id));
    }

    /// <summary>A request lost on a reused connection (closed before any response byte) goes again, on a new connection.</summary>
    public void Retried(long at, ExchangeRequest request, PooledConnection failed)
    {
        var id = failed.Id;
        Add(at, (log, ms) => ConnectionLog.Retried(log, ms, request.Method, Target(request), id));
    }

    public void Closed(long at, PooledConnection connection, bool graceful)
    {
        var id = connection.Id;
        var record = connection.Record;
        Add(at, (log, ms) => ConnectionLog.Closed(log, ms, id, Words(record.CloseReason ?? CloseReason.PageDone), record.Requests, graceful ? "gracefully" : "at once"));
    }

    /// <summary>Writes what was noted since the last call, in the order it happened (ties in the order noted).</summary>
    public void WriteTo(ILogger logger)
    {
        var notes = new List<Note>();
        while (_notes.TryDequeue(out var note))
            notes.Add(note);
        foreach (var note in notes.OrderBy(n => n.At).ThenBy(n => n.Sequence))
            note.Write(logger, _clock.Ms(note.At));
    }

    private void Add(long at, Action<ILogger, double> write) =>
        _notes.Enqueue(new Note(at, Interlocked.Increment(ref _sequence), write));

    private static string Target(ExchangeRequest request) => request.Url.PathAndQuery;

    /// <summary>A close reason as the trace says it.</summary>
    public static string Words(CloseReason reason) => reason switch
    {
        CloseReason.PageDone => "page done",
        CloseReason.ServerClose => "server close",
        CloseReason.KeepAliveMax => "keep-alive max",
        CloseReason.KeepAliveTimeout => "keep-alive timeout",
        CloseReason.Idle => "idle",
        CloseReason.Error => "error",
        CloseReason.ClientClose => "client close",
        _ => reason.ToString(),
    };

    private sealed record Note(long At, long Sequence, Action<ILogger, double> Write);
}
