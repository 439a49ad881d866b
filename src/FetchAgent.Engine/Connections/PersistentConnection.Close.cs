using System.Net.Security;
using System.Net.Sockets;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Connections;

internal sealed partial class PersistentConnection
{
    /// <summary>How long a graceful close waits for the server's FIN.</summary>
    public static readonly TimeSpan GracefulCloseDeadline = TimeSpan.FromMilliseconds(1000);

    /// <summary>
    /// The chapter's graceful close (RFC 9112 §9.6): shut down our sending side, read until the
    /// server's EOF so no reset destroys data in flight, then close. Aborts when
    /// <paramref name="graceful"/> is false (after an error nothing more is worth reading).
    /// </summary>
    public Task CloseAsync(CloseReason reason, bool graceful)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
            _ = CloseOnceAsync(reason, graceful);
        return _closedSignal.Task;
    }

    /// <summary>Completes when the socket is closed.</summary>
    public Task Closed => _closedSignal.Task;

    private readonly TaskCompletionSource _closedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task CloseOnceAsync(CloseReason reason, bool graceful)
    {
        Record.CloseReason ??= reason;
        try
        {
            if (graceful)
                await HalfCloseAndDrainAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The server may already be gone; the close goes on.
        }
        finally
        {
            Record.ClosedMs = _clock.Ms(_clock.Now());
            await Transport.DisposeAsync().ConfigureAwait(false);
            _closedSignal.TrySetResult();
        }
    }

    private async Task HalfCloseAndDrainAsync()
    {
        using var deadline = new CancellationTokenSource(GracefulCloseDeadline, _clock.TimeProvider);
        if (Transport.Stream is SslStream ssl)
            await ssl.ShutdownAsync().WaitAsync(deadline.Token).ConfigureAwait(false); // close_notify, RFC 8446 §6.1
        Transport.Socket.Shutdown(SocketShutdown.Send);
        // An idle connection has a read posted: it sees the server's EOF first (or bytes, which are drained below).
        if (Reader.PendingReadAhead is { } pending && await pending.WaitAsync(deadline.Token).ConfigureAwait(false) == 0)
            return;
        var scratch = new byte[4096];
        var drained = 0L;
        while (drained < 1 << 20)
        {
            var read = await Transport.Socket.ReceiveAsync(scratch, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            if (read == 0)
                return;
            drained += read;
        }
    }
}
