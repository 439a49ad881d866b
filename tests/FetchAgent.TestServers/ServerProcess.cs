using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FetchAgent.TestServers;

/// <summary>What every real server a test runs in its own process needs: a free loopback port, a readiness probe, a clean end.</summary>
internal static class ServerProcess
{
    public static async Task<bool> CanConnectAsync(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(address, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Kills the server (and what it started) and removes its prefix folder.</summary>
    public static async ValueTask StopAsync(Process process, string prefix)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // It had already gone.
        }

        process.Dispose();
        try
        {
            Directory.Delete(prefix, recursive: true);
        }
        catch (IOException)
        {
            // A log still being written; the temp folder is left.
        }
    }
}
