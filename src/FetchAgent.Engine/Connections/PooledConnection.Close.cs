using System.Net.Sockets;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Connections;

internal abstract partial class PooledConnection
{
    /// <summary>How long a graceful close waits for the server's FIN.</summary>
    public static readonly TimeSpan GracefulCloseDeadline = TimeSpan.FromMilliseconds(1000);

    private readonly TaskCompletionSource _closedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Closes the connection once: gracefully (the protocol's own way, <see cref="CloseGracefullyAsync"/>) or, when
    /// <paramref name="graceful"/> is false, at once (after an error nothing more is worth reading).
    /// </summary>
    public Task CloseAsync(CloseReason reason, bool graceful)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
            _ = CloseOnceAsync(reason, graceful);
        return _closedSignal.Task;
    }

    /// <summary>Completes when the socket is closed.</summary>
    public Task Closed => _closedSignal.Task;

    /// <summary>The protocol's graceful close, bounded by <paramref name="deadline"/>; the socket is closed after it in any case.</summary>
    protected abstract Task CloseGracefullyAsync(CancellationToken deadline);

    private async Task CloseOnceAsync(CloseReason reason, bool graceful)
    {
        Record.CloseReason ??= reason;
        // Who closes first, read before FetchAgent's own FIN goes out: a server that closed first left this end in
        // CLOSE_WAIT (its FIN came in), and then only the server's end will wait in TIME_WAIT (RFC 9293 §3.6). Any
        // other state means FetchAgent's FIN goes first, and its end will wait (also when the two FINs cross).
        if (Navigation.TcpInfoReader.State(Transport.Socket) is { } state)
        {
            var serverFirst = state is Navigation.TcpSocketState.CloseWait or Navigation.TcpSocketState.LastAck or Navigation.TcpSocketState.Close;
            Record.ClosedBy = serverFirst ? ClosedBy.Server : ClosedBy.Client;
            // A close that throws away unread bytes is a reset (RFC 9293 §3.10.7.1 on close with data pending): no TIME_WAIT.
            Record.TimeWait = !serverFirst && (graceful || Transport.Socket.Available == 0);
        }

        try
        {
            if (graceful)
            {
                using var deadline = new CancellationTokenSource(GracefulCloseDeadline, Clock.TimeProvider);
                await CloseGracefullyAsync(deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The server may already be gone; the close goes on.
        }
        finally
        {
            var closedAt = Clock.Now();
            Record.ClosedMs = Clock.Ms(closedAt);
            Record.TcpInfo = Navigation.TcpInfoReader.Read(Transport.Socket); // the last reading, after the clock
            await Transport.DisposeAsync().ConfigureAwait(false);
            Trace?.Closed(closedAt, this, graceful);
            _closedSignal.TrySetResult();
        }
    }
}
