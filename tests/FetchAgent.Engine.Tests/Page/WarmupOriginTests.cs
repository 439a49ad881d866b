using System.Net.Sockets;
using FetchAgent.Engine.Page;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>
/// The warm-up's own origin must stop cleanly however its stop meets an accept: every load awaits the warm-up, and CI
/// once saw a load fail with the origin's "Not listening" (Stop() landed between one accept and the next).
/// </summary>
public sealed class WarmupOriginTests
{
    [Fact]
    public async Task Stopping_while_clients_connect_never_throws()
    {
        for (var round = 0; round < 300; round++)
        {
            var origin = new WarmupOrigin(https: false);
            var url = origin.Url("/");
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(url.Host, url.Port);
            // Stop at the moment the accept of this client completes and the loop goes round for the next one.
            await origin.DisposeAsync();
        }
    }
}
