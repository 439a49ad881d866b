using System.Net.Security;
using System.Net.Sockets;

namespace FetchAgent.Engine.Connections;

internal sealed partial class PersistentConnection
{
    /// <summary>
    /// The chapter's graceful close (RFC 9112 §9.6): shut down our sending side, read until the server's EOF so no
    /// reset destroys data in flight; the socket is closed after it.
    /// </summary>
    protected override async Task CloseGracefullyAsync(CancellationToken deadline)
    {
        if (Transport.Stream is SslStream ssl)
            await ssl.ShutdownAsync().WaitAsync(deadline).ConfigureAwait(false); // close_notify, RFC 8446 §6.1
        Transport.Socket.Shutdown(SocketShutdown.Send);
        // An idle connection has a read posted: it sees the server's EOF first (or bytes, which are drained below).
        if (Reader.PendingReadAhead is { } pending && await pending.WaitAsync(deadline).ConfigureAwait(false) == 0)
            return;
        var scratch = new byte[4096];
        var drained = 0L;
        while (drained < 1 << 20)
        {
            var read = await Transport.Socket.ReceiveAsync(scratch, SocketFlags.None, deadline).ConfigureAwait(false);
            if (read == 0)
                return;
            drained += read;
        }
    }
}
